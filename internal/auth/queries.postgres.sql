-- name: lock-user-by-public-id
SELECT id, public_id, login, name, email, role, locale, active, created_at, updated_at
FROM users WHERE public_id = $1
FOR UPDATE;

-- name: lock-active-admins
SELECT id FROM users WHERE role = 'admin' AND active
ORDER BY id
FOR UPDATE;
