-- SQLite's full-text index changes its tokenizer here; PostgreSQL's
-- 'simple' tsvector is unchanged.
SELECT 1;
