package customer

import (
	"context"

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
// each under its own savepoint, so that items sharing an identity become one
// customer and a failing item leaves no trace while the rest are kept.
// Per-card audit rows are replaced by the one the caller writes for the
// whole import.
func (s *Service) UpsertBatch(ctx context.Context, items []*Valid, opt BatchOptions) ([]BatchResult, error) {
	mode := writeMode{event: EventImported, source: opt.Source, fillOnly: !opt.Overwrite}
	out := make([]BatchResult, len(items))
	err := s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		ctx := withoutRowAudit(ctx)
		for i, v := range items {
			var id int64
			err := tx.Savepoint(ctx, func() error {
				var err error
				id, out[i].Outcome, err = s.upsert(ctx, tx, v.n, mode)
				return err
			})
			if err != nil {
				out[i].Err = sqldb.MapError(err)
				if ctx.Err() != nil {
					return ctx.Err()
				}
				continue
			}
			out[i].PublicID = s.publicIDOf(ctx, tx, id)
		}
		return nil
	})
	return out, err
}

func (s *Service) publicIDOf(ctx context.Context, tx *sqldb.Tx, id int64) string {
	c, err := s.loadRow(ctx, tx, id)
	if err != nil {
		return ""
	}
	return c.PublicID
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
