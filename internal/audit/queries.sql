-- name: insert-entry
INSERT INTO audit_log (at, actor_id, actor_name, action, object_type, object_id, detail, ip)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8);

-- The list queries differ in their driving condition, the one an index
-- serves: one object's history, one actor's entries, a time range, or the
-- newest entries of the whole log. The remaining filters are optional: a
-- zero value (0, '') switches one off. Optional filters cannot use an index,
-- which is why List picks a variant rather than one query doing all. The
-- casts fix parameter types for PostgreSQL, which cannot infer them from
-- "$1 = 0" alone.

-- name: list-entries-by-object
-- $1 object_type, $2 object_id, $3 from, $4 to, $5 actor_id, $6 action,
-- $7 before (id cursor), $8 limit. Served by audit_log_object_id.
SELECT id, at, actor_id, actor_name, action, object_type, object_id, detail, ip
FROM audit_log
WHERE object_type = $1 AND object_id = $2
  AND COALESCE(at, at) >= $3 AND COALESCE(at, at) < $4
  AND (CAST($5 AS BIGINT) = 0 OR actor_id = $5)
  AND (CAST($6 AS TEXT) = '' OR action = $6)
  AND (CAST($7 AS BIGINT) = 0 OR id < $7)
ORDER BY id DESC
LIMIT $8;

-- name: list-entries-by-actor
-- $1 actor_id, $2 from, $3 to, $4 action, $5 object_type, $6 object_id,
-- $7 before, $8 limit. Served by audit_log_actor_id.
SELECT id, at, actor_id, actor_name, action, object_type, object_id, detail, ip
FROM audit_log
WHERE actor_id = $1
  AND COALESCE(at, at) >= $2 AND COALESCE(at, at) < $3
  AND (CAST($4 AS TEXT) = '' OR action = $4)
  AND (CAST($5 AS TEXT) = '' OR object_type = $5)
  AND (CAST($6 AS TEXT) = '' OR object_id = $6)
  AND (CAST($7 AS BIGINT) = 0 OR id < $7)
ORDER BY id DESC
LIMIT $8;

-- name: list-entries-in-range
-- $1 from, $2 to, $3 action, $4 object_type, $5 before, $6 limit.
-- Served by audit_log_at.
SELECT id, at, actor_id, actor_name, action, object_type, object_id, detail, ip
FROM audit_log
WHERE at >= $1 AND at < $2
  AND (CAST($3 AS TEXT) = '' OR action = $3)
  AND (CAST($4 AS TEXT) = '' OR object_type = $4)
  AND (CAST($5 AS BIGINT) = 0 OR id < $5)
ORDER BY id DESC
LIMIT $6;

-- name: list-entries
-- $1 action, $2 object_type, $3 before, $4 limit. Newest first along the
-- primary key.
SELECT id, at, actor_id, actor_name, action, object_type, object_id, detail, ip
FROM audit_log
WHERE (CAST($1 AS TEXT) = '' OR action = $1)
  AND (CAST($2 AS TEXT) = '' OR object_type = $2)
  AND (CAST($3 AS BIGINT) = 0 OR id < $3)
ORDER BY id DESC
LIMIT $4;
