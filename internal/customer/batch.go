package customer

import (
	"context"
	"errors"

	"github.com/vernost/vernost/internal/sqldb"
)

// BatchResult is the outcome of one item of a batch.
type BatchResult struct {
	PublicID string
	Outcome  Outcome
	Err      error // the item's own error; the others are unaffected
}

// BatchOptions tune UpsertBatch.
type BatchOptions struct {
	Source string // the import's name on each new card's timeline
	// Overwrite lets a row replace fields a card already holds. Without it a
	// row only fills blanks, so operators' corrections survive a re-import
	// and rows disagreeing about one person cannot flip it back and forth.
	Overwrite bool
}

// UpsertBatch stores many validated inputs in one transaction, in order,
// so that items sharing an identity become one customer; a failing item
// leaves no trace while the rest are kept. Per-card audit rows are replaced
// by the one the caller writes for the whole import.
//
// Validation happened before, so items rarely fail here: the batch runs
// first without savepoints (each one makes SQLite's full-text index flush),
// and only a batch with a failing item is run again, item by item under
// savepoints.
func (s *Service) UpsertBatch(ctx context.Context, items []*Valid, opt BatchOptions) ([]BatchResult, error) {
	out, err := s.upsertBatch(ctx, items, opt, false)
	if errors.Is(err, errItemFailed) {
		out, err = s.upsertBatch(ctx, items, opt, true)
	}
	return out, err
}

// errItemFailed aborts an optimistic batch so that it is redone carefully.
var errItemFailed = errors.New("an item of the batch failed")

func (s *Service) upsertBatch(ctx context.Context, items []*Valid, opt BatchOptions, careful bool) ([]BatchResult, error) {
	mode := writeMode{event: EventImported, source: opt.Source, fillOnly: !opt.Overwrite}
	out := make([]BatchResult, len(items))
	// Statements run under a context that cannot be cancelled (a cancellable
	// one costs the SQLite driver a goroutine per statement); cancellation is
	// checked between items instead, and the transaction rolls back.
	cancel := ctx
	ctx = withoutRowAudit(context.WithoutCancel(ctx))
	if !careful {
		mode.later = &deferred{}
	}
	err := s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		for i, v := range items {
			if err := cancel.Err(); err != nil {
				return err
			}
			write := func() error {
				var err error
				out[i].PublicID, out[i].Outcome, err = s.upsert(ctx, tx, v.n, mode)
				return err
			}
			if !careful {
				if err := write(); err != nil {
					return errItemFailed
				}
				continue
			}
			if err := tx.Savepoint(ctx, write); err != nil {
				out[i] = BatchResult{Err: sqldb.MapError(err)}
			}
		}
		if mode.later != nil {
			return mode.later.flush(ctx, s, tx)
		}
		return nil
	})
	return out, err
}

type noRowAuditKey struct{}

// withoutRowAudit marks ctx so that upserts skip their per-card audit row.
func withoutRowAudit(ctx context.Context) context.Context {
	return context.WithValue(ctx, noRowAuditKey{}, true)
}

// record writes an audit row unless ctx is a batch that audits as a whole.
func (s *Service) record(ctx context.Context, tx *sqldb.Tx, action, publicID, detail string) error {
	if ctx.Value(noRowAuditKey{}) != nil {
		return nil
	}
	return s.audit.Record(ctx, tx, action, "customer", publicID, detail)
}
