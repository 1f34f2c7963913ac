package customer

import (
	"context"
	"strings"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
)

// DuplicatePair is two cards that are probably one person.
type DuplicatePair struct {
	A      Summary `json:"a"`
	B      Summary `json:"b"`
	Reason string  `json:"reason"` // name_and_birth_date or similar_name_shared_contact
}

// Duplicates lists likely duplicates for review: the same name and birth
// date, or similar names sharing a contact fragment (the last seven digits
// of a phone, an email's local part). Pairs marked "not a duplicate" stay
// hidden.
func (s *Service) Duplicates(ctx context.Context, limit int) ([]DuplicatePair, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	type pair struct {
		a, b   int64
		reason string
	}
	var pairs []pair
	seen := map[[2]int64]bool{}
	rows, err := s.q.Query(ctx, nil, "duplicates-by-name-and-birth", limit)
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.a, &p.b); err != nil {
			rows.Close()
			return nil, sqldb.MapError(err)
		}
		p.reason = "name_and_birth_date"
		seen[[2]int64{p.a, p.b}] = true
		pairs = append(pairs, p)
	}
	rows.Close()
	rows, err = s.q.Query(ctx, nil, "duplicates-by-fragment", 4*limit)
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	for rows.Next() {
		var p pair
		var ka, kb string
		if err := rows.Scan(&p.a, &p.b, &ka, &kb); err != nil {
			rows.Close()
			return nil, sqldb.MapError(err)
		}
		if seen[[2]int64{p.a, p.b}] || !similarNames(ka, kb) {
			continue
		}
		seen[[2]int64{p.a, p.b}] = true
		p.reason = "similar_name_shared_contact"
		pairs = append(pairs, p)
	}
	rows.Close()
	if len(pairs) > limit {
		pairs = pairs[:limit]
	}
	out := []DuplicatePair{}
	for _, p := range pairs {
		sums, err := s.summaries(ctx, []int64{p.a, p.b})
		if err != nil {
			return nil, err
		}
		if len(sums) == 2 {
			out = append(out, DuplicatePair{A: sums[0], B: sums[1], Reason: p.reason})
		}
	}
	return out, nil
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
