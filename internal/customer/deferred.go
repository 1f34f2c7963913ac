package customer

import (
	"context"
	"encoding/json"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
)

// deferred collects the identities of new cards, the search-index rows and
// the timeline events of a batch so that each kind is written by one
// statement at the end: a statement per row is what an import spends its
// time on, and SQLite's full-text index flushes its pending rows to disk at
// every statement that follows a change to it.
type deferred struct {
	identities [][5]any // customer id, kind, value, raw, fragment
	search     [][2]any // customer id, words
	events     [][3]any // customer id, kind, data (JSON text)
}

func (d *deferred) pending() bool { return len(d.identities)+len(d.search)+len(d.events) > 0 }

func (d *deferred) flush(ctx context.Context, s *Service, tx *sqldb.Tx) error {
	if len(d.identities) > 0 {
		b, err := json.Marshal(d.identities)
		if err != nil {
			return err
		}
		if _, err := s.q.Exec(ctx, tx, "insert-identities-batch", string(b), s.clock.Now()); err != nil {
			return err
		}
	}
	if len(d.search) > 0 {
		b, err := json.Marshal(d.search)
		if err != nil {
			return err
		}
		if _, err := s.q.Exec(ctx, tx, "insert-search-words-batch", string(b)); err != nil {
			return err
		}
	}
	if len(d.events) > 0 {
		b, err := json.Marshal(d.events)
		if err != nil {
			return err
		}
		if _, err := s.q.Exec(ctx, tx, "insert-events-batch", string(b), s.clock.Now(), vernost.ActorFrom(ctx).Name); err != nil {
			return err
		}
	}
	d.identities, d.search, d.events = d.identities[:0], d.search[:0], d.events[:0]
	return nil
}
