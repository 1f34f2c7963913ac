-- name: insert-thing
INSERT INTO things (name) VALUES ($1) RETURNING id;

-- name: thing-name
SELECT name FROM things WHERE id = $1;

-- name: dialect
SELECT 'generic';
