-- name: set-search-words
INSERT INTO customer_search (customer_id, words) VALUES ($1, to_tsvector('simple', $2))
ON CONFLICT (customer_id) DO UPDATE SET words = excluded.words;

-- name: delete-search-words
DELETE FROM customer_search WHERE customer_id = $1;

-- name: search-names
SELECT customer_id FROM customer_search
WHERE words @@ to_tsquery('simple', replace($1, ' ', ':* & ') || ':*') LIMIT $2;

-- name: insert-search-words-batch
INSERT INTO customer_search (customer_id, words)
SELECT (e ->> 0)::bigint, to_tsvector('simple', e ->> 1) FROM jsonb_array_elements($1::jsonb) AS e
ON CONFLICT (customer_id) DO UPDATE SET words = excluded.words;

-- name: insert-events-batch
INSERT INTO customer_events (customer_id, at, actor_name, kind, data)
SELECT (e ->> 0)::bigint, $2, $3, e ->> 1, e ->> 2 FROM jsonb_array_elements($1::jsonb) AS e;
