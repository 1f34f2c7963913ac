package importer

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
)

// Reading jobs from the import_jobs table, where they outlive the process
// that ran them, and failing those whose process died.

// Status returns the job id: live progress while this process runs it,
// else what the table holds.
func (j *Jobs) Status(ctx context.Context, id string) (JobStatus, error) {
	if jb := j.local(id); jb != nil {
		return jb.snapshot(), nil
	}
	rows, err := j.q.Query(ctx, nil, "job-by-public-id", id)
	if err != nil {
		return JobStatus{}, sqldb.MapError(err)
	}
	sts, err := j.scan(ctx, rows)
	if err != nil {
		return JobStatus{}, err
	}
	if len(sts) == 0 {
		return JobStatus{}, vernost.Errorf(vernost.ENotFound, "import %s not found", id)
	}
	return sts[0], nil
}

// List returns the latest jobs, newest first, without their reports.
func (j *Jobs) List(ctx context.Context, limit int) ([]JobStatus, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := j.q.Query(ctx, nil, "list-jobs", limit)
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	return j.scan(ctx, rows)
}

// Rejects writes the CSV of the job's rejected rows: line, reason, then
// the row as read. It is ready when the job has ended.
func (j *Jobs) Rejects(ctx context.Context, id string, w io.Writer) error {
	var status, rejects string
	err := j.q.QueryRow(ctx, nil, "job-rejects", id).Scan(&status, &rejects)
	if errors.Is(err, sql.ErrNoRows) {
		return vernost.Errorf(vernost.ENotFound, "import %s not found", id)
	}
	if err != nil {
		return sqldb.MapError(err)
	}
	if status == StatusRunning {
		return vernost.Errorf(vernost.EConflict, "import %s is still running; its rejected rows are ready when it ends", id)
	}
	_, err = io.WriteString(w, rejects)
	return err
}

// scan reads job rows, taking live progress for this process's jobs and
// failing the stale ones of dead processes.
func (j *Jobs) scan(ctx context.Context, rows *sql.Rows) ([]JobStatus, error) {
	defer rows.Close()
	out := []JobStatus{}
	type staleJob struct {
		rowID int64
		index int
	}
	var stale []staleJob
	for rows.Next() {
		var st JobStatus
		var rowID int64
		var finished, beat sql.NullTime
		var report string
		p := &st.Progress
		if err := rows.Scan(&rowID, &st.ID, &st.FileName, &st.Status, &p.Rows, &p.Created, &p.Updated, &p.Unchanged,
			&p.Rejected, &p.Bytes, &p.Size, &st.Error, &st.Actor, &st.CreatedAt, &finished, &beat, &report); err != nil {
			return nil, sqldb.MapError(err)
		}
		st.CreatedAt = st.CreatedAt.UTC()
		if finished.Valid {
			t := finished.Time.UTC()
			st.FinishedAt = &t
		}
		if report != "" {
			st.Report = &Report{}
			if err := json.Unmarshal([]byte(report), st.Report); err != nil {
				return nil, vernost.Internal(fmt.Errorf("import %s report: %w", st.ID, err))
			}
		}
		if st.Status == StatusRunning {
			if jb := j.local(st.ID); jb != nil {
				st = jb.snapshot()
			} else if j.isStale(beat) {
				stale = append(stale, staleJob{rowID, len(out)})
			}
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, sqldb.MapError(err)
	}
	rows.Close()
	for _, s := range stale {
		now, err := j.fail(ctx, s.rowID)
		if err != nil {
			return nil, err
		}
		out[s.index].Status, out[s.index].Error, out[s.index].FinishedAt = StatusFailed, interrupted, &now
	}
	return out, nil
}

// failStale marks failed every running job whose heartbeat stopped.
func (j *Jobs) failStale(ctx context.Context) error {
	rows, err := j.q.Query(ctx, nil, "running-jobs")
	if err != nil {
		return sqldb.MapError(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		var public string
		var beat sql.NullTime
		if err := rows.Scan(&id, &public, &beat); err != nil {
			rows.Close()
			return sqldb.MapError(err)
		}
		if j.local(public) == nil && j.isStale(beat) {
			ids = append(ids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return sqldb.MapError(err)
	}
	for _, id := range ids {
		if _, err := j.fail(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

func (j *Jobs) isStale(beat sql.NullTime) bool {
	return !beat.Valid || j.clock.Now().Sub(beat.Time) > staleAfter
}

func (j *Jobs) fail(ctx context.Context, rowID int64) (time.Time, error) {
	now := j.now()
	_, err := j.write(ctx, "fail-job", rowID, interrupted, now)
	return now, err
}

// write runs one statement in a transaction of its own.
func (j *Jobs) write(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := j.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		res, err = j.q.Exec(ctx, tx, query, args...)
		return err
	})
	return res, err
}

// now is the clock's time at the precision both databases keep.
func (j *Jobs) now() time.Time { return j.clock.Now().UTC().Truncate(time.Microsecond) }
