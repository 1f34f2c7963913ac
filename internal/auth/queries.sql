-- name: insert-user
INSERT INTO users (public_id, login, name, email, role, password_hash, locale, active, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
RETURNING id;

-- name: user-by-id
SELECT id, public_id, login, name, email, role, locale, active, created_at, updated_at
FROM users WHERE id = $1;

-- name: user-by-public-id
SELECT id, public_id, login, name, email, role, locale, active, created_at, updated_at
FROM users WHERE public_id = $1;

-- name: user-by-login
SELECT id, public_id, login, name, email, role, locale, active, created_at, updated_at
FROM users WHERE login = $1;

-- name: user-and-hash-by-login
SELECT id, public_id, login, name, email, role, locale, active, created_at, updated_at, password_hash
FROM users WHERE login = $1;

-- name: list-users
SELECT id, public_id, login, name, email, role, locale, active, created_at, updated_at
FROM users ORDER BY login;

-- name: lock-user-by-public-id
-- The PostgreSQL overlay adds FOR UPDATE; SQLite's single writer already
-- serialises the transaction.
SELECT id, public_id, login, name, email, role, locale, active, created_at, updated_at
FROM users WHERE public_id = $1;

-- name: lock-active-admins
-- Read (and on PostgreSQL lock) every active admin, so two transactions
-- cannot each demote a different one of the last two.
SELECT id FROM users WHERE role = 'admin' AND active;

-- name: update-user
UPDATE users SET name = $2, email = $3, locale = $4, role = $5, active = $6, updated_at = $7
WHERE id = $1;

-- name: set-password-hash
UPDATE users SET password_hash = $2, updated_at = $3 WHERE login = $1
RETURNING id, public_id;

-- name: rehash-password
UPDATE users SET password_hash = $2 WHERE id = $1;

-- name: recent-failures-by-login
-- Failed attempts inside the window and after the login's last success,
-- newest first; $3 is the limit, so the last row returned is the one whose
-- expiry lifts the block.
SELECT at FROM login_attempts
WHERE login = $1 AND NOT ok AND at > $2
  AND at > COALESCE((SELECT max(s.at) FROM login_attempts s WHERE s.login = $1 AND s.ok), $2)
ORDER BY at DESC
LIMIT $3;

-- name: recent-failures-by-ip
SELECT at FROM login_attempts
WHERE ip = $1 AND NOT ok AND at > $2
ORDER BY at DESC
LIMIT $3;

-- name: insert-attempt
INSERT INTO login_attempts (login, ip, ok, at) VALUES ($1, $2, $3, $4);

-- name: insert-session
INSERT INTO sessions (id_hash, user_id, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $6, $7);

-- name: session-by-hash
SELECT s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,
       u.id, u.public_id, u.login, u.name, u.email, u.role, u.locale, u.active, u.created_at, u.updated_at
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.id_hash = $1;

-- name: touch-session
UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1;

-- name: delete-session
DELETE FROM sessions WHERE id_hash = $1 RETURNING user_id;

-- name: delete-user-sessions
DELETE FROM sessions WHERE user_id = $1;

-- name: purge-sessions
DELETE FROM sessions WHERE expires_at <= $1;

-- name: purge-attempts
DELETE FROM login_attempts WHERE at < $1;

-- name: insert-token
INSERT INTO api_tokens (public_id, name, user_id, token_hash, scopes, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id;

-- name: token-by-hash
SELECT t.id, t.public_id, t.name, t.user_id, t.scopes, t.created_at, t.last_used_at, t.revoked_at,
       u.id, u.public_id, u.login, u.name, u.email, u.role, u.locale, u.active, u.created_at, u.updated_at
FROM api_tokens t JOIN users u ON u.id = t.user_id
WHERE t.token_hash = $1;

-- name: token-by-public-id
SELECT id, public_id, name, user_id, scopes, created_at, last_used_at, revoked_at
FROM api_tokens WHERE public_id = $1;

-- name: list-tokens
SELECT id, public_id, name, user_id, scopes, created_at, last_used_at, revoked_at
FROM api_tokens ORDER BY id DESC;

-- name: touch-token
UPDATE api_tokens SET last_used_at = $2 WHERE id = $1;

-- name: revoke-token
UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL;
