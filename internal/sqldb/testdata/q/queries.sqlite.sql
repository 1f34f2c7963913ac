-- name: dialect
SELECT 'sqlite' || sqlite_version() <> '';
