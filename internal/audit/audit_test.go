package audit_test

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// t0 has a fractional second on purpose: SQLite compares stored times as
// text, and a half second must still sort between whole ones.
var t0 = time.Date(2026, 11, 23, 10, 0, 0, 500_000_000, time.UTC)

func newLog(t *testing.T, db *sqldb.DB) (*audit.Log, *vernost.FixedClock) {
	t.Helper()
	clock := vernost.NewFixedClock(t0)
	l, err := audit.New(context.Background(), db, clock)
	if err != nil {
		t.Fatalf("audit.New: %v", err)
	}
	t.Cleanup(l.Close)
	return l, clock
}

var (
	alice = vernost.Actor{UserID: 1, Name: "alice", Role: vernost.RoleAdmin, IP: "10.0.0.1"}
	bob   = vernost.Actor{UserID: 2, Name: "bob", Role: vernost.RoleAgent, IP: "10.0.0.2"}
)

// record writes one entry as actor, failing the test on error.
func record(t *testing.T, l *audit.Log, actor vernost.Actor, action, objType, objID, detail string) {
	t.Helper()
	ctx := vernost.WithActor(context.Background(), actor)
	if err := l.Record(ctx, nil, action, objType, objID, detail); err != nil {
		t.Fatalf("Record(%s): %v", action, err)
	}
}

func ids(entries []audit.Entry) []int64 {
	out := make([]int64, len(entries))
	for i, e := range entries {
		out[i] = e.ID
	}
	return out
}

func TestRecordStoresActorAndFields(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		l, _ := newLog(t, db)
		record(t, l, alice, "customer.update", "customer", "c1", `phone: +7 916 → +7 903, "VIP"`)
		record(t, l, vernost.System, "user.create", "user", "u9", "")
		got, err := l.List(context.Background(), audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		want := []audit.Entry{
			{ActorID: 0, ActorName: "system", Action: "user.create", ObjectType: "user", ObjectID: "u9"},
			{ActorID: 1, ActorName: "alice", Action: "customer.update", ObjectType: "customer", ObjectID: "c1",
				Detail: `phone: +7 916 → +7 903, "VIP"`, IP: "10.0.0.1"},
		}
		if len(got) != len(want) {
			t.Fatalf("got %d entries, want %d", len(got), len(want))
		}
		for i := range want {
			g := got[i]
			if !g.At.Equal(t0) || g.At.Location() != time.UTC {
				t.Errorf("entry %d at %v, want %v in UTC", i, g.At, t0)
			}
			g.ID, g.At = 0, time.Time{}
			if g != want[i] {
				t.Errorf("entry %d:\n got %+v\nwant %+v", i, g, want[i])
			}
		}
	})
}

func TestRecordInRolledBackTxLeavesNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := vernost.WithActor(context.Background(), alice)
		l, _ := newLog(t, db)
		boom := errors.New("boom")
		err := db.WithTx(ctx, func(tx *sqldb.Tx) error {
			if err := l.Record(ctx, tx, "customer.update", "customer", "c1", "rolled back"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("WithTx = %v, want boom", err)
		}
		err = db.WithTx(ctx, func(tx *sqldb.Tx) error {
			return l.Record(ctx, tx, "customer.update", "customer", "c2", "committed")
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := l.List(ctx, audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ObjectID != "c2" {
			t.Errorf("after one rollback and one commit got %+v, want only the c2 entry", got)
		}
	})
}

func TestRecordRejectsBadActions(t *testing.T) {
	db := sqldbtest.SQLite(t)
	l, _ := newLog(t, db)
	ctx := vernost.WithActor(context.Background(), alice)
	for _, action := range []string{"", "user", "User.create", "user.", ".create", "user create", "user.create;", strings.Repeat("a.", 40) + "b"} {
		err := l.Record(ctx, nil, action, "user", "u1", "")
		if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != "action" {
			t.Errorf("Record(%q) = %v, want invalid action", action, err)
		}
	}
}

func TestRecordCleansAndClipsText(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		l, _ := newLog(t, db)
		long := strings.Repeat("я", 5000)
		record(t, l, vernost.Actor{UserID: 3, Name: "eve\x00", IP: "::1"}, "customer.view", "customer", "c\xff1", long)
		got, err := l.List(context.Background(), audit.Filter{})
		if err != nil || len(got) != 1 {
			t.Fatalf("List = %v, %v; want one entry", got, err)
		}
		e := got[0]
		if e.ActorName != "eve" {
			t.Errorf("actor name %q, want NUL removed: %q", e.ActorName, "eve")
		}
		if e.ObjectID != "c\uFFFD1" {
			t.Errorf("object id %q, want the invalid byte replaced", e.ObjectID)
		}
		if n := len([]rune(e.Detail)); n != 4000 || !strings.HasSuffix(e.Detail, "…") {
			t.Errorf("detail has %d runes ending %q, want 4000 ending with …", n, e.Detail[len(e.Detail)-3:])
		}
	})
}

