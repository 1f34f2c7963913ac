package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Insert describes a multi-row INSERT for bulk writes, such as an import's
// new cards: one statement carrying many rows costs a fraction of one
// statement per row (binding parameters is cheap; each statement's
// round trip through database/sql and the driver is not), and it needs no
// JSON packing on either side. Table and column names come from code,
// never from input; every value is a bound parameter.
type Insert struct {
	Table   string
	Columns []string
	// Blank lists columns whose default is the empty string. A statement
	// leaves out those that are "" in every one of its rows: an import
	// fills a handful of a card's twenty columns, and binding the empty
	// rest took a second per million cards.
	Blank []string
	// Rows is how many rows one statement carries at most; fewer when
	// the engine's limit on parameters requires. Past a few dozen rows a
	// statement gains little per row.
	Rows int
}

// insertShape is a statement of an Insert: the columns it carries, as a
// bit per column.
type insertShape struct {
	ins  *Insert
	cols uint64
}

// InsertRows inserts values, a row after another (len(values) must be a
// multiple of the column count), with as few statements as ins allows.
func (tx *Tx) InsertRows(ctx context.Context, ins *Insert, values []any) error {
	width := len(ins.Columns)
	if len(values)%width != 0 {
		return fmt.Errorf("insert into %s: %d values for %d columns", ins.Table, len(values), width)
	}
	if width > 64 {
		return fmt.Errorf("insert into %s: more than 64 columns", ins.Table)
	}
	per := ins.perStatement(tx.db.Dialect)
	for len(values) > 0 {
		n := min(per, len(values)/width)
		rows := values[:n*width]
		values = values[n*width:]
		cols := ins.needed(rows)
		args := rows
		if cols != 1<<width-1 {
			args = tx.args[:0]
			for i, v := range rows {
				if cols&(1<<(i%width)) != 0 {
					args = append(args, v)
				}
			}
			tx.args = args
		}
		var err error
		if n == per {
			shape := insertShape{ins, cols}
			stmt, ok := tx.inserts[shape]
			if !ok {
				// Prepared on the transaction's connection: on SQLite the
				// writer is that one connection, and it is busy.
				if stmt, err = tx.PrepareContext(ctx, insertSQL(tx.db.Dialect, ins, cols, n)); err != nil {
					return fmt.Errorf("prepare insert into %s: %w", ins.Table, err)
				}
				if tx.inserts == nil {
					tx.inserts = map[insertShape]*sql.Stmt{}
				}
				tx.inserts[shape] = stmt
			}
			_, err = stmt.ExecContext(ctx, args...)
		} else {
			// The tail's size varies from call to call: kept statements
			// would pile up, so it is prepared for this use only.
			_, err = tx.ExecContext(ctx, insertSQL(tx.db.Dialect, ins, cols, n), args...)
		}
		clear(tx.args) // let the rows' values go
		if err != nil {
			return fmt.Errorf("insert into %s: %w", ins.Table, err)
		}
	}
	return nil
}

// needed returns the columns rows must carry: all but the blank ones that
// are "" in every row.
func (ins *Insert) needed(rows []any) uint64 {
	width := len(ins.Columns)
	cols := uint64(1)<<width - 1
	for _, name := range ins.Blank {
		c := slices.Index(ins.Columns, name)
		if c < 0 {
			continue
		}
		empty := true
		for r := c; r < len(rows); r += width {
			if rows[r] != "" {
				empty = false
				break
			}
		}
		if empty {
			cols &^= 1 << c
		}
	}
	return cols
}

// maxParams is how many parameters one statement may bind.
func maxParams(dialect string) int {
	if dialect == Postgres {
		return 65535
	}
	return 32766
}

// perStatement is how many rows one statement of ins carries.
func (ins *Insert) perStatement(dialect string) int {
	return max(1, min(ins.Rows, maxParams(dialect)/len(ins.Columns)))
}

// insertSQL is INSERT INTO table (columns) VALUES (…), (…) for n rows of
// the columns in cols. SQLite gets anonymous parameters: the driver looks
// each numbered one up by name, which costs time growing with the
// statement's parameter count.
func insertSQL(dialect string, ins *Insert, cols uint64, n int) string {
	var names []string
	for c, name := range ins.Columns {
		if cols&(1<<c) != 0 {
			names = append(names, name)
		}
	}
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(ins.Table)
	b.WriteString(" (")
	b.WriteString(strings.Join(names, ", "))
	b.WriteString(") VALUES ")
	p := 0
	for r := range n {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range names {
			if c > 0 {
				b.WriteString(", ")
			}
			if p++; dialect == Postgres {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(p))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}
