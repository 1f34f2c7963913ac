package audit

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// While the database cannot take the entries, Record waits once the queue
// is full rather than dropping entries or growing without bound; when the
// database is back, every entry is written.
func TestAFullQueueWaitsAndLosesNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := vernost.WithActor(context.Background(), vernost.Actor{Name: "pbx", Role: vernost.RoleAgent})
		log, err := New(ctx, db, vernost.SystemClock{})
		if err != nil {
			t.Fatal(err)
		}
		defer log.Close()
		// Hold the table: SQLite's one writer connection is taken, and on
		// PostgreSQL a SHARE lock keeps inserts out.
		hold, err := db.W.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if db.Dialect == sqldb.Postgres {
			if _, err := hold.Exec(`LOCK TABLE audit_log IN SHARE MODE`); err != nil {
				t.Fatal(err)
			}
		}
		const total = 3 * queueSize
		var recorded atomic.Int64
		finished := make(chan error, 1)
		go func() {
			for i := range total {
				if err := log.Record(ctx, nil, "customer.lookup", "customer", fmt.Sprint(i), "phone"); err != nil {
					finished <- err
					return
				}
				recorded.Add(1)
			}
			finished <- nil
		}()
		// Wait until recording stalls: one batch is held by the blocked
		// writer and a full queue waits behind it.
		for last := int64(-1); recorded.Load() != last; {
			last = recorded.Load()
			time.Sleep(200 * time.Millisecond)
		}
		if n := recorded.Load(); n >= total || n < queueSize {
			t.Errorf("%d entries recorded while the database was held, want at least a full queue (%d) and not all %d", n, queueSize, total)
		}
		if err := hold.Rollback(); err != nil {
			t.Fatal(err)
		}
		if err := <-finished; err != nil {
			t.Fatal(err)
		}
		if err := log.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'customer.lookup'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != total {
			t.Errorf("%d entries written, want all %d", n, total)
		}
	})
}

// BenchmarkWriteBatch is the background writer's work for a batch of 50
// lookups (one linger's worth at 2,500 lookups a second), into a log that
// already holds 100,000 entries; it reports the cost per entry.
func BenchmarkWriteBatch(b *testing.B) {
	for _, engine := range sqldbtest.Engines() {
		b.Run(engine, func(b *testing.B) {
			db := sqldbtest.Open(b, engine)
			log, err := New(context.Background(), db, vernost.SystemClock{})
			if err != nil {
				b.Fatal(err)
			}
			defer log.Close()
			batch := make([]entry, 50)
			for i := range batch {
				batch[i] = entry{actorID: int64(7), actorName: "pbx", action: "customer.lookup", objectType: "customer", detail: "phone", ip: "10.0.0.7"}
			}
			write := func(n int) {
				for i := range batch {
					batch[i].at = time.Now().UTC()
					batch[i].objectID = fmt.Sprintf("c%07d", (n*len(batch)+i)*7919%1_000_000)
				}
				if err := log.writer.write(batch); err != nil {
					b.Fatal(err)
				}
			}
			for n := range 100_000 / len(batch) {
				write(n)
			}
			n := 0
			for b.Loop() {
				write(n)
				n++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*len(batch)), "ns/entry")
		})
	}
}
