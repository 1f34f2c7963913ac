package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/vernost/vernost/internal/sqldb"
)

// fillAuditLog makes the audit log at least want entries long, adding
// phone-system lookups of random customers spread over the past 30 days,
// as a server that has answered calls for a while has. A fresh import's
// log is nearly empty, and each lookup's audit row costs more against a
// long log: the object index it lands in outgrows the writer's cache.
func fillAuditLog(ctx context.Context, dsn string, want int, seed int64) error {
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	var have int
	if err := db.W.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log").Scan(&have); err != nil {
		return err
	}
	if have >= want {
		return nil
	}
	var ids []string
	rows, err := db.W.QueryContext(ctx, "SELECT public_id FROM customers")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	if len(ids) == 0 {
		return fmt.Errorf("no customers to have looked up: run the import first")
	}

	add := want - have
	fmt.Printf("filling the audit log: %d entries there, adding %d lookups\n", have, add)
	ins := &sqldb.Insert{Table: "audit_log", Rows: 64,
		Columns: []string{"at", "actor_name", "action", "object_type", "object_id", "detail", "ip"}}
	rng := rand.New(rand.NewPCG(uint64(seed), 11))
	start := time.Now().Add(-30 * 24 * time.Hour)
	step := 30 * 24 * time.Hour / time.Duration(add)
	const perTx = 100_000
	for done := 0; done < add; done += perTx {
		n := min(perTx, add-done)
		values := make([]any, 0, n*len(ins.Columns))
		for i := range n {
			at := start.Add(time.Duration(done+i) * step).UTC().Truncate(time.Microsecond)
			values = append(values, db.TimeArg(at), "token:pbx", "customer.lookup", "customer",
				ids[rng.IntN(len(ids))], "phone", "10.0.0.7")
		}
		tx, err := db.BeginBulk(ctx)
		if err != nil {
			return err
		}
		if err := tx.InsertRows(ctx, ins, values); err != nil {
			_ = tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}
