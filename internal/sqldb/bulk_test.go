package sqldb_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

func TestInsertRows(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.W.ExecContext(ctx, `CREATE TABLE bulk_t (id BIGINT PRIMARY KEY, name TEXT NOT NULL, note TEXT)`); err != nil {
			t.Fatal(err)
		}
		ins := &sqldb.Insert{Table: "bulk_t", Columns: []string{"id", "name", "note"}, Rows: 3}
		var err error
		// 7 rows at 3 per statement: a statement run twice and a tail of one.
		for _, rows := range [][2]int{{1, 7}, {8, 10}} {
			var values []any
			for i := rows[0]; i <= rows[1]; i++ {
				var note any
				if i%2 == 0 {
					note = fmt.Sprintf("заметка %d", i)
				}
				values = append(values, i, fmt.Sprintf("имя %d", i), note)
			}
			err = db.WithTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertRows(ctx, ins, values) })
			if err != nil {
				t.Fatalf("rows %v: %v", rows, err)
			}
		}
		rows, err := db.R.QueryContext(ctx, `SELECT id, name, note FROM bulk_t ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var id int
			var name string
			var note sql.NullString
			if err := rows.Scan(&id, &name, &note); err != nil {
				t.Fatal(err)
			}
			n++
			if id != n || name != fmt.Sprintf("имя %d", n) || note.Valid != (n%2 == 0) || note.Valid && note.String != fmt.Sprintf("заметка %d", n) {
				t.Errorf("row %d = %d %q %v", n, id, name, note)
			}
		}
		if n != 10 {
			t.Errorf("%d rows, want 10", n)
		}

		err = db.WithTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertRows(ctx, ins, []any{11, "x"}) })
		if err == nil || !strings.Contains(err.Error(), "bulk_t") || !strings.Contains(err.Error(), "2 values for 3 columns") {
			t.Errorf("ragged values: %v, want an error naming the table and the counts", err)
		}
		// A failing statement fails the call, and the transaction with it:
		// rows 12 and 13 share a statement with the duplicate 5.
		err = db.WithTx(ctx, func(tx *sqldb.Tx) error {
			return tx.InsertRows(ctx, ins, []any{12, "a", nil, 5, "dup", nil, 13, "b", nil})
		})
		if !sqldb.IsConflict(err) {
			t.Errorf("duplicate key: %v, want a conflict", err)
		}
		var count int
		if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM bulk_t`).Scan(&count); err != nil || count != 10 {
			t.Errorf("after the failed insert: %d rows (%v), want 10", count, err)
		}
		if err := db.WithTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertRows(ctx, ins, nil) }); err != nil {
			t.Errorf("no rows: %v", err)
		}
	})
}

// A statement carries no more parameters than the engine binds, whatever
// Rows asks for.
func TestInsertRowsSplitsAtTheParameterLimit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.W.ExecContext(ctx, `CREATE TABLE bulk_wide (a BIGINT, b BIGINT, c BIGINT)`); err != nil {
			t.Fatal(err)
		}
		const n = 25_000 // 75,000 parameters: over both limits
		values := make([]any, 0, 3*n)
		for i := range n {
			values = append(values, i, -i, 2*i)
		}
		ins := &sqldb.Insert{Table: "bulk_wide", Columns: []string{"a", "b", "c"}, Rows: n}
		if err := db.WithTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertRows(ctx, ins, values) }); err != nil {
			t.Fatal(err)
		}
		var count, sum int
		if err := db.R.QueryRowContext(ctx, `SELECT count(*), sum(a + b + c) FROM bulk_wide`).Scan(&count, &sum); err != nil || count != n || sum != n*(n-1) {
			t.Errorf("count %d sum %d (%v), want %d and %d", count, sum, err, n, n*(n-1))
		}
	})
}

// A statement leaves out a blank column that is empty in all its rows, so
// the column's default fills it; a row of the statement with a value keeps
// the others' empty strings. (The default here is not empty, to show which
// statements left the column out; a real Insert names only columns whose
// default is the empty string.)
func TestInsertRowsLeavesOutBlankColumns(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.W.ExecContext(ctx, `CREATE TABLE bulk_b (id BIGINT PRIMARY KEY, note TEXT NOT NULL DEFAULT 'left out', tag TEXT NOT NULL DEFAULT '')`); err != nil {
			t.Fatal(err)
		}
		ins := &sqldb.Insert{Table: "bulk_b", Columns: []string{"id", "note", "tag"}, Blank: []string{"note", "tag", "no such column"}, Rows: 2}
		values := []any{
			1, "", "", 2, "", "x", // a statement without note
			3, "", "", 4, "заметка", "", // one with both
			5, "", "", // the tail, without either
		}
		if err := db.WithTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertRows(ctx, ins, values) }); err != nil {
			t.Fatal(err)
		}
		want := map[int]string{1: "left out|", 2: "left out|x", 3: "|", 4: "заметка|", 5: "left out|"}
		rows, err := db.R.QueryContext(ctx, `SELECT id, note, tag FROM bulk_b`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int
			var note, tag string
			if err := rows.Scan(&id, &note, &tag); err != nil {
				t.Fatal(err)
			}
			if got := note + "|" + tag; got != want[id] {
				t.Errorf("row %d: %q, want %q", id, got, want[id])
			}
			delete(want, id)
		}
		if len(want) != 0 {
			t.Errorf("rows missing: %v", want)
		}
	})
}
