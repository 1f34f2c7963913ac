package customer

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/vernost/vernost/internal/identity"

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
	err := s.db.WithBulkTx(ctx, func(tx *sqldb.Tx) error {
		if !careful {
			return s.upsertFast(ctx, cancel, tx, items, mode, out)
		}
		for i, v := range items {
			if err := cancel.Err(); err != nil {
				return err
			}
			write := func() error {
				var err error
				out[i].PublicID, out[i].Outcome, err = s.upsert(ctx, tx, v.n, mode)
				return err
			}
			if err := tx.Savepoint(ctx, write); err != nil {
				out[i] = BatchResult{Err: sqldb.MapError(err)}
			}
		}
		return nil
	})
	return out, err
}

// upsertFast is the optimistic path: the owners of every identity in the
// batch are read with one query and kept in a map as new cards claim their
// identities, new cards are written with one statement each, and their
// identities, search rows and events wait for the batch's end. A row for a
// card that already exists takes the ordinary path after the pending
// writes are flushed, so that it sees them. Any failing row aborts the
// batch with errItemFailed, to be redone carefully.
func (s *Service) upsertFast(ctx, cancel context.Context, tx *sqldb.Tx, items []*Valid, mode writeMode, out []BatchResult) error {
	owner, err := s.batchOwners(ctx, tx, items)
	if err != nil {
		return err
	}
	for i, v := range items {
		if err := cancel.Err(); err != nil {
			return err
		}
		var ids []int64
		for _, id := range v.n.identities {
			if o, ok := owner[identityKey{id.Kind, id.Value}]; ok && !slices.Contains(ids, o) {
				ids = append(ids, o)
			}
		}
		var cid int64
		switch len(ids) {
		case 0:
			out[i].PublicID, cid, err = s.insert(ctx, tx, v.n, mode)
			out[i].Outcome = Created
		case 1:
			if mode.later.pending() {
				if err = mode.later.flush(ctx, s, tx); err != nil {
					return errItemFailed
				}
			}
			cid = ids[0]
			out[i].PublicID, out[i].Outcome, err = s.upsert(ctx, tx, v.n, mode)
		default:
			return errItemFailed
		}
		if err != nil {
			return errItemFailed
		}
		for _, id := range v.n.identities {
			owner[identityKey{id.Kind, id.Value}] = cid
		}
	}
	if err := mode.later.flush(ctx, s, tx); err != nil {
		return errItemFailed
	}
	return nil
}

type identityKey struct {
	kind  identity.Kind
	value string
}

// batchOwners reads, with one query, which customers own the identities of
// the batch.
func (s *Service) batchOwners(ctx context.Context, tx *sqldb.Tx, items []*Valid) (map[identityKey]int64, error) {
	var pairs [][2]string
	for _, v := range items {
		for _, id := range v.n.identities {
			pairs = append(pairs, [2]string{string(id.Kind), id.Value})
		}
	}
	owner := make(map[identityKey]int64, len(pairs))
	if len(pairs) == 0 {
		return owner, nil
	}
	b, err := json.Marshal(pairs)
	if err != nil {
		return nil, err
	}
	rows, err := s.q.Query(ctx, tx, "identity-owners-batch", string(b))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, value string
		var id int64
		if err := rows.Scan(&kind, &value, &id); err != nil {
			return nil, err
		}
		owner[identityKey{identity.Kind(kind), value}] = id
	}
	return owner, rows.Err()
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

// RefreshStatistics lets the database re-plan after a bulk load: a query
// planned while the tables were small would otherwise stay slow.
func (s *Service) RefreshStatistics(ctx context.Context) error { return s.db.Analyze(ctx) }
