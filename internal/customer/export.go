package customer

import (
	"context"

	"github.com/vernost/vernost/internal/sqldb"
)

// Each calls fn with every live customer's card in creation order, reading
// a page of ids at a time so that a million cards stream in little memory.
func (s *Service) Each(ctx context.Context, fn func(*Customer) error) error {
	const page = 500
	var after int64
	for {
		rows, err := s.q.Query(ctx, nil, "all-live-customer-ids", after, page)
		if err != nil {
			return sqldb.MapError(err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return sqldb.MapError(err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			c, err := s.load(ctx, nil, id)
			if err != nil {
				return err
			}
			if err := fn(c); err != nil {
				return err
			}
		}
		if len(ids) < page {
			return nil
		}
		after = ids[len(ids)-1]
	}
}
