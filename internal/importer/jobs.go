package importer

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
)

// Job states.
const (
	StatusRunning = "running"
	StatusDone    = "done"
	StatusFailed  = "failed"
)

// Limits of background imports.
const (
	// MaxRunning is how many imports one process runs at once: the writer
	// is shared with everyone using the system.
	MaxRunning = 2
	// maxRejectBytes bounds the reject CSV kept per job; the report counts
	// every rejected row even when the list is cut.
	maxRejectBytes = 8 << 20
	// A running job's row is touched every heartbeatEvery; one untouched
	// for staleAfter belongs to a process that died.
	heartbeatEvery = 20 * time.Second
	staleAfter     = 2 * time.Minute
)

const interrupted = "the server stopped during the import; run it again: rows already imported are not duplicated"

//go:embed queries.sql
var queryFiles embed.FS

// JobStatus is what is known of one background import.
type JobStatus struct {
	ID         string     `json:"id"`
	FileName   string     `json:"file_name"`
	Status     string     `json:"status"` // running, done, failed
	Progress   Progress   `json:"progress"`
	Report     *Report    `json:"report,omitempty"` // when it ended (Status only; List leaves it out)
	Error      string     `json:"error,omitempty"`  // why it failed, safe to show
	Actor      string     `json:"actor"`
	CreatedAt  time.Time  `json:"created_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

// Jobs runs imports in the background so that a file of a million rows
// does not hold an HTTP request open. Each job lives in the import_jobs
// table: progress is written after every batch, the report and the
// rejected rows when it ends. A job whose process died is recognised by its
// stale heartbeat and shown as failed; jobs of other live nodes sharing the
// database are left alone.
type Jobs struct {
	db    *sqldb.DB
	q     *sqldb.Queries
	store Store
	audit Auditor
	clock vernost.Clock
	log   *slog.Logger

	mu      sync.Mutex
	running map[string]*job // by public id, this process's jobs only
	slots   int             // jobs started or starting
	closed  bool
	wg      sync.WaitGroup
}

// job is one import running in this process.
type job struct {
	rowID  int64
	cancel context.CancelFunc
	done   chan struct{}

	mu     sync.Mutex
	status JobStatus
}

func (jb *job) snapshot() JobStatus {
	jb.mu.Lock()
	defer jb.mu.Unlock()
	return jb.status
}

// NewJobs prepares the job queries and marks as failed the jobs that a
// crashed process left running.
func NewJobs(ctx context.Context, db *sqldb.DB, store Store, audit Auditor, clock vernost.Clock) (*Jobs, error) {
	if clock == nil {
		clock = vernost.SystemClock{}
	}
	q, err := sqldb.LoadQueries(ctx, db, queryFiles)
	if err != nil {
		return nil, fmt.Errorf("import jobs: %w", err)
	}
	j := &Jobs{db: db, q: q, store: store, audit: audit, clock: clock, log: slog.Default(), running: map[string]*job{}}
	if err := j.failStale(ctx); err != nil {
		q.Close()
		return nil, err
	}
	return j, nil
}

// Close stops the running imports (they end as failed, to be run again)
// and waits for them.
func (j *Jobs) Close() {
	j.mu.Lock()
	if j.closed {
		j.mu.Unlock()
		return
	}
	j.closed = true
	for _, jb := range j.running {
		jb.cancel()
	}
	j.mu.Unlock()
	j.wg.Wait()
	j.q.Close()
}

// JobBatchSize is how many rows a job started from the web commits at once:
// operators are at work meanwhile, and their edits wait for the one writer
// while a transaction holds it; this many rows hold it for about half a
// second.
const JobBatchSize = 5000

// Start copies r to a temporary file first (so the HTTP request can end),
// then imports it in the background as the actor in ctx. The context's
// cancellation is dropped, its values (the actor) kept. An empty
// opt.Format is taken from the file name's extension; opt.Source defaults
// to the file name; opt.BatchSize to JobBatchSize. A file that cannot be
// imported at all (no known column, a bad mapping) is refused here rather
// than as a failed job.
// opt.Rejects and opt.Progress are replaced by the job's own.
func (j *Jobs) Start(ctx context.Context, fileName string, r io.Reader, opt Options) (JobStatus, error) {
	name, err := cleanFileName(fileName)
	if err != nil {
		return JobStatus{}, err
	}
	if opt.Format == "" {
		opt.Format = "csv"
		if ext := strings.ToLower(filepath.Ext(name)); ext == ".jsonl" || ext == ".ndjson" {
			opt.Format = "jsonl"
		}
	}
	if opt.Source == "" {
		opt.Source = name
	}
	if opt.BatchSize == 0 {
		opt.BatchSize = JobBatchSize
	}
	if err := j.reserve(); err != nil {
		return JobStatus{}, err
	}
	started := false
	defer func() {
		if !started {
			j.release()
		}
	}()
	f, size, err := spool(r, name)
	if err != nil {
		return JobStatus{}, err
	}
	defer func() {
		if !started {
			discard(f)
		}
	}()
	if err := precheck(f, opt); err != nil {
		return JobStatus{}, err
	}
	opt.Size = size

	actor := vernost.ActorFrom(ctx)
	now := j.now()
	st := JobStatus{ID: vernost.PublicID(), FileName: name, Status: StatusRunning, Actor: actor.Name,
		CreatedAt: now, Progress: Progress{Size: size}}
	var rowID int64
	err = j.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		return j.q.QueryRow(ctx, tx, "insert-job", st.ID, name, actor.Name, now, size).Scan(&rowID)
	})
	if err != nil {
		return JobStatus{}, sqldb.MapError(err)
	}
	jctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	jb := &job{rowID: rowID, cancel: cancel, done: make(chan struct{}), status: st}
	j.mu.Lock()
	j.running[st.ID] = jb
	if j.closed {
		cancel() // Close came while the file was arriving: the job ends at once
	}
	j.mu.Unlock()
	started = true
	go j.run(jctx, jb, f, opt)
	return st, nil
}

// reserve takes a slot for a new job.
func (j *Jobs) reserve() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	switch {
	case j.closed:
		return vernost.Errorf(vernost.EUnavailable, "the server is stopping; import the file again in a moment")
	case j.slots >= MaxRunning:
		return vernost.Errorf(vernost.ERateLimited, "%d imports are already running; start this one when one of them ends", j.slots)
	}
	j.slots++
	j.wg.Add(1)
	return nil
}

func (j *Jobs) release() {
	j.mu.Lock()
	j.slots--
	j.mu.Unlock()
	j.wg.Done()
}

// run imports the spooled file and records the outcome.
func (j *Jobs) run(ctx context.Context, jb *job, f *os.File, opt Options) {
	rejects := &rejectBuffer{limit: maxRejectBytes}
	opt.Rejects = rejects
	opt.Progress = func(p Progress) {
		jb.mu.Lock()
		jb.status.Progress = p
		jb.mu.Unlock()
		_, err := j.write(ctx, "job-progress", jb.rowID, p.Rows, p.Created, p.Updated, p.Unchanged, p.Rejected, p.Bytes, j.now())
		if err != nil && ctx.Err() == nil {
			j.log.Warn("import progress not saved", "job", jb.status.ID, "err", err)
		}
	}
	stop := j.heartbeat(ctx, jb.rowID)
	rep, err := safeRun(ctx, j.store, j.audit, f, opt)
	stop()
	id := j.finish(context.WithoutCancel(ctx), jb, rep, rejects.CSV(), err)
	jb.cancel()
	discard(f)
	j.mu.Lock()
	delete(j.running, id)
	j.mu.Unlock()
	j.release()
	close(jb.done)
}

// safeRun is Run with a panic turned into the job's failure: a bug met by
// one odd file must not stop the server.
func safeRun(ctx context.Context, store Store, audit Auditor, f *os.File, opt Options) (rep *Report, err error) {
	defer func() {
		if p := recover(); p != nil {
			rep, err = nil, vernost.Internal(fmt.Errorf("panic: %v\n%s", p, debug.Stack()))
		}
	}()
	return Run(ctx, store, audit, f, opt)
}

// finish stores the outcome; afterwards Status reads it from the table.
func (j *Jobs) finish(ctx context.Context, jb *job, rep *Report, rejects string, runErr error) string {
	jb.mu.Lock()
	st := jb.status
	jb.mu.Unlock()
	now := j.now()
	st.FinishedAt = &now
	st.Status, st.Report = StatusDone, rep
	if runErr != nil {
		st.Status, st.Error = StatusFailed, failureMessage(runErr)
		if vernost.ErrorCode(runErr) == vernost.EInternal && !errors.Is(runErr, context.Canceled) {
			j.log.Error("import failed", "job", st.ID, "file", st.FileName, "err", runErr)
		}
	}
	report := ""
	if rep != nil {
		st.Progress = rep.Progress
		b, err := json.Marshal(rep)
		if err != nil {
			j.log.Error("import report not encoded", "job", st.ID, "err", err)
		}
		report = string(b)
	}
	p := st.Progress
	_, err := j.write(ctx, "finish-job", jb.rowID, st.Status, p.Rows, p.Created, p.Updated, p.Unchanged, p.Rejected, p.Bytes,
		report, rejects, st.Error, now)
	if err != nil {
		// The row stays "running" until its heartbeat goes stale.
		j.log.Error("import outcome not saved", "job", st.ID, "err", err)
	}
	jb.mu.Lock()
	jb.status = st
	jb.mu.Unlock()
	return st.ID
}

// heartbeat touches the job's row until stop is called, so that other
// processes can tell a slow import from a dead one.
func (j *Jobs) heartbeat(ctx context.Context, rowID int64) (stop func()) {
	quit := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		t := time.NewTicker(heartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if _, err := j.write(ctx, "job-heartbeat", rowID, j.now()); err != nil && ctx.Err() == nil {
					j.log.Warn("import heartbeat not saved", "err", err)
				}
			}
		}
	}()
	return func() { close(quit); <-ended }
}

// Wait blocks until the job id, if this process runs it, has ended.
func (j *Jobs) Wait(id string) {
	if jb := j.local(id); jb != nil {
		<-jb.done
	}
}

func (j *Jobs) local(id string) *job {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.running[id]
}

// failureMessage is the safe text of why a job failed.
func failureMessage(err error) string {
	if errors.Is(err, context.Canceled) {
		return interrupted
	}
	if f := vernost.ErrorField(err); f != "" {
		return f + ": " + vernost.ErrorMessage(err)
	}
	return vernost.ErrorMessage(err)
}
