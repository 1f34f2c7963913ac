package customer

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"hash/maphash"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/vernost/vernost/internal/sqldb"
)

// Likely duplicates are found by a matching pass over all cards, not by
// indexes on the name key and the contact fragments: those take a random
// page per written row, which made a third of a large import's time, while
// a pass sorts a million cards in seconds. The pass runs in the background
// when cards changed (see KeepDuplicatesMatched) and when the review list
// is opened (see RefreshDuplicates); the list shows when it last ran.

// matchGroupLimit caps how many cards one key may join: a fragment shared
// by hundreds of cards ("info", a switchboard's number) is no evidence, and
// its pairs would crowd out the real ones.
const matchGroupLimit = 50

// MatchReport is the outcome of a matching pass.
type MatchReport struct {
	Pairs         int           `json:"pairs"`
	SkippedGroups int           `json:"skipped_groups"` // keys shared by more than matchGroupLimit cards
	Duration      time.Duration `json:"duration"`
}

// matchState is when the last pass ran and the newest timeline event it
// saw: a newer event means cards changed since.
type matchState struct {
	MatchedAt time.Time
	watermark int64
}

// keyed is a card under a matching key's hash.
type keyed struct {
	key uint64
	id  int64
}

// MatchDuplicates runs a matching pass and replaces the candidate pairs
// with its findings. Only one pass runs at a time in a process.
func (s *Service) MatchDuplicates(ctx context.Context) (MatchReport, error) {
	s.matching.mu.Lock()
	defer s.matching.mu.Unlock()
	return s.matchDuplicates(ctx)
}

func (s *Service) matchDuplicates(ctx context.Context) (MatchReport, error) {
	start := time.Now()
	var rep MatchReport
	var watermark int64
	if err := s.q.QueryRow(ctx, nil, "newest-event-id").Scan(&watermark); err != nil {
		return rep, sqldb.MapError(err)
	}
	seed := maphash.MakeSeed()
	byName, live, err := s.scanNameKeys(ctx, seed)
	if err != nil {
		return rep, err
	}
	byFragment, err := s.scanFragments(ctx, seed, live)
	if err != nil {
		return rep, err
	}
	pairs := map[[2]int64]string{}
	rep.SkippedGroups += eachGroup(byName, func(ids []int64) {
		eachPair(ids, func(p [2]int64) { pairs[p] = "name_and_birth_date" })
	})
	var fragmentPairs [][2]int64
	rep.SkippedGroups += eachGroup(byFragment, func(ids []int64) {
		eachPair(ids, func(p [2]int64) {
			if _, ok := pairs[p]; !ok {
				fragmentPairs = append(fragmentPairs, p)
			}
		})
	})
	if len(fragmentPairs) > 0 {
		names, err := s.nameKeys(ctx, fragmentPairs)
		if err != nil {
			return rep, err
		}
		for _, p := range fragmentPairs {
			if similarNames(names[p[0]], names[p[1]]) {
				pairs[p] = "similar_name_shared_contact"
			}
		}
	}
	rep.Pairs = len(pairs)
	err = s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		if _, err := s.q.Exec(ctx, tx, "clear-duplicate-candidates"); err != nil {
			return err
		}
		values := make([]any, 0, 3*len(pairs))
		for _, p := range slices.SortedFunc(maps.Keys(pairs), comparePairs) {
			values = append(values, p[0], p[1], pairs[p])
		}
		if err := tx.InsertRows(ctx, candidateInsert, values); err != nil {
			return err
		}
		_, err := s.q.Exec(ctx, tx, "set-duplicate-matching", watermark, s.clock.Now(), len(pairs))
		return err
	})
	if err != nil {
		return rep, sqldb.MapError(err)
	}
	rep.Duration = time.Since(start)
	return rep, nil
}

var candidateInsert = &sqldb.Insert{Table: "duplicate_candidates", Rows: 500, Columns: []string{"a_id", "b_id", "reason"}}

// scanNameKeys reads every live named card's name and birth date, hashed,
// and the set of live card ids.
func (s *Service) scanNameKeys(ctx context.Context, seed maphash.Seed) ([]keyed, idSet, error) {
	rows, err := s.q.Query(ctx, nil, "match-name-keys")
	if err != nil {
		return nil, nil, sqldb.MapError(err)
	}
	defer rows.Close()
	var out []keyed
	var live idSet
	for rows.Next() {
		var id int64
		var key string
		var birth sql.NullTime
		if err := rows.Scan(&id, &key, &birth); err != nil {
			return nil, nil, sqldb.MapError(err)
		}
		live.add(id)
		if birth.Valid {
			out = append(out, keyed{maphash.String(seed, key+"|"+birth.Time.Format("2006-01-02")), id})
		}
	}
	return out, live, sqldb.MapError(rows.Err())
}

