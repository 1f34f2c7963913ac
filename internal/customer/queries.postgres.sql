-- name: set-search-words
INSERT INTO customer_search (customer_id, words) VALUES ($1, to_tsvector('simple', $2))
ON CONFLICT (customer_id) DO UPDATE SET words = excluded.words;

-- name: delete-search-words
DELETE FROM customer_search WHERE customer_id = $1;

-- name: search-names
SELECT customer_id FROM customer_search
WHERE words @@ to_tsquery('simple', replace($1, ' ', ':* & ') || ':*') LIMIT $2;
