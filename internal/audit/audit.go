// Package audit keeps the record of who did what and when: every view of a
// customer card and every change, readable and exportable by an admin.
//
// An entry is written in the same transaction as the change it describes, so
// there is never a change without its entry, nor an entry for a change that
// was rolled back.
package audit

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
)

//go:embed queries.sql
var queryFiles embed.FS

// Entry is one line of the audit log. ActorID is 0 for the system.
type Entry struct {
	ID         int64
	At         time.Time
	ActorID    int64
	ActorName  string
	Action     string // a dotted verb: "user.create", "customer.view"
	ObjectType string // "user", "customer", "token", …
	ObjectID   string // the object's public id
	Detail     string // what changed, for a person to read
	IP         string
}

// Filter selects entries. Zero fields do not filter.
type Filter struct {
	ActorID    int64
	Action     string
	ObjectType string
	ObjectID   string
	From, To   time.Time // From inclusive, To exclusive
	Before     int64     // cursor: only entries with ID < Before
	Limit      int       // List only: default 100, at most 1000
}

// List page sizes.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Bounds on stored text. An audit row must never be the reason a change
// fails, so over-long free text is cut rather than refused.
const (
	maxActorName = 128
	maxObject    = 128
	maxDetail    = 4000
)

// actionPattern accepts dotted lower-case verbs such as "session.login_failed".
var actionPattern = regexp.MustCompile(`^[a-z][a-z_]*(\.[a-z][a-z_]*)+$`)

// Log writes and reads the audit log.
type Log struct {
	db     *sqldb.DB
	q      *sqldb.Queries
	clock  vernost.Clock
	writer *writer
}

// New prepares the audit queries on db.
func New(ctx context.Context, db *sqldb.DB, clock vernost.Clock) (*Log, error) {
	if clock == nil {
		clock = vernost.SystemClock{}
	}
	q, err := sqldb.LoadQueries(ctx, db, queryFiles)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	l := &Log{db: db, q: q, clock: clock}
	l.writer = newWriter(l)
	return l, nil
}

// Close writes what is still queued and releases the prepared statements.
func (l *Log) Close() {
	l.writer.close()
	l.q.Close()
}

// Flush waits until every entry recorded so far is in the database.
func (l *Log) Flush(ctx context.Context) error { return l.writer.flush(ctx) }

// Record writes one entry for the actor in ctx. With tx non-nil the entry is
// written inside tx and commits or rolls back with it; with tx nil it is
// queued for the background writer (see writer.go).
func (l *Log) Record(ctx context.Context, tx *sqldb.Tx, action, objectType, objectID, detail string) error {
	if !actionPattern.MatchString(action) || len(action) > 64 {
		return vernost.Invalid("action", "%q is not a dotted verb such as \"user.create\"", action)
	}
	e := l.entry(ctx, action, objectType, objectID, detail)
	if tx == nil {
		return l.writer.add(e)
	}
	return l.insertEntry(ctx, tx, e)
}

// entry builds the row for the actor in ctx, now.
func (l *Log) entry(ctx context.Context, action, objectType, objectID, detail string) entry {
	a := vernost.ActorFrom(ctx)
	name := a.Name
	if name == "" {
		// A missing actor is a wiring bug elsewhere; the entry is still
		// written so the change stays traceable.
		name = "unknown"
	}
	var actorID any // NULL for the system
	if a.UserID != 0 {
		actorID = a.UserID
	}
	return entry{at: l.clock.Now().UTC().Truncate(time.Microsecond), actorID: actorID, actorName: clip(name, maxActorName),
		action: action, objectType: clip(objectType, maxObject), objectID: clip(objectID, maxObject),
		detail: clip(detail, maxDetail), ip: clip(a.IP, maxObject)}
}

func (l *Log) insertEntry(ctx context.Context, tx *sqldb.Tx, e entry) error {
	_, err := l.q.Exec(ctx, tx, "insert-entry", e.at, e.actorID, e.actorName, e.action, e.objectType, e.objectID, e.detail, e.ip)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.action, err)
	}
	return nil
}

// List returns the entries matching f, newest first, at most f.Limit of
// them. To page on, pass the ID of the last entry as the next Before.
func (l *Log) List(ctx context.Context, f Filter) ([]Entry, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	if err := l.Flush(ctx); err != nil {
		return nil, err
	}
	var out []Entry
	err := l.each(ctx, f, func(e Entry) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// each runs the query f calls for and hands every row to fn.
func (l *Log) each(ctx context.Context, f Filter, fn func(Entry) error) error {
	query, args := f.query()
	rows, err := l.q.Query(ctx, nil, query, args...)
	if err != nil {
		return sqldb.MapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return sqldb.MapError(err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return sqldb.MapError(rows.Err())
}

func (f Filter) validate() error {
	switch {
	case f.ActorID < 0:
		return vernost.Invalid("actor_id", "must not be negative")
	case f.Before < 0:
		return vernost.Invalid("before", "must not be negative")
	case f.Limit < 0:
		return vernost.Invalid("limit", "must not be negative")
	case f.ObjectID != "" && f.ObjectType == "":
		return vernost.Invalid("object_type", "is required with object_id")
	case !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To):
		return vernost.Invalid("to", "must be after from")
	}
	return nil
}

// The time range used when a filter leaves From or To unset.
var (
	beginningOfTime = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	endOfTime       = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
)

// query picks the list query whose driving condition an index serves, most
// selective first, and its arguments (see queries.sql for their order).
func (f Filter) query() (string, []any) {
	limit := f.Limit
	switch {
	case limit == 0:
		limit = DefaultLimit
	case limit > MaxLimit:
		limit = MaxLimit
	}
	from, to := beginningOfTime, endOfTime
	if !f.From.IsZero() {
		from = f.From.UTC()
	}
	if !f.To.IsZero() {
		to = f.To.UTC()
	}
	switch {
	case f.ObjectID != "":
		return "list-entries-by-object", []any{f.ObjectType, f.ObjectID, from, to, f.ActorID, f.Action, f.Before, limit}
	case f.ActorID != 0:
		return "list-entries-by-actor", []any{f.ActorID, from, to, f.Action, f.ObjectType, f.ObjectID, f.Before, limit}
	case !f.From.IsZero() || !f.To.IsZero():
		return "list-entries-in-range", []any{from, to, f.Action, f.ObjectType, f.Before, limit}
	}
	return "list-entries", []any{f.Action, f.ObjectType, f.Before, limit}
}

func scanEntry(rows *sql.Rows) (Entry, error) {
	var e Entry
	var actor sql.NullInt64
	if err := rows.Scan(&e.ID, &e.At, &actor, &e.ActorName, &e.Action, &e.ObjectType, &e.ObjectID, &e.Detail, &e.IP); err != nil {
		return Entry{}, err
	}
	e.At = e.At.UTC()
	e.ActorID = actor.Int64
	return e, nil
}

// clip makes s storable on both engines (valid UTF-8, no NUL bytes, which
// PostgreSQL refuses in text) and cuts it to at most n runes, marking the cut.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