func TestListFilters(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		l, clock := newLog(t, db)
		// IDs 1..5, at t0, t0+0.5s, t0+0.75s, t0+1h, t0+2h.
		record(t, l, alice, "user.create", "user", "u1", "")
		clock.Advance(500 * time.Millisecond)
		record(t, l, bob, "customer.view", "customer", "c1", "")
		clock.Advance(250 * time.Millisecond)
		record(t, l, alice, "customer.update", "customer", "c1", "")
		clock.Advance(time.Hour - 750*time.Millisecond)
		record(t, l, bob, "customer.view", "customer", "c2", "")
		clock.Advance(time.Hour)
		record(t, l, alice, "customer.view", "customer", "c1", "")

		all, err := l.List(context.Background(), audit.Filter{})
		if err != nil || len(all) != 5 {
			t.Fatalf("List all = %d entries, %v; want 5", len(all), err)
		}
		id := func(n int) int64 { return all[5-n].ID } // n-th recorded, from 1
		tests := []struct {
			name string
			f    audit.Filter
			want []int64
		}{
			{"all newest first", audit.Filter{}, []int64{id(5), id(4), id(3), id(2), id(1)}},
			{"actor", audit.Filter{ActorID: 2}, []int64{id(4), id(2)}},
			{"action", audit.Filter{Action: "customer.view"}, []int64{id(5), id(4), id(2)}},
			{"object", audit.Filter{ObjectType: "customer", ObjectID: "c1"}, []int64{id(5), id(3), id(2)}},
			{"object type only", audit.Filter{ObjectType: "user"}, []int64{id(1)}},
			{"from inclusive, sub-second", audit.Filter{From: t0.Add(500 * time.Millisecond)}, []int64{id(5), id(4), id(3), id(2)}},
			{"to exclusive, sub-second", audit.Filter{To: t0.Add(750 * time.Millisecond)}, []int64{id(2), id(1)}},
			{"time window", audit.Filter{From: t0.Add(time.Second), To: t0.Add(2 * time.Hour)}, []int64{id(4)}},
			{"window in another zone", audit.Filter{From: t0.Add(time.Second).In(time.FixedZone("MSK", 3*3600))}, []int64{id(5), id(4)}},
			// Each query variant with its optional filters.
			{"object+actor+action", audit.Filter{ObjectType: "customer", ObjectID: "c1", ActorID: 1, Action: "customer.view"}, []int64{id(5)}},
			{"object+time+before", audit.Filter{ObjectType: "customer", ObjectID: "c1", From: t0.Add(time.Second), Before: id(5)}, nil},
			{"object+before", audit.Filter{ObjectType: "customer", ObjectID: "c1", Before: id(5)}, []int64{id(3), id(2)}},
			{"actor+time", audit.Filter{ActorID: 2, To: t0.Add(time.Hour)}, []int64{id(2)}},
			{"actor+action+type", audit.Filter{ActorID: 1, Action: "customer.view", ObjectType: "customer"}, []int64{id(5)}},
			{"actor+before", audit.Filter{ActorID: 1, Before: id(5)}, []int64{id(3), id(1)}},
			{"time+action+type", audit.Filter{From: t0, Action: "customer.view", ObjectType: "customer"}, []int64{id(5), id(4), id(2)}},
			{"time+before+limit", audit.Filter{To: t0.Add(3 * time.Hour), Before: id(5), Limit: 2}, []int64{id(4), id(3)}},
			{"action+type+before", audit.Filter{Action: "customer.view", ObjectType: "customer", Before: id(4)}, []int64{id(2)}},
			{"wrong object type", audit.Filter{ObjectType: "user", ObjectID: "c1"}, nil},
			{"no match", audit.Filter{Action: "token.revoke"}, nil},
		}
		for _, tt := range tests {
			got, err := l.List(context.Background(), tt.f)
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				continue
			}
			if fmt.Sprint(ids(got)) != fmt.Sprint(tt.want) {
				t.Errorf("%s: got ids %v, want %v", tt.name, ids(got), tt.want)
			}
		}
	})
}

