package customer

import (
	"context"
	"strings"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
)

// DuplicatePair is two cards that are probably one person.
type DuplicatePair struct {
	A      Summary `json:"a"`
	B      Summary `json:"b"`
	Reason string  `json:"reason"` // name_and_birth_date or similar_name_shared_contact
}

// DuplicateList is the review list of likely duplicates.
type DuplicateList struct {
	Pairs []DuplicatePair `json:"pairs"`
	// MatchedAt is when the matching pass that found them ran; nil if
	// none has run yet.
	MatchedAt *time.Time `json:"matched_at"`
}

// Duplicates lists the likely duplicates the last matching pass found (see
// MatchDuplicates): the same name and birth date, or similar names sharing
// a contact fragment (the last seven digits of a phone, an email's local
// part). Pairs since merged, erased or marked "not a duplicate" are left
// out.
func (s *Service) Duplicates(ctx context.Context, limit int) (DuplicateList, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	list := DuplicateList{Pairs: []DuplicatePair{}}
	st, err := s.matchState(ctx)
	if err != nil || st.MatchedAt.IsZero() {
		return list, err
	}
	list.MatchedAt = &st.MatchedAt
	type pair struct {
		a, b   int64
		reason string
	}
	var pairs []pair
	rows, err := s.q.Query(ctx, nil, "duplicate-candidates", limit)
	if err != nil {
		return list, sqldb.MapError(err)
	}
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.a, &p.b, &p.reason); err != nil {
			rows.Close()
			return list, sqldb.MapError(err)
		}
		pairs = append(pairs, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return list, sqldb.MapError(err)
	}
	ids := make([]int64, 0, 2*len(pairs))
	for _, p := range pairs {
		ids = append(ids, p.a, p.b)
	}
	sums, err := s.summaries(ctx, ids) // one query for the whole list
	if err != nil {
		return list, err
	}
	byID := make(map[int64]Summary, len(sums))
	for _, m := range sums {
		byID[m.internalID] = m
	}
	for _, p := range pairs {
		a, okA := byID[p.a]
		b, okB := byID[p.b]
		if okA && okB {
			list.Pairs = append(list.Pairs, DuplicatePair{A: a, B: b, Reason: p.reason})
		}
	}
	return list, nil
}

// similarNames compares folded full names ("family given patronymic"):
// equal, within two edits (typos, е/э), or the same family name with the
// same given-name initial ("Иванова А." and "Иванова Анна").
func similarNames(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a == b || editDistance(a, b) <= 2 {
		return true
	}
	fa, fb := strings.Fields(a), strings.Fields(b)
	if len(fa) >= 2 && len(fb) >= 2 && fa[0] == fb[0] {
		ra, rb := []rune(fa[1]), []rune(fb[1])
		return ra[0] == rb[0]
	}
	return false
}

// editDistance is the Levenshtein distance over runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// DismissDuplicate records that two cards are different people, so the
// pair no longer shows for review.
func (s *Service) DismissDuplicate(ctx context.Context, aID, bID string) error {
	return s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		a, err := s.resolve(ctx, tx, aID)
		if err != nil {
			return err
		}
		b, err := s.resolve(ctx, tx, bID)
		if err != nil {
			return err
		}
		if a == b {
			return vernost.Invalid("b", "the same customer twice")
		}
		if a > b {
			a, b = b, a
		}
		if _, err := s.q.Exec(ctx, tx, "dismiss-duplicate", a, b, vernost.ActorFrom(ctx).Name, s.clock.Now()); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, "customer.not_duplicate", "customer", aID, bID)
	})
}
