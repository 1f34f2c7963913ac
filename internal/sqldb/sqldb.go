// Package sqldb is the storage edge: it opens SQLite or PostgreSQL behind
// database/sql, runs migrations, loads named queries, and turns driver errors
// into vernost errors. Domain packages see only this package, never a driver.
package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Dialects. Domain code never branches on these; query overlays do.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is an open database: a writer and a reader pool. On SQLite the writer is
// a single connection, so writers queue in Go instead of failing with
// SQLITE_BUSY, while readers proceed in parallel under WAL. On PostgreSQL
// both are the same ordinary pool.
type DB struct {
	Dialect string
	W       *sql.DB
	R       *sql.DB
	DSN     string // as given, for messages and backup

	// bulkCache is set while SQLite's writer keeps the large page cache a
	// bulk load gave it; the next ordinary transaction shrinks it.
	bulkCache atomic.Bool
}

// IsPostgres reports whether dsn names a PostgreSQL server.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens dsn: a postgres:// URL, or a SQLite file path (created, with its
// directory, if missing).
func Open(ctx context.Context, dsn string) (*DB, error) {
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(max(8, 4*runtime.GOMAXPROCS(0)))
	pool.SetMaxIdleConns(max(8, 4*runtime.GOMAXPROCS(0)))
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	return &DB{Dialect: Postgres, W: pool, R: pool, DSN: dsn}, nil
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	path = strings.TrimPrefix(path, "sqlite://")
	if path == "" {
		return nil, errors.New("open sqlite: empty path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
	}
	// busy_timeout comes first so that the other pragmas already wait rather
	// than fail if another process holds the file.
	dsn := func(extra ...string) string {
		pragmas := url.Values{}
		for _, p := range append([]string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)", "temp_store(MEMORY)"}, extra...) {
			pragmas.Add("_pragma", p)
		}
		pragmas.Set("_time_format", "sqlite")
		return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas.Encode()
	}
	// The one writer checkpoints the WAL every 64 MiB rather than every
	// 4 MiB, so that bulk writes touch memory, not the file; its page cache
	// is small except during bulk loads (see writerCache). Readers get no
	// mmap: every commit invalidates their caches, and rebuilding pages
	// from a mapping costs more than re-reading them.
	w, err := sql.Open("sqlite", dsn(writerCache, "wal_autocheckpoint(16384)")+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn("cache_size(-16384)")+"&mode=ro")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxLifetime(0)
	return &DB{Dialect: SQLite, W: w, R: r, DSN: path}, nil
}

// The writer's page cache sizes, in KiB. A bulk load gets 64 MiB (SQLite's
// allocator here rounds each 4 KiB page with its header up to 8 KiB, so it
// takes 128 MiB; twice that did not load a million cards faster). Every
// other transaction runs with 8 MiB: the driver builds SQLite with one page
// cache mutex for all connections of the process, and at each commit the
// writer trims its cache holding it, for longer the fuller the cache. With
// a full bulk cache kept, readers waited on it behind every audit batch:
// the lookup's p99 in process went from 0.5 ms to 1.1–1.5 ms.
const (
	writerCache     = "cache_size(-8192)"
	bulkWriterCache = "PRAGMA cache_size = -65536"
	everydayCache   = "PRAGMA cache_size = -8192"
)

// Close closes both pools.
func (db *DB) Close() error {
	err := db.W.Close()
	if db.R != db.W {
		err = errors.Join(err, db.R.Close())
	}
	return err
}

// Tx is a write transaction on the writer.
type Tx struct {
	*sql.Tx
	db      *DB
	conn    *sql.Conn                 // a bulk transaction's, held until it ends
	inserts map[insertShape]*sql.Stmt // InsertRows' statements, closed with the transaction
	args    []any                     // InsertRows' arguments, reused
}

// DB returns the database the transaction belongs to.
func (tx *Tx) DB() *DB { return tx.db }

