package customer

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/identity"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/textkey"
)

// Summary is a search hit: enough to pick the right person from a list.
type Summary struct {
	PublicID   string `json:"id"`
	FullName   string `json:"full_name"`
	Preferred  string `json:"preferred_name,omitempty"`
	BirthDate  string `json:"birth_date,omitempty"`
	Persona    string `json:"persona"`
	Manager    string `json:"manager,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Email      string `json:"email,omitempty"`
	internalID int64
}

// Lookup finds the customer owning an identity — the call a phone system
// makes on every incoming call. It returns not found when nobody owns it.
func (s *Service) Lookup(ctx context.Context, kind, value string) (*Customer, error) {
	k, err := identity.ParseKind(kind)
	if err != nil {
		return nil, err
	}
	id, err := identity.Normalize(k, value, s.idopt)
	if err != nil {
		return nil, err
	}
	c, err := s.loadOwner(ctx, id)
	if vernost.ErrorCode(err) == vernost.ENotFound {
		return nil, vernost.Errorf(vernost.ENotFound, "no customer with %s %s", id.Kind, id.Value)
	}
	if err != nil {
		return nil, err
	}
	return c, s.audit.Record(ctx, nil, "customer.lookup", "customer", c.PublicID, string(id.Kind))
}

// Search finds customers by what an operator typed: a phone in any format,
// an email, a messenger handle, an external id ("1c:000123"), or any parts
// of the name in any order, Cyrillic or Latin, ё or е, as prefixes.
func (s *Service) Search(ctx context.Context, query string, limit int) ([]Summary, error) {
	query = strings.TrimSpace(query)
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	if query == "" {
		return []Summary{}, nil
	}
	var ids []int64
	if id, ok := identity.Guess(query, s.idopt); ok {
		owners, err := s.owners(ctx, nil, []identity.Identity{id})
		if err != nil {
			return nil, sqldb.MapError(err)
		}
		for _, o := range owners {
			ids = append(ids, o.id)
		}
	}
	if sys, val, ok := strings.Cut(query, ":"); ok && len(ids) == 0 && !strings.ContainsAny(sys, " @") {
		if id, err := identity.Normalize(identity.External, sys+":"+val, s.idopt); err == nil {
			owners, err := s.owners(ctx, nil, []identity.Identity{id})
			if err != nil {
				return nil, sqldb.MapError(err)
			}
			for _, o := range owners {
				ids = append(ids, o.id)
			}
		}
	}
	if len(ids) == 0 {
		words := textkey.QueryWords(query)
		if len(words) == 0 {
			return []Summary{}, nil
		}
		// Fetch more than shown, then order by name in Go: the index returns
		// matches in id order, and stopping early is what keeps it fast.
		rows, err := s.q.Query(ctx, nil, "search-names", strings.Join(words, " "), 4*limit)
		if err != nil {
			return nil, sqldb.MapError(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, sqldb.MapError(err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, sqldb.MapError(err)
		}
	}
	out, err := s.summaries(ctx, ids)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b Summary) int {
		return strings.Compare(textkey.Fold(a.FullName), textkey.Fold(b.FullName))
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// summaries reads the summaries of the live customers among ids with one
// query, in the order of ids.
func (s *Service) summaries(ctx context.Context, ids []int64) ([]Summary, error) {
	out := make([]Summary, 0, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	rows, err := s.q.Query(ctx, nil, "customer-summaries-batch", string(list))
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	defer rows.Close()
	byID := make(map[int64]Summary, len(ids))
	for rows.Next() {
		var m Summary
		var fam, giv, pat string
		var birth sql.NullTime
		if err := rows.Scan(&m.internalID, &m.PublicID, &fam, &giv, &pat, &m.Preferred, &birth, &m.Persona,
			&m.Manager, &m.Phone, &m.Email); err != nil {
			return nil, sqldb.MapError(err)
		}
		m.FullName = joinNonEmpty(fam, giv, pat)
		if birth.Valid {
			m.BirthDate = birth.Time.Format("2006-01-02")
		}
		byID[m.internalID] = m
	}
	if err := rows.Err(); err != nil {
		return nil, sqldb.MapError(err)
	}
	for _, id := range ids {
		if m, ok := byID[id]; ok { // merged or erased since it was indexed: skipped
			out = append(out, m)
		}
	}
	return out, nil
}

// ListFilter selects customers for List. Cursor is the opaque value that
// the previous page returned.
type ListFilter struct {
	Tag     string
	Manager string // a user's public id
	Persona string
	Cursor  string
	Limit   int
}

// List returns a page of customers in creation order and the cursor of the
// next page ("" at the end).
func (s *Service) List(ctx context.Context, f ListFilter) ([]Summary, string, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var after int64
	if f.Cursor != "" {
		var err error
		if after, err = strconv.ParseInt(f.Cursor, 36, 64); err != nil || after < 0 {
			return nil, "", vernost.Invalid("cursor", "is not a cursor this API returned")
		}
	}
	var managerID int64
	if f.Manager != "" {
		m, _, err := s.managerID(ctx, nil, &f.Manager)
		if err != nil {
			return nil, "", sqldb.MapError(err)
		}
		managerID = m.Int64
	}
	rows, err := s.q.Query(ctx, nil, "list-customers", after, textkey.Fold(f.Tag), managerID, f.Persona, f.Limit+1)
	if err != nil {
		return nil, "", sqldb.MapError(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, "", sqldb.MapError(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	next := ""
	if len(ids) > f.Limit {
		ids = ids[:f.Limit]
		next = strconv.FormatInt(ids[len(ids)-1], 36)
	}
	out, err := s.summaries(ctx, ids)
	return out, next, err
}

// Count returns the number of live customers.
func (s *Service) Count(ctx context.Context) (int, error) {
	var n int
	err := s.q.QueryRow(ctx, nil, "count-customers").Scan(&n)
	return n, sqldb.MapError(err)
}
