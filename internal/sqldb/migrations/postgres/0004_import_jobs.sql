-- Import jobs run in the background: the progress bar needs the bytes read
-- and the file's size, the result page the whole report, and the heartbeat
-- tells a job whose process died (stale) from one another node is running.
ALTER TABLE import_jobs ADD COLUMN bytes_read BIGINT NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN size_bytes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN report TEXT NOT NULL DEFAULT '';
ALTER TABLE import_jobs ADD COLUMN heartbeat_at TIMESTAMPTZ;
