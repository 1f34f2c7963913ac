-- name: dialect
SELECT 'postgres' || (version() <> '')::text;
