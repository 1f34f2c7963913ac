-- name: list-personas
SELECT key, name_ru, name_en, guidance_do, guidance_dont FROM personas ORDER BY position, key;

-- name: list-attribute-defs
SELECT key, label_ru, label_en, type, choices FROM attribute_defs ORDER BY position, key;

-- name: upsert-attribute-def
INSERT INTO attribute_defs (key, label_ru, label_en, type, choices, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (key) DO UPDATE SET label_ru = excluded.label_ru, label_en = excluded.label_en,
    type = excluded.type, choices = excluded.choices;

-- name: user-by-public-id
SELECT id, name FROM users WHERE public_id = $1 AND active;

-- name: customer-by-public-id
SELECT id, merged_into FROM customers WHERE public_id = $1;

-- name: merged-into-of
SELECT merged_into FROM customers WHERE id = $1;

-- name: customer-by-id
SELECT c.id, c.public_id, c.family_name, c.given_name, c.patronymic, c.preferred_name, c.address_form,
       c.pronunciation, c.birth_date, c.persona, c.preferred_channel, c.language, c.time_zone,
       c.quiet_from, c.quiet_to, c.wish, c.manager_id, COALESCE(u.public_id, ''), COALESCE(u.name, ''),
       COALESCE(m.public_id, ''), c.erased_at, c.version, c.created_at, c.updated_at
FROM customers c
LEFT JOIN users u ON u.id = c.manager_id
LEFT JOIN customers m ON m.id = c.merged_into
WHERE c.id = $1;

-- name: insert-customer
INSERT INTO customers (public_id, family_name, given_name, patronymic, preferred_name, address_form,
    pronunciation, birth_date, persona, preferred_channel, language, time_zone, quiet_from, quiet_to,
    wish, manager_id, name_key, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)
RETURNING id;

-- name: update-customer
UPDATE customers SET family_name = $2, given_name = $3, patronymic = $4, preferred_name = $5,
    address_form = $6, pronunciation = $7, birth_date = $8, persona = $9, preferred_channel = $10,
    language = $11, time_zone = $12, quiet_from = $13, quiet_to = $14, wish = $15, manager_id = $16,
    name_key = $17, updated_at = $18, version = version + 1
WHERE id = $1;

-- name: set-merged-into
UPDATE customers SET merged_into = $2, updated_at = $3, version = version + 1 WHERE id = $1;

-- name: mark-erased
UPDATE customers SET family_name = '', given_name = '', patronymic = '', preferred_name = '',
    pronunciation = '', birth_date = NULL, wish = '', time_zone = '', quiet_from = '', quiet_to = '',
    name_key = '', manager_id = NULL, erased_at = $2, updated_at = $2, version = version + 1
WHERE id = $1;

-- name: identity-owner
SELECT i.customer_id, c.public_id, c.family_name, c.given_name, c.patronymic
FROM customer_identities i JOIN customers c ON c.id = i.customer_id
WHERE i.kind = $1 AND i.value = $2;

-- name: insert-identity
INSERT INTO customer_identities (customer_id, kind, value, raw, fragment, created_at)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id;

-- name: delete-identity
DELETE FROM customer_identities WHERE customer_id = $1 AND kind = $2 AND value = $3;

-- name: delete-identities-of
DELETE FROM customer_identities WHERE customer_id = $1;

-- name: insert-fact
INSERT INTO customer_facts (public_id, customer_id, kind, text, pinned, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id;

-- name: fact-by-public-id
SELECT id, customer_id, kind, text, pinned FROM customer_facts WHERE public_id = $1;

-- name: set-fact-pinned
UPDATE customer_facts SET pinned = $2 WHERE id = $1;

-- name: delete-fact
DELETE FROM customer_facts WHERE id = $1;

-- name: delete-facts-of
DELETE FROM customer_facts WHERE customer_id = $1;

-- name: insert-tag
INSERT INTO customer_tags (customer_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING;

-- name: delete-tag
DELETE FROM customer_tags WHERE customer_id = $1 AND tag = $2;

-- name: delete-tags-of
DELETE FROM customer_tags WHERE customer_id = $1;

-- name: set-attribute
INSERT INTO customer_attributes (customer_id, key, value) VALUES ($1, $2, $3)
ON CONFLICT (customer_id, key) DO UPDATE SET value = excluded.value;

-- name: delete-attribute
DELETE FROM customer_attributes WHERE customer_id = $1 AND key = $2;

-- name: delete-attributes-of
DELETE FROM customer_attributes WHERE customer_id = $1;

-- name: insert-consent
INSERT INTO customer_consents (customer_id, channel, purpose, granted, source, actor_name, at)
VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id;

-- name: close-manager-period
UPDATE customer_managers SET to_at = $2 WHERE customer_id = $1 AND to_at IS NULL;

-- name: open-manager-period
INSERT INTO customer_managers (customer_id, user_id, from_at) VALUES ($1, $2, $3) RETURNING id;

-- name: manager-history
SELECT COALESCE(u.public_id, ''), COALESCE(u.name, ''), m.from_at, m.to_at
FROM customer_managers m LEFT JOIN users u ON u.id = m.user_id
WHERE m.customer_id = $1 ORDER BY m.from_at DESC, m.id DESC;

-- name: insert-event
INSERT INTO customer_events (customer_id, at, actor_name, kind, data) VALUES ($1, $2, $3, $4, $5) RETURNING id;

-- name: events-of
SELECT id, at, actor_name, kind, data FROM customer_events
WHERE customer_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3;

-- name: delete-events-of
DELETE FROM customer_events WHERE customer_id = $1;

-- Name search is dialect-specific: these are SQLite's FTS5 forms, and
-- queries.postgres.sql gives the tsvector ones. $1 of search-names is the
-- folded query words joined by single spaces (letters and digits only).
-- name: set-search-words
INSERT OR REPLACE INTO customer_search (rowid, words) VALUES ($1, $2);

-- name: delete-search-words
DELETE FROM customer_search WHERE rowid = $1;

-- name: search-names
SELECT rowid FROM customer_search WHERE customer_search MATCH (replace($1, ' ', '* ') || '*') LIMIT $2;

-- name: list-customers
SELECT c.id FROM customers c
WHERE c.merged_into IS NULL AND c.erased_at IS NULL AND c.id > $1
  AND ($2 = '' OR EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag = $2))
  AND ($3 = 0 OR c.manager_id = $3)
  AND ($4 = '' OR c.persona = $4)
ORDER BY c.id LIMIT $5;

-- name: all-live-customer-ids
SELECT id FROM customers WHERE merged_into IS NULL AND erased_at IS NULL AND id > $1 ORDER BY id LIMIT $2;

-- name: count-customers
SELECT count(*) FROM customers WHERE merged_into IS NULL AND erased_at IS NULL;

-- name: duplicate-candidates
SELECT d.a_id, d.b_id, d.reason FROM duplicate_candidates d
JOIN customers a ON a.id = d.a_id
JOIN customers b ON b.id = d.b_id
WHERE a.merged_into IS NULL AND b.merged_into IS NULL AND a.erased_at IS NULL AND b.erased_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM duplicate_dismissals x WHERE x.a_id = d.a_id AND x.b_id = d.b_id)
ORDER BY d.reason, d.a_id, d.b_id LIMIT $1;

-- name: duplicate-matching
SELECT event_watermark, matched_at FROM duplicate_matching WHERE id = 1;

-- name: set-duplicate-matching
INSERT INTO duplicate_matching (id, event_watermark, matched_at, pairs) VALUES (1, $1, $2, $3)
ON CONFLICT (id) DO UPDATE SET event_watermark = excluded.event_watermark,
    matched_at = excluded.matched_at, pairs = excluded.pairs;

-- name: clear-duplicate-candidates
DELETE FROM duplicate_candidates;

-- name: newest-event-id
-- Every change to a card writes a timeline event: a newer one than the
-- matching pass saw means its findings may be out of date.
SELECT COALESCE(max(id), 0) FROM customer_events;

-- name: match-name-keys
SELECT id, name_key, birth_date FROM customers
WHERE name_key <> '' AND merged_into IS NULL AND erased_at IS NULL;

-- name: match-fragments
SELECT customer_id, fragment FROM customer_identities WHERE fragment <> '';

-- name: name-keys-batch
SELECT c.id, c.name_key FROM json_each($1) AS j JOIN customers c ON c.id = j.value;

-- name: dismiss-duplicate
INSERT INTO duplicate_dismissals (a_id, b_id, actor_name, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING;

-- name: insert-merge
INSERT INTO customer_merges (public_id, survivor_id, absorbed_id, actor_name, at, snapshot)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id;

-- name: merge-by-public-id
SELECT m.id, m.public_id, m.survivor_id, m.absorbed_id, m.actor_name, m.at, m.snapshot, m.undone_at,
       s.public_id, a.public_id
FROM customer_merges m JOIN customers s ON s.id = m.survivor_id JOIN customers a ON a.id = m.absorbed_id
WHERE m.public_id = $1;

-- name: merges-of
SELECT m.public_id, s.public_id, a.public_id, m.actor_name, m.at, m.undone_at
FROM customer_merges m JOIN customers s ON s.id = m.survivor_id JOIN customers a ON a.id = m.absorbed_id
WHERE m.survivor_id = $1 OR m.absorbed_id = $1 ORDER BY m.id DESC;

-- name: later-merges-into-absorbed
SELECT count(*) FROM customer_merges WHERE survivor_id = $1 AND undone_at IS NULL AND id > $2;

-- name: mark-merge-undone
UPDATE customer_merges SET undone_at = $2, undone_by = $3 WHERE id = $1;

-- name: move-identity
UPDATE customer_identities SET customer_id = $2 WHERE id = $1;

-- name: identity-ids-of
SELECT id FROM customer_identities WHERE customer_id = $1 ORDER BY id;

-- name: fact-ids-of
SELECT id FROM customer_facts WHERE customer_id = $1 ORDER BY id;

-- name: move-fact
UPDATE customer_facts SET customer_id = $2 WHERE id = $1;

-- name: consent-ids-of
SELECT id FROM customer_consents WHERE customer_id = $1 ORDER BY id;

-- name: move-consent
UPDATE customer_consents SET customer_id = $2 WHERE id = $1;

-- name: event-ids-of
SELECT id FROM customer_events WHERE customer_id = $1 ORDER BY id;

-- name: move-event
UPDATE customer_events SET customer_id = $2 WHERE id = $1;

-- name: delete-consents-of
DELETE FROM customer_consents WHERE customer_id = $1;

-- name: delete-manager-history-of
DELETE FROM customer_managers WHERE customer_id = $1;

-- name: absorbed-by
SELECT id FROM customers WHERE merged_into = $1;

-- name: scrub-merge-snapshots
UPDATE customer_merges SET snapshot = '{}', undone_at = COALESCE(undone_at, $2), undone_by = 'erased'
WHERE survivor_id = $1 OR absorbed_id = $1;

-- Batched writes for imports: $1 is a JSON array, one element per row.
-- These are SQLite's forms (json_each); queries.postgres.sql has jsonb ones.
-- name: replace-search-words-batch
INSERT OR REPLACE INTO customer_search (rowid, words)
SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each($1);

-- name: insert-search-words-batch
-- For new cards only: a replace looks each row up first.
INSERT INTO customer_search (rowid, words)
SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each($1);

-- name: search-index-missing
-- True when live cards exist but the name index is empty: a migration
-- recreated it, and customer.New rebuilds it.
SELECT EXISTS (SELECT 1 FROM customers WHERE merged_into IS NULL AND erased_at IS NULL)
   AND NOT EXISTS (SELECT 1 FROM customer_search);

-- name: cards-to-index
SELECT id, family_name, given_name, patronymic, preferred_name FROM customers
WHERE merged_into IS NULL AND erased_at IS NULL AND id > $1 ORDER BY id LIMIT $2;

-- name: identity-keys
-- Every identity key, for a bulk load's filter of the keys it may meet.
SELECT kind, value FROM customer_identities;

-- name: identity-count-estimate
-- About how many identities there are, without counting them: ids only grow.
SELECT COALESCE(max(id), 0) FROM customer_identities;

-- name: identity-owners-batch
SELECT i.kind, i.value, i.customer_id FROM json_each($1) AS j
JOIN customer_identities i ON i.kind = json_extract(j.value, '$[0]') AND i.value = json_extract(j.value, '$[1]');

-- name: customer-summaries-batch
SELECT c.id, c.public_id, c.family_name, c.given_name, c.patronymic, c.preferred_name, c.birth_date,
       c.persona, COALESCE(u.name, ''),
       COALESCE((SELECT i.value FROM customer_identities i WHERE i.customer_id = c.id AND i.kind = 'phone' ORDER BY i.id LIMIT 1), ''),
       COALESCE((SELECT i.value FROM customer_identities i WHERE i.customer_id = c.id AND i.kind = 'email' ORDER BY i.id LIMIT 1), '')
FROM json_each($1) AS j
JOIN customers c ON c.id = j.value
LEFT JOIN users u ON u.id = c.manager_id
WHERE c.merged_into IS NULL AND c.erased_at IS NULL;

-- The whole card in one statement: the row, then its lists as JSON arrays
-- (SQLite's json_group_array; queries.postgres.sql uses json_agg).
-- name: customer-card
-- $1 a card's internal id, or NULL and $2, $3 the kind and value of an
-- identity it owns: the phone system's lookup is then one statement.
SELECT c.id, c.public_id, c.family_name, c.given_name, c.patronymic, c.preferred_name, c.address_form,
       c.pronunciation, c.birth_date, c.persona, c.preferred_channel, c.language, c.time_zone,
       c.quiet_from, c.quiet_to, c.wish, c.manager_id, COALESCE(u.public_id, ''), COALESCE(u.name, ''),
       COALESCE(m.public_id, ''), c.erased_at, c.version, c.created_at, c.updated_at,
       (SELECT json_group_array(json_array(kind, value, raw)) FROM
          (SELECT kind, value, raw FROM customer_identities WHERE customer_id = c.id ORDER BY id)),
       (SELECT json_group_array(json_array(public_id, kind, text, pinned, created_by, created_at)) FROM
          (SELECT public_id, kind, text, pinned, created_by, created_at FROM customer_facts
           WHERE customer_id = c.id ORDER BY pinned DESC, id DESC)),
       (SELECT json_group_array(tag) FROM (SELECT tag FROM customer_tags WHERE customer_id = c.id ORDER BY tag)),
       (SELECT json_group_object(key, value) FROM customer_attributes WHERE customer_id = c.id),
       (SELECT json_group_array(json_array(channel, purpose, granted, source, actor_name, at)) FROM
          (SELECT channel, purpose, granted, source, actor_name, at FROM customer_consents
           WHERE customer_id = c.id ORDER BY channel, purpose, at DESC, id DESC))
FROM customers c
LEFT JOIN users u ON u.id = c.manager_id
LEFT JOIN customers m ON m.id = c.merged_into
WHERE c.id = COALESCE($1, (SELECT customer_id FROM customer_identities WHERE kind = $2 AND value = $3));

-- name: allocate-customer-ids
-- Ids for a bulk load's new cards, taken before the cards are written. The
-- loader holds the only write transaction and writes the cards before it
-- allocates again.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
SELECT (SELECT COALESCE(max(id), 0) FROM customers) + i FROM n;

-- name: compact-search-index
-- Merges the full-text index's segments into one: a load writes a segment
-- per batch, and a query reads every segment (at a million cards a
-- two-word prefix query ran 4 times faster after it).
INSERT INTO customer_search (customer_search) VALUES ('optimize');