// scanFragments reads the contact fragments of the live cards, hashed.
func (s *Service) scanFragments(ctx context.Context, seed maphash.Seed, live idSet) ([]keyed, error) {
	rows, err := s.q.Query(ctx, nil, "match-fragments")
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	defer rows.Close()
	var out []keyed
	for rows.Next() {
		var id int64
		var fragment string
		if err := rows.Scan(&id, &fragment); err != nil {
			return nil, sqldb.MapError(err)
		}
		if live.has(id) {
			out = append(out, keyed{maphash.String(seed, fragment), id})
		}
	}
	return out, sqldb.MapError(rows.Err())
}

// idSet is a set of card ids, which are small dense numbers: a bit each.
type idSet []uint64

func (s *idSet) add(id int64) {
	if id < 0 {
		return
	}
	for int(id/64) >= len(*s) {
		*s = append(*s, 0)
	}
	(*s)[id/64] |= 1 << (id % 64)
}

func (s idSet) has(id int64) bool {
	return id >= 0 && int(id/64) < len(s) && s[id/64]&(1<<(id%64)) != 0
}

// nameKeys reads the name keys of the cards in pairs.
func (s *Service) nameKeys(ctx context.Context, pairs [][2]int64) (map[int64]string, error) {
	names := map[int64]string{}
	for _, p := range pairs {
		names[p[0]], names[p[1]] = "", ""
	}
	ids, err := json.Marshal(slices.Collect(maps.Keys(names)))
	if err != nil {
		return nil, err
	}
	rows, err := s.q.Query(ctx, nil, "name-keys-batch", string(ids))
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return nil, sqldb.MapError(err)
		}
		names[id] = key
	}
	return names, sqldb.MapError(rows.Err())
}

// eachGroup sorts cards by key and calls fn with the distinct ids of each
// key two to matchGroupLimit cards share. It returns how many groups were
// over the limit.
func eachGroup(cards []keyed, fn func(ids []int64)) (skipped int) {
	slices.SortFunc(cards, func(a, b keyed) int { return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.id, b.id)) })
	var ids []int64
	for i := 0; i < len(cards); {
		j := i
		ids = ids[:0]
		for ; j < len(cards) && cards[j].key == cards[i].key; j++ {
			if len(ids) == 0 || ids[len(ids)-1] != cards[j].id {
				ids = append(ids, cards[j].id)
			}
		}
		switch {
		case len(ids) > matchGroupLimit:
			skipped++
		case len(ids) > 1:
			fn(ids)
		}
		i = j
	}
	return skipped
}

// eachPair calls fn with every pair of ascending ids, lower id first.
func eachPair(ids []int64, fn func([2]int64)) {
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			fn([2]int64{ids[i], ids[j]})
		}
	}
}

func comparePairs(a, b [2]int64) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) }

// duplicatesMatching is the matching state shared by a Service's callers.
type duplicatesMatching struct {
	mu      sync.Mutex    // held by the running pass
	running chan struct{} // closed when the background pass ends; nil if none
	guard   sync.Mutex    // guards running
}

// matchState reads when the last pass ran; zero if never.
func (s *Service) matchState(ctx context.Context) (matchState, error) {
	var st matchState
	err := s.q.QueryRow(ctx, nil, "duplicate-matching").Scan(&st.watermark, &st.MatchedAt)
	if err == sql.ErrNoRows {
		return matchState{}, nil
	}
	st.MatchedAt = st.MatchedAt.UTC()
	return st, sqldb.MapError(err)
}

// duplicatesStale reports whether cards changed since the last pass.
func (s *Service) duplicatesStale(ctx context.Context) (bool, error) {
	st, err := s.matchState(ctx)
	if err != nil {
		return false, err
	}
	var newest int64
	if err := s.q.QueryRow(ctx, nil, "newest-event-id").Scan(&newest); err != nil {
		return false, sqldb.MapError(err)
	}
	return st.MatchedAt.IsZero() || newest > st.watermark, nil
}

// RefreshDuplicates starts a matching pass in the background if cards
// changed since the last one, and waits up to wait for it: a small base
// is matched before the list is shown, a large one shows the previous
// findings while the pass goes on.
func (s *Service) RefreshDuplicates(ctx context.Context, wait time.Duration) error {
	stale, err := s.duplicatesStale(ctx)
	if err != nil || !stale {
		return err
	}
	m := &s.matching
	m.guard.Lock()
	done := m.running
	if done == nil {
		done = make(chan struct{})
		m.running = done
		go func() {
			// The pass outlives the request that started it.
			if rep, err := s.MatchDuplicates(context.WithoutCancel(ctx)); err != nil {
				slog.Error("matching duplicates", "err", err)
			} else {
				slog.Info("matched duplicates", "pairs", rep.Pairs, "skipped_groups", rep.SkippedGroups, "duration", rep.Duration)
			}
			m.guard.Lock()
			m.running = nil
			m.guard.Unlock()
			close(done)
		}()
	}
	m.guard.Unlock()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	case <-ctx.Done():
	}
	return nil
}

// KeepDuplicatesMatched runs a matching pass every interval in which
// cards changed, until ctx ends.
func (s *Service) KeepDuplicatesMatched(ctx context.Context, interval time.Duration) {
	for {
		if err := s.RefreshDuplicates(ctx, interval); err != nil && ctx.Err() == nil {
			slog.Error("matching duplicates", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}
