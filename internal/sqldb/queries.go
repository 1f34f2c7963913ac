package sqldb

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
)

// Queries is a set of named SQL statements loaded from .sql files in which
// each statement starts with a line "-- name: some-name". A file named
// queries.<dialect>.sql beside queries.sql redefines statements by name for
// that dialect only. Every statement is prepared at load, so a typo fails at
// start-up rather than in production.
type Queries struct {
	db   *DB
	text map[string]string
	r    map[string]*sql.Stmt // prepared on the reader pool
	w    map[string]*sql.Stmt // prepared on the writer
}

var nameLine = regexp.MustCompile(`^--\s*name:\s*([a-z0-9][a-z0-9-]*)\s*$`)

// LoadQueries reads queries.sql and queries.<dialect>.sql (if present) from
// fsys and prepares every statement on both pools.
func LoadQueries(ctx context.Context, db *DB, fsys fs.FS) (*Queries, error) {
	text, err := parseQueryFile(fsys, "queries.sql", nil)
	if err != nil {
		return nil, err
	}
	overlay := "queries." + db.Dialect + ".sql"
	if _, err := fs.Stat(fsys, overlay); err == nil {
		if text, err = parseQueryFile(fsys, overlay, text); err != nil {
			return nil, err
		}
	}
	q := &Queries{db: db, text: text, r: map[string]*sql.Stmt{}, w: map[string]*sql.Stmt{}}
	for name, body := range text {
		ws, err := db.W.PrepareContext(ctx, body)
		if err != nil {
			q.Close()
			return nil, fmt.Errorf("prepare query %s: %w", name, err)
		}
		q.w[name] = ws
		if db.R == db.W {
			q.r[name] = ws
			continue
		}
		// Statements that write cannot be prepared on the read-only pool.
		if rs, err := db.R.PrepareContext(ctx, body); err == nil {
			q.r[name] = rs
		}
	}
	return q, nil
}

// parseQueryFile splits file into named statements, adding to (and, for an
// overlay, replacing in) base. Only an overlay may redefine a name.
func parseQueryFile(fsys fs.FS, file string, base map[string]string) (map[string]string, error) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	overlay := base != nil
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	seen := map[string]bool{}
	var name string
	var body strings.Builder
	flush := func() error {
		if name == "" {
			return nil
		}
		s := strings.TrimSpace(body.String())
		if s == "" {
			return fmt.Errorf("%s: query %s is empty", file, name)
		}
		if seen[name] {
			return fmt.Errorf("%s: query %s defined twice", file, name)
		}
		if overlay {
			if _, ok := base[name]; !ok {
				return fmt.Errorf("%s: overlay defines %s, which queries.sql lacks", file, name)
			}
		}
		seen[name] = true
		out[name] = strings.TrimSuffix(s, ";")
		body.Reset()
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := nameLine.FindStringSubmatch(line); m != nil {
			if err := flush(); err != nil {
				return nil, err
			}
			name = m[1]
			continue
		}
		if name != "" {
			body.WriteString(line)
			body.WriteByte('\n')
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

// Close releases the prepared statements.
func (q *Queries) Close() {
	for n, s := range q.w {
		if q.r[n] != s {
			s.Close()
		}
	}
	for _, s := range q.r {
		s.Close()
	}
}

// SQL returns the text of a named query (for EXPLAIN in tests and tools).
func (q *Queries) SQL(name string) string { return q.text[name] }

func (q *Queries) stmt(name string, tx *Tx) *sql.Stmt {
	var s *sql.Stmt
	if tx != nil {
		s = q.w[name]
	} else {
		s = q.r[name]
	}
	if s == nil {
		panic("sqldb: unknown or write-only query " + name + " used outside a transaction")
	}
	return s
}

// Exec runs a named statement inside tx.
func (q *Queries) Exec(ctx context.Context, tx *Tx, name string, args ...any) (sql.Result, error) {
	res, err := tx.StmtContext(ctx, q.stmt(name, tx)).ExecContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return res, nil
}

// Query runs a named query inside tx, or on the reader pool when tx is nil.
func (q *Queries) Query(ctx context.Context, tx *Tx, name string, args ...any) (*sql.Rows, error) {
	s := q.stmt(name, tx)
	if tx != nil {
		s = tx.StmtContext(ctx, s)
	}
	rows, err := s.QueryContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return rows, nil
}

// QueryRow runs a named single-row query inside tx, or on the reader pool
// when tx is nil. Scan returns sql.ErrNoRows (mapped to not found by
// MapError) when there is no row.
func (q *Queries) QueryRow(ctx context.Context, tx *Tx, name string, args ...any) *sql.Row {
	s := q.stmt(name, tx)
	if tx != nil {
		s = tx.StmtContext(ctx, s)
	}
	return s.QueryRowContext(ctx, args...)
}