func TestListCursorPagination(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		l, clock := newLog(t, db)
		for i := range 25 {
			record(t, l, alice, "customer.view", "customer", fmt.Sprint("c", i), "")
			clock.Advance(time.Second)
		}
		var pages []int
		var seen []int64
		f := audit.Filter{Limit: 10}
		for range 10 { // more than enough; a cursor that never ends fails below
			page, err := l.List(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			pages = append(pages, len(page))
			seen = append(seen, ids(page)...)
			f.Before = page[len(page)-1].ID
		}
		if fmt.Sprint(pages) != "[10 10 5]" {
			t.Errorf("page sizes %v, want [10 10 5]", pages)
		}
		for i := 1; i < len(seen); i++ {
			if seen[i] >= seen[i-1] {
				t.Fatalf("ids not strictly descending across pages: %v", seen)
			}
		}
		if len(seen) != 25 {
			t.Errorf("paged through %d entries, want 25", len(seen))
		}
	})
}

func TestListLimitDefaultAndMax(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		l, _ := newLog(t, db)
		ctx := vernost.WithActor(context.Background(), alice)
		err := db.WithTx(ctx, func(tx *sqldb.Tx) error {
			for i := range audit.MaxLimit + 1 {
				if err := l.Record(ctx, tx, "customer.view", "customer", fmt.Sprint(i), ""); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct{ limit, want int }{{0, audit.DefaultLimit}, {7, 7}, {audit.MaxLimit + 500, audit.MaxLimit}} {
			got, err := l.List(ctx, audit.Filter{Limit: tt.limit})
			if err != nil || len(got) != tt.want {
				t.Errorf("Limit %d: got %d entries (%v), want %d", tt.limit, len(got), err, tt.want)
			}
		}
		// Export pages past MaxLimit: every entry, each once.
		var out strings.Builder
		if err := l.Export(ctx, &out, audit.Filter{}); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, r := range rows[1:] {
			seen[r[0]] = true
		}
		if len(rows) != audit.MaxLimit+2 || len(seen) != audit.MaxLimit+1 {
			t.Errorf("export of %d entries: %d rows, %d distinct ids; want a header and %d distinct", audit.MaxLimit+1, len(rows), len(seen), audit.MaxLimit+1)
		}
	})
}

func TestListRejectsBadFilters(t *testing.T) {
	db := sqldbtest.SQLite(t)
	l, _ := newLog(t, db)
	tests := []struct {
		f     audit.Filter
		field string
	}{
		{audit.Filter{Limit: -1}, "limit"},
		{audit.Filter{Before: -5}, "before"},
		{audit.Filter{ActorID: -1}, "actor_id"},
		{audit.Filter{ObjectID: "c1"}, "object_type"},
		{audit.Filter{From: t0, To: t0}, "to"},
		{audit.Filter{From: t0, To: t0.Add(-time.Hour)}, "to"},
	}
	for _, tt := range tests {
		_, err := l.List(context.Background(), tt.f)
		if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != tt.field {
			t.Errorf("List(%+v) = %v, want invalid %s", tt.f, err, tt.field)
		}
		var sb strings.Builder
		err = l.Export(context.Background(), &sb, tt.f)
		if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != tt.field {
			t.Errorf("Export(%+v) = %v, want invalid %s", tt.f, err, tt.field)
		}
	}
}
