package audit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// benchEntries is the size of the log the list benchmarks read: a few weeks
// of card views in a mid-sized contact center.
const benchEntries = 100_000

// fillLog writes benchEntries views of 1000 customers by 50 operators, one
// every ten seconds from t0 (about 11.5 days).
func fillLog(b *testing.B, db *sqldb.DB, l *audit.Log, clock *vernost.FixedClock) {
	b.Helper()
	ctx := context.Background()
	const batch = 5000
	for start := 0; start < benchEntries; start += batch {
		err := db.WithTx(ctx, func(tx *sqldb.Tx) error {
			for i := start; i < start+batch; i++ {
				actx := vernost.WithActor(ctx, vernost.Actor{UserID: int64(1 + i%50), Name: fmt.Sprint("op", i%50)})
				if err := l.Record(actx, tx, "customer.view", "customer", fmt.Sprint("c", i%1000), ""); err != nil {
					return err
				}
				clock.Advance(10 * time.Second)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkList reads one page from a 100k-entry log through each query
// variant: the newest entries, one object's history (a customer card's "who
// looked" panel), one actor's entries, a recent and an old time window, and
// an optional filter alone.
func BenchmarkList(b *testing.B) {
	for _, engine := range sqldbtest.Engines() {
		b.Run(engine, func(b *testing.B) {
			db := sqldbtest.Open(b, engine)
			clock := vernost.NewFixedClock(t0)
			l, err := audit.New(context.Background(), db, clock)
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			fillLog(b, db, l, clock)
			// Statistics as PostgreSQL's autovacuum (and SQLite's PRAGMA
			// optimize) would have them on a log this size; a freshly
			// loaded table without them gets poorer plans.
			if _, err := db.W.ExecContext(context.Background(), "ANALYZE"); err != nil {
				b.Fatal(err)
			}
			for _, tt := range []struct {
				name string
				f    audit.Filter
				want int
			}{
				{"newest_page", audit.Filter{}, audit.DefaultLimit},
				{"one_object", audit.Filter{ObjectType: "customer", ObjectID: "c7"}, benchEntries / 1000},
				{"one_actor", audit.Filter{ActorID: 7}, audit.DefaultLimit},
				{"last_day", audit.Filter{From: t0.Add(10 * 24 * time.Hour)}, audit.DefaultLimit},
				{"day_long_ago", audit.Filter{From: t0.Add(24 * time.Hour), To: t0.Add(48 * time.Hour)}, audit.DefaultLimit},
				{"action_everywhere", audit.Filter{Action: "customer.view"}, audit.DefaultLimit},
			} {
				b.Run(tt.name, func(b *testing.B) {
					for b.Loop() {
						got, err := l.List(context.Background(), tt.f)
						if err != nil || len(got) != tt.want {
							b.Fatalf("List = %d entries, %v; want %d", len(got), err, tt.want)
						}
					}
				})
			}
		})
	}
}
