-- name: set-search-words
INSERT INTO customer_search (customer_id, words) VALUES ($1, to_tsvector('simple', $2))
ON CONFLICT (customer_id) DO UPDATE SET words = excluded.words;

-- name: delete-search-words
DELETE FROM customer_search WHERE customer_id = $1;

-- name: search-names
SELECT customer_id FROM customer_search
WHERE words @@ to_tsquery('simple', replace($1, ' ', ':* & ') || ':*') LIMIT $2;

-- name: replace-search-words-batch
INSERT INTO customer_search (customer_id, words)
SELECT (e ->> 0)::bigint, to_tsvector('simple', e ->> 1) FROM jsonb_array_elements($1::jsonb) AS e
ON CONFLICT (customer_id) DO UPDATE SET words = excluded.words;

-- name: insert-search-words-batch
INSERT INTO customer_search (customer_id, words)
SELECT (e ->> 0)::bigint, to_tsvector('simple', e ->> 1) FROM jsonb_array_elements($1::jsonb) AS e;

-- name: identity-owners-batch
SELECT i.kind, i.value, i.customer_id FROM jsonb_array_elements($1::jsonb) AS e
JOIN customer_identities i ON i.kind = e ->> 0 AND i.value = e ->> 1;

-- name: customer-summaries-batch
SELECT c.id, c.public_id, c.family_name, c.given_name, c.patronymic, c.preferred_name, c.birth_date,
       c.persona, COALESCE(u.name, ''),
       COALESCE((SELECT i.value FROM customer_identities i WHERE i.customer_id = c.id AND i.kind = 'phone' ORDER BY i.id LIMIT 1), ''),
       COALESCE((SELECT i.value FROM customer_identities i WHERE i.customer_id = c.id AND i.kind = 'email' ORDER BY i.id LIMIT 1), '')
FROM jsonb_array_elements_text($1::jsonb) AS j
JOIN customers c ON c.id = j::bigint
LEFT JOIN users u ON u.id = c.manager_id
WHERE c.merged_into IS NULL AND c.erased_at IS NULL;

-- name: customer-card
-- $1 a card's internal id, or NULL and $2, $3 the kind and value of an
-- identity it owns: the phone system's lookup is then one statement.
SELECT c.id, c.public_id, c.family_name, c.given_name, c.patronymic, c.preferred_name, c.address_form,
       c.pronunciation, c.birth_date, c.persona, c.preferred_channel, c.language, c.time_zone,
       c.quiet_from, c.quiet_to, c.wish, c.manager_id, COALESCE(u.public_id, ''), COALESCE(u.name, ''),
       COALESCE(m.public_id, ''), c.erased_at, c.version, c.created_at, c.updated_at,
       (SELECT COALESCE(json_agg(json_build_array(kind, value, raw) ORDER BY id), '[]')
          FROM customer_identities WHERE customer_id = c.id)::text,
       (SELECT COALESCE(json_agg(json_build_array(public_id, kind, text, pinned, created_by, created_at)
                                 ORDER BY pinned DESC, id DESC), '[]')
          FROM customer_facts WHERE customer_id = c.id)::text,
       (SELECT COALESCE(json_agg(tag ORDER BY tag), '[]') FROM customer_tags WHERE customer_id = c.id)::text,
       (SELECT COALESCE(json_object_agg(key, value), '{}') FROM customer_attributes WHERE customer_id = c.id)::text,
       (SELECT COALESCE(json_agg(json_build_array(channel, purpose, granted, source, actor_name, at)
                                 ORDER BY channel, purpose, at DESC, id DESC), '[]')
          FROM customer_consents WHERE customer_id = c.id)::text
FROM customers c
LEFT JOIN users u ON u.id = c.manager_id
LEFT JOIN customers m ON m.id = c.merged_into
WHERE c.id = COALESCE(CAST($1 AS BIGINT), (SELECT customer_id FROM customer_identities WHERE kind = $2 AND value = $3));

-- name: allocate-customer-ids
SELECT nextval(pg_get_serial_sequence('customers', 'id')) FROM generate_series(1, $1);

-- name: compact-search-index
-- Moves the GIN index's pending entries into the index proper.
SELECT gin_clean_pending_list('customer_search_words'::regclass);

-- name: name-keys-batch
SELECT c.id, c.name_key FROM jsonb_array_elements_text($1::jsonb) AS j JOIN customers c ON c.id = j::bigint;
