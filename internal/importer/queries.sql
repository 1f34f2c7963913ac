-- Import jobs (jobs.go).

-- name: insert-job
INSERT INTO import_jobs (public_id, file_name, status, actor_name, created_at, size_bytes, heartbeat_at)
VALUES ($1, $2, 'running', $3, $4, $5, $4)
RETURNING id;

-- name: job-progress
UPDATE import_jobs
SET total_rows = $2, created = $3, updated = $4, unchanged = $5, rejected = $6, bytes_read = $7, heartbeat_at = $8
WHERE id = $1 AND status = 'running';

-- name: job-heartbeat
UPDATE import_jobs SET heartbeat_at = $2 WHERE id = $1 AND status = 'running';

-- name: finish-job
UPDATE import_jobs
SET status = $2, total_rows = $3, created = $4, updated = $5, unchanged = $6, rejected = $7, bytes_read = $8,
    report = $9, rejects = $10, error = $11, finished_at = $12, heartbeat_at = $12
WHERE id = $1 AND status = 'running';

-- name: fail-job
UPDATE import_jobs SET status = 'failed', error = $2, finished_at = $3
WHERE id = $1 AND status = 'running';

-- name: job-by-public-id
SELECT id, public_id, file_name, status, total_rows, created, updated, unchanged, rejected, bytes_read,
       size_bytes, error, actor_name, created_at, finished_at, heartbeat_at, report
FROM import_jobs WHERE public_id = $1;

-- name: list-jobs
SELECT id, public_id, file_name, status, total_rows, created, updated, unchanged, rejected, bytes_read,
       size_bytes, error, actor_name, created_at, finished_at, heartbeat_at, ''
FROM import_jobs ORDER BY id DESC LIMIT $1;

-- name: running-jobs
SELECT id, public_id, heartbeat_at FROM import_jobs WHERE status = 'running';

-- name: job-rejects
SELECT status, rejects FROM import_jobs WHERE public_id = $1;
