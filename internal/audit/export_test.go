package audit_test

import (
	"context"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

func TestExportCSV(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		l, clock := newLog(t, db)
		record(t, l, alice, "customer.update", "customer", "c1", "name: \"Пётр\", was Петр\nsecond line")
		clock.Advance(time.Minute)
		record(t, l, bob, "customer.view", "customer", "c2", "=HYPERLINK(\"http://evil\")")
		clock.Advance(time.Minute)
		record(t, l, vernost.System, "user.create", "user", "u1", "-1 point")

		var out strings.Builder
		// Limit is ignored: an export holds every matching row.
		if err := l.Export(context.Background(), &out, audit.Filter{Limit: 1}); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
		if err != nil {
			t.Fatalf("export is not valid CSV: %v\n%s", err, out.String())
		}
		want := [][]string{
			{"id", "at", "actor_id", "actor_name", "action", "object_type", "object_id", "detail", "ip"},
			{"", "2026-11-23T10:02:00.5Z", "0", "system", "user.create", "user", "u1", "'-1 point", ""},
			{"", "2026-11-23T10:01:00.5Z", "2", "bob", "customer.view", "customer", "c2", "'=HYPERLINK(\"http://evil\")", "10.0.0.2"},
			{"", "2026-11-23T10:00:00.5Z", "1", "alice", "customer.update", "customer", "c1", "name: \"Пётр\", was Петр\nsecond line", "10.0.0.1"},
		}
		if len(rows) != len(want) {
			t.Fatalf("got %d CSV rows, want %d:\n%s", len(rows), len(want), out.String())
		}
		prevID := int64(math.MaxInt64)
		for i := range want {
			if i > 0 {
				// IDs differ between engines; check they descend and blank them.
				id, err := strconv.ParseInt(rows[i][0], 10, 64)
				if err != nil || id >= prevID {
					t.Errorf("row %d id %q not before %d: want newest first", i, rows[i][0], prevID)
				}
				prevID, rows[i][0] = id, ""
			}
			if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
				t.Errorf("row %d:\n got %q\nwant %q", i, rows[i], want[i])
			}
		}
	})
}

func TestExportFilteredAndEmpty(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		l, _ := newLog(t, db)
		record(t, l, alice, "customer.view", "customer", "c1", "")
		record(t, l, bob, "customer.view", "customer", "c2", "")
		record(t, l, alice, "customer.view", "customer", "c3", "")

		tests := []struct {
			f        audit.Filter
			wantRows int // data rows after the header
		}{
			{audit.Filter{ActorID: 1}, 2},
			{audit.Filter{ObjectType: "customer", ObjectID: "c2"}, 1},
			{audit.Filter{From: t0}, 3},
			{audit.Filter{Action: "session.login"}, 0},
		}
		for _, tt := range tests {
			var out strings.Builder
			if err := l.Export(context.Background(), &out, tt.f); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tt.wantRows+1 || rows[0][0] != "id" {
				t.Errorf("Export(%+v): %d rows (first %q), want header + %d", tt.f, len(rows), rows[0], tt.wantRows)
			}
		}
	})
}

// failingWriter fails after n bytes, as a client hanging up mid-download.
type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, context.Canceled
	}
	w.n -= len(p)
	return len(p), nil
}

func TestExportReportsWriteErrors(t *testing.T) {
	db := sqldbtest.SQLite(t)
	l, _ := newLog(t, db)
	for range 200 {
		record(t, l, alice, "customer.view", "customer", strings.Repeat("x", 100), "")
	}
	if err := l.Export(context.Background(), &failingWriter{n: 1000}, audit.Filter{}); err == nil {
		t.Error("Export to a failing writer returned nil, want the write error")
	}
}