// WithTx runs fn in a write transaction, committing if fn returns nil and
// rolling back otherwise, so a failed request leaves nothing half-written.
// The returned error is already mapped to a vernost error.
func (db *DB) WithTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	stx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return MapError(fmt.Errorf("begin: %w", err))
	}
	defer func() {
		if p := recover(); p != nil {
			_ = stx.Rollback()
			panic(p)
		}
	}()
	if db.bulkCache.Swap(false) {
		// SQLite's one writer connection is this transaction's.
		if _, err := stx.ExecContext(ctx, everydayCache); err != nil {
			_ = stx.Rollback()
			db.bulkCache.Store(true)
			return MapError(fmt.Errorf("begin: %w", err))
		}
	}
	if err := fn(&Tx{Tx: stx, db: db}); err != nil {
		_ = stx.Rollback()
		return MapError(err)
	}
	if err := stx.Commit(); err != nil {
		return MapError(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// Analyze refreshes the planner's statistics after a bulk change, such as
// an import, so that the next queries are planned for the data as it is.
func (db *DB) Analyze(ctx context.Context) error {
	stmt := "PRAGMA optimize"
	if db.Dialect == Postgres {
		stmt = "ANALYZE"
	}
	_, err := db.W.ExecContext(ctx, stmt)
	return err
}

// Redact returns dsn with any password replaced, for logs and messages.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparseable DSN)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Savepoint runs fn inside a savepoint of tx: if fn fails, only its own
// writes are rolled back and the transaction goes on. Imports use it so
// that one bad row never spoils the rows batched with it.
func (tx *Tx) Savepoint(ctx context.Context, fn func() error) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT row_sp"); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT row_sp"); rerr != nil {
			return errors.Join(err, rerr)
		}
		_, _ = tx.ExecContext(ctx, "RELEASE SAVEPOINT row_sp")
		return err
	}
	_, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT row_sp")
	return err
}

// Optimistic runs fn, a step of a bulk load that should not fail, and
// reports whether a failure was undone. On PostgreSQL fn runs under a
// savepoint, which is cheap there: other writers' commits can make it fail,
// and the caller redoes the step another way. On SQLite this transaction is
// the only writer, and a savepoint would copy every page fn touches, so fn
// runs bare and a failure leaves the transaction for the caller to roll
// back.
func (tx *Tx) Optimistic(ctx context.Context, fn func() error) (undone bool, err error) {
	if tx.db.Dialect != Postgres {
		return false, fn()
	}
	err = tx.Savepoint(ctx, fn)
	return err != nil, err
}

// sqliteTime is the layout the SQLite driver writes times in, as Open asks
// it to (_time_format=sqlite).
const sqliteTime = "2006-01-02 15:04:05.999999999-07:00"

// TimeArg returns t as a statement argument, on SQLite already formatted
// as the driver would: a bulk load binds one time to every row of a batch,
// and formatting it again for each took a second per million cards.
func (db *DB) TimeArg(t time.Time) any {
	if db.Dialect == SQLite {
		return t.Format(sqliteTime)
	}
	return t
}

// Backup writes a consistent copy of a SQLite database to path while it
// stays in use (VACUUM INTO reads one snapshot and compacts as it copies).
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Dialect != SQLite {
		return errors.New("backup: only SQLite databases are copied this way; use pg_dump for PostgreSQL")
	}
	if _, err := db.W.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// BeginBulk starts a write transaction for a bulk load that spans many
