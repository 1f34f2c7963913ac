package customer

import (
	"context"
	"log/slog"
	"time"

	"github.com/vernost/vernost/internal/sqldb"
)

// restoreSearchIndex rebuilds the name index from the cards if a migration
// recreated it empty (0007 changed SQLite's tokenizer). It runs in one
// transaction, so that an interrupted rebuild leaves the index empty and
// is started again, never half done.
func (s *Service) restoreSearchIndex(ctx context.Context) error {
	var missing bool
	if err := s.q.QueryRow(ctx, nil, "search-index-missing").Scan(&missing); err != nil || !missing {
		return sqldb.MapError(err)
	}
	start := time.Now()
	n := 0
	err := s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		const page = 10_000
		var last int64
		for {
			rows, err := s.q.Query(ctx, tx, "cards-to-index", last, page)
			if err != nil {
				return err
			}
			var batch searchRows
			for rows.Next() {
				var c Customer
				if err := rows.Scan(&c.ID, &c.FamilyName, &c.GivenName, &c.Patronymic, &c.PreferredName); err != nil {
					rows.Close()
					return err
				}
				batch.add(c.ID, searchWords(&c))
				last = c.ID
			}
			if err := rows.Close(); err != nil {
				return err
			}
			if batch.n == 0 {
				return nil
			}
			if _, err := s.q.Exec(ctx, tx, "insert-search-words-batch", batch.json()); err != nil {
				return err
			}
			n += batch.n
		}
	})
	if err != nil {
		return err
	}
	slog.Info("rebuilt the name search index", "cards", n, "duration", time.Since(start).Round(time.Millisecond))
	return nil
}
