-- SQLite's full-text index gets a larger in-memory buffer here; the GIN
-- index of PostgreSQL has its own (gin_pending_list_limit) and needs none.
SELECT 1;
