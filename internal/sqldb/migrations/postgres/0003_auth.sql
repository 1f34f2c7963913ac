-- The audit log is listed newest first by id, and the admin page and the
-- customer card filter it by actor or by object. Indexes ending in id let
-- both be read in that order, stopping after one page, instead of sorting
-- every entry of a busy operator or a long-lived customer. They replace the
-- (…, at) indexes of 0001, which only time-ordered reads could use.
DROP INDEX audit_log_actor;
DROP INDEX audit_log_object;
CREATE INDEX audit_log_actor_id ON audit_log (actor_id, id);
CREATE INDEX audit_log_object_id ON audit_log (object_type, object_id, id);