// calls, such as an import committing every few tens of thousands of rows;
// the caller commits or rolls it back. On PostgreSQL the transaction plans
// every statement for its actual values: a prepared statement run many
// times otherwise settles on a generic plan chosen while the tables were
// still small (a sequential scan of all identities per batch), which stays
// wrong as they grow. Ordinary requests keep cached plans, which matter for
// their latency.
//
// On SQLite the transaction does not enforce foreign keys: a bulk load's
// rows refer to cards it wrote or read in the same transaction, which
// SQLite's one writer keeps from changing, and to users and attribute
// definitions, which are never deleted; looking each new identity's and
// event's card up again took a twentieth of a million-card load. The
// connection enforces them again before anyone else uses it. The writer's
// page cache grows for the load and shrinks at the next ordinary
// transaction (see writerCache).
//
// The transaction keeps its connection until it ends, so that the write
// mark is read on it right after the commit.
func (db *DB) BeginBulk(ctx context.Context) (*Tx, error) {
	conn, err := db.W.Conn(ctx)
	if err != nil {
		return nil, MapError(fmt.Errorf("begin: %w", err))
	}
	tx := &Tx{db: db, conn: conn}
	if db.Dialect == SQLite {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			_ = tx.release()
			return nil, MapError(fmt.Errorf("begin: %w", err))
		}
		if _, err := conn.ExecContext(ctx, bulkWriterCache); err != nil {
			_ = tx.release()
			return nil, MapError(fmt.Errorf("begin: %w", err))
		}
		db.bulkCache.Store(true)
	}
	if tx.Tx, err = conn.BeginTx(ctx, nil); err != nil {
		_ = tx.release()
		return nil, MapError(fmt.Errorf("begin: %w", err))
	}
	if db.Dialect == Postgres {
		if _, err := tx.ExecContext(ctx, "SET LOCAL plan_cache_mode = force_custom_plan"); err != nil {
			_ = tx.Rollback()
			return nil, MapError(err)
		}
	}
	return tx, nil
}

// Commit commits tx and lets a bulk transaction's connection go.
func (tx *Tx) Commit() error {
	return errors.Join(tx.Tx.Commit(), tx.release())
}

// Rollback rolls tx back and lets a bulk transaction's connection go.
func (tx *Tx) Rollback() error {
	return errors.Join(tx.Tx.Rollback(), tx.release())
}

// release gives a bulk transaction's connection back to the pool with
// foreign keys enforced again; one that cannot be restored is discarded.
func (tx *Tx) release() error {
	conn := tx.conn
	if conn == nil {
		return nil
	}
	tx.conn = nil
	if tx.db.Dialect == SQLite {
		if _, err := conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON"); err != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			return errors.Join(err, conn.Close())
		}
	}
	return conn.Close()
}

// CommitMarked commits a bulk transaction and returns the write mark right
// after it, read on the same connection before any other transaction can
// use it: the commit itself writes (the full-text index flushes its pending
// rows then), so a mark taken before it would always differ.
func (tx *Tx) CommitMarked(ctx context.Context) (m WriteMark, ok bool, err error) {
	if tx.conn == nil {
		return m, false, errors.New("commit: not a bulk transaction")
	}
	defer func() { err = errors.Join(err, tx.release()) }()
	if err := tx.Tx.Commit(); err != nil {
		return m, false, err
	}
	return writeMark(ctx, tx.db, tx.conn)
}

// A WriteMark tells whether anyone else wrote to a SQLite database between
// two of the writer's transactions: take one as the first commits
// (CommitMarked) and one in the second (Tx.WriteMark) before it writes;
// they are equal only if nothing was written in between. It pairs the file's data version, which another
// connection's commit changes, with the writer connection's change count,
// which another transaction on the same connection advances.
type WriteMark struct{ version, changes int64 }

// WriteMark returns tx's mark; ok is false on PostgreSQL, whose many
// writers leave nothing to compare.
func (tx *Tx) WriteMark(ctx context.Context) (m WriteMark, ok bool, err error) {
	return writeMark(ctx, tx.db, tx.Tx)
}

func writeMark(ctx context.Context, db *DB, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (m WriteMark, ok bool, err error) {
	if db.Dialect != SQLite {
		return m, false, nil
	}
	err = q.QueryRowContext(ctx, "SELECT (SELECT data_version FROM pragma_data_version), total_changes()").Scan(&m.version, &m.changes)
	return m, err == nil, err
}
