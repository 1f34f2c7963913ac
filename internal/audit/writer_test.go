package audit_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// Entries recorded outside a transaction are written in the background; a
// reader must still see all of them, and Close must lose none.
func TestQueuedEntriesAreNeverLost(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := vernost.WithActor(context.Background(), vernost.Actor{UserID: 0, Name: "pbx", Role: vernost.RoleAgent})
		log, err := audit.New(ctx, db, vernost.SystemClock{})
		if err != nil {
			t.Fatal(err)
		}
		const workers, each = 8, 300
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					if err := log.Record(ctx, nil, "customer.view", "customer", fmt.Sprintf("c%d-%d", w, i), ""); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		// List flushes: every entry recorded before it is visible.
		got, err := log.List(ctx, audit.Filter{Action: "customer.view", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1000 {
			t.Errorf("List saw %d entries, want a full page of 1000", len(got))
		}
		for i := 0; i < 50; i++ {
			if err := log.Record(ctx, nil, "customer.lookup", "customer", "late", ""); err != nil {
				t.Fatal(err)
			}
		}
		log.Close() // drains the queue
		var n int
		if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM audit_log`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != workers*each+50 {
			t.Errorf("%d entries in the table after Close, want %d", n, workers*each+50)
		}
		// After Close, Record still writes (synchronously).
		if err := log.Record(ctx, nil, "customer.view", "customer", "after-close", ""); err != nil {
			t.Errorf("record after close: %v", err)
		}
	})
}
