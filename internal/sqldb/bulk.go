package sqldb

import (
	"context"
	"database/sql"
	"fmt"
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
	// Rows is how many rows one statement carries at most; fewer when
	// the engine's limit on parameters requires. Past a few dozen rows a
	// statement gains little per row.
	Rows int
}

// InsertRows inserts values, a row after another (len(values) must be a
// multiple of the column count), with as few statements as ins allows.
func (tx *Tx) InsertRows(ctx context.Context, ins *Insert, values []any) error {
	width := len(ins.Columns)
	if len(values)%width != 0 {
		return fmt.Errorf("insert into %s: %d values for %d columns", ins.Table, len(values), width)
	}
	per := ins.perStatement(tx.db.Dialect)
	for len(values) > 0 {
		n := min(per, len(values)/width)
		var err error
		if n == per {
			stmt, ok := tx.inserts[ins]
			if !ok {
				// Prepared on the transaction's connection: on SQLite the
				// writer is that one connection, and it is busy.
				if stmt, err = tx.PrepareContext(ctx, insertSQL(tx.db.Dialect, ins, n)); err != nil {
					return fmt.Errorf("prepare insert into %s: %w", ins.Table, err)
				}
				if tx.inserts == nil {
					tx.inserts = map[*Insert]*sql.Stmt{}
				}
				tx.inserts[ins] = stmt
			}
			_, err = stmt.ExecContext(ctx, values[:n*width]...)
		} else {
			// The tail's size varies from call to call: kept statements
			// would pile up, so it is prepared for this use only.
			_, err = tx.ExecContext(ctx, insertSQL(tx.db.Dialect, ins, n), values[:n*width]...)
		}
		if err != nil {
			return fmt.Errorf("insert into %s: %w", ins.Table, err)
		}
		values = values[n*width:]
	}
	return nil
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

// insertSQL is INSERT INTO table (columns) VALUES (…), (…) for n rows.
// SQLite gets anonymous parameters: the driver looks each numbered one up
// by name, which costs time growing with the statement's parameter count.
func insertSQL(dialect string, ins *Insert, n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(ins.Table)
	b.WriteString(" (")
	b.WriteString(strings.Join(ins.Columns, ", "))
	b.WriteString(") VALUES ")
	p := 0
	for r := range n {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range ins.Columns {
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
