package customer

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
)

// Winners says, per scalar field, which record's value the merged card
// keeps: "survivor" (the default) or "absorbed". An empty survivor value is
// filled from the absorbed record unless the field names survivor outright.
type Winners map[string]string

// MergeRecord is one merge as logged: who, when, and whether it was undone.
type MergeRecord struct {
	ID       string     `json:"id"`
	Survivor string     `json:"survivor"`
	Absorbed string     `json:"absorbed"`
	Actor    string     `json:"actor"`
	At       time.Time  `json:"at"`
	UndoneAt *time.Time `json:"undone_at,omitempty"`
}

// mergeSnapshot is what undo needs: both cards as they were, and which rows
// moved from the absorbed record to the survivor.
type mergeSnapshot struct {
	Survivor   Customer `json:"survivor"`
	Absorbed   Customer `json:"absorbed"`
	ManagerID  int64    `json:"manager_id"` // the survivor's, before
	Identities []int64  `json:"identities"`
	Facts      []int64  `json:"facts"`
	Consents   []int64  `json:"consents"`
	Events     []int64  `json:"events"`
	TagsAdded  []string `json:"tags_added"`
}

// PreviewMerge shows the card that merging absorbed into survivor would
// produce, without changing anything.
func (s *Service) PreviewMerge(ctx context.Context, survivorID, absorbedID string, w Winners) (*Customer, error) {
	sv, ab, err := s.mergePair(ctx, nil, survivorID, absorbedID, w)
	if err != nil {
		return nil, err
	}
	return combine(sv, ab, w), nil
}

// mergePair loads and checks the two live, distinct cards.
func (s *Service) mergePair(ctx context.Context, tx *sqldb.Tx, survivorID, absorbedID string, w Winners) (*Customer, *Customer, error) {
	for field, side := range w {
		if !slices.Contains(ScalarFields(), field) && field != "manager" {
			return nil, nil, vernost.Invalid("winners."+field, "no such field")
		}
		if side != "survivor" && side != "absorbed" {
			return nil, nil, vernost.Invalid("winners."+field, "must be survivor or absorbed")
		}
	}
	sid, err := s.resolve(ctx, tx, survivorID)
	if err != nil {
		return nil, nil, err
	}
	aid, err := s.resolve(ctx, tx, absorbedID)
	if err != nil {
		return nil, nil, err
	}
	if sid == aid {
		return nil, nil, vernost.Invalid("absorbed", "a customer cannot be merged with itself")
	}
	sv, err := s.load(ctx, tx, sid)
	if err != nil {
		return nil, nil, err
	}
	ab, err := s.load(ctx, tx, aid)
	if err != nil {
		return nil, nil, err
	}
	if sv.Erased || ab.Erased {
		return nil, nil, vernost.Errorf(vernost.EConflict, "an erased customer cannot be merged")
	}
	return sv, ab, nil
}

// combine computes the merged card from the two and the winners.
func combine(sv, ab *Customer, w Winners) *Customer {
	out := *sv
	for _, f := range scalars {
		mine, theirs := *f.card(sv), *f.card(ab)
		switch {
		case w[f.name] == "absorbed":
			*f.card(&out) = theirs
		case w[f.name] == "" && mine == "" && theirs != "":
			*f.card(&out) = theirs
		}
	}
	if w["manager"] == "absorbed" || w["manager"] == "" && sv.Manager == nil && ab.Manager != nil {
		out.Manager, out.managerID = ab.Manager, ab.managerID
	}
	out.Identities = append(slices.Clone(sv.Identities), ab.Identities...)
	out.Facts = append(slices.Clone(sv.Facts), ab.Facts...)
	out.Tags = slices.Clone(sv.Tags)
	for _, t := range ab.Tags {
		if !slices.Contains(out.Tags, t) {
			out.Tags = append(out.Tags, t)
		}
	}
	slices.Sort(out.Tags)
	out.Attributes = map[string]string{}
	for k, v := range ab.Attributes {
		out.Attributes[k] = v
	}
	for k, v := range sv.Attributes {
		out.Attributes[k] = v
	}
	out.Consents = mergeConsents(sv.Consents, ab.Consents)
	return &out
}

// mergeConsents keeps, per channel and purpose, the more recent decision.
func mergeConsents(a, b []Consent) []Consent {
	out := slices.Clone(a)
	for _, k := range b {
		i := slices.IndexFunc(out, func(x Consent) bool { return x.Channel == k.Channel && x.Purpose == k.Purpose })
		if i < 0 {
			out = append(out, k)
		} else if k.At.After(out[i].At) {
			out[i] = k
		}
	}
	return out
}

// Merge folds absorbed into survivor: fields by the winners; identities,
// facts, consents, timeline and tags carried over; attributes the survivor
// lacks filled in. The absorbed id keeps resolving to the survivor. The
// merge is logged with a snapshot from which UndoMerge restores both.
func (s *Service) Merge(ctx context.Context, survivorID, absorbedID string, w Winners) (MergeRecord, error) {
	var rec MergeRecord
	err := s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		sv, ab, err := s.mergePair(ctx, tx, survivorID, absorbedID, w)
		if err != nil {
			return err
		}
		snap := mergeSnapshot{Survivor: *sv, Absorbed: *ab, ManagerID: sv.managerID}
		merged := combine(sv, ab, w)
		now := s.clock.Now()
		// Moving rows, and remembering which, so undo can move them back.
		moves := []struct {
			list, move string
			ids        *[]int64
		}{
			{"identity-ids-of", "move-identity", &snap.Identities},
			{"fact-ids-of", "move-fact", &snap.Facts},
			{"consent-ids-of", "move-consent", &snap.Consents},
			{"event-ids-of", "move-event", &snap.Events},
		}
		for _, m := range moves {
			if *m.ids, err = s.ids(ctx, tx, m.list, ab.ID); err != nil {
				return err
			}
			for _, id := range *m.ids {
				if _, err := s.q.Exec(ctx, tx, m.move, id, sv.ID); err != nil {
					return err
				}
			}
		}
		for _, t := range merged.Tags {
			if !slices.Contains(sv.Tags, t) {
				if _, err := s.q.Exec(ctx, tx, "insert-tag", sv.ID, t); err != nil {
					return err
				}
				snap.TagsAdded = append(snap.TagsAdded, t)
			}
		}
		for k, v := range merged.Attributes {
			if sv.Attributes[k] != v {
				if _, err := s.q.Exec(ctx, tx, "set-attribute", sv.ID, k, v); err != nil {
					return err
				}
			}
		}
		if err := s.writeRow(ctx, tx, merged, now); err != nil {
			return err
		}
		if merged.managerID != sv.managerID {
			if err := s.switchManager(ctx, tx, sv.ID, merged.managerID, now); err != nil {
				return err
			}
		}
		if _, err := s.q.Exec(ctx, tx, "set-merged-into", ab.ID, sv.ID, now); err != nil {
			return err
		}
		if _, err := s.q.Exec(ctx, tx, "delete-search-words", ab.ID); err != nil {
			return err
		}
		if err := s.setSearchWords(ctx, tx, merged); err != nil {
			return err
		}
		body, err := json.Marshal(snap)
		if err != nil {
			return err
		}
		rec = MergeRecord{ID: vernost.PublicID(), Survivor: sv.PublicID, Absorbed: ab.PublicID, Actor: vernost.ActorFrom(ctx).Name, At: now}
		var mergeID int64
		if err := s.q.QueryRow(ctx, tx, "insert-merge", rec.ID, sv.ID, ab.ID, rec.Actor, now, string(body)).Scan(&mergeID); err != nil {
			return err
		}
		if err := s.addEvent(ctx, tx, sv.ID, EventMerged, EventData{Other: ab.PublicID, Text: ab.FullName()}); err != nil {
			return err
		}
		if err := s.addEvent(ctx, tx, ab.ID, EventAbsorbed, EventData{Other: sv.PublicID}); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, "customer.merge", "customer", sv.PublicID, "absorbed "+ab.PublicID+" merge "+rec.ID)
	})
	return rec, err
}

// UndoMerge restores both records from the merge's snapshot. Rows that came
// from the absorbed record go back to it; the survivor's fields, tags and
// attributes return to what they were before the merge.
func (s *Service) UndoMerge(ctx context.Context, mergeID string) error {
	return s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		var id, survivorID, absorbedID int64
		var actor, body, spid, apid string
		var at time.Time
		var undone sql.NullTime
		err := s.q.QueryRow(ctx, tx, "merge-by-public-id", mergeID).Scan(&id, new(string), &survivorID, &absorbedID, &actor, &at, &body, &undone, &spid, &apid)
		if err == sql.ErrNoRows {
			return vernost.Errorf(vernost.ENotFound, "merge %s not found", mergeID)
		}
		if err != nil {
			return err
		}
		if undone.Valid {
			return vernost.Errorf(vernost.EConflict, "merge %s was already undone", mergeID)
		}
		var later int
		if err := s.q.QueryRow(ctx, tx, "later-merges-into-absorbed", absorbedID, id).Scan(&later); err != nil {
			return err
		}
		var merged sql.NullInt64
		if err := s.q.QueryRow(ctx, tx, "merged-into-of", survivorID).Scan(&merged); err != nil {
			return err
		}
		if later > 0 || merged.Valid {
			return vernost.Errorf(vernost.EConflict, "a later merge involves these customers; undo it first")
		}
		var snap mergeSnapshot
		if err := json.Unmarshal([]byte(body), &snap); err != nil {
			return vernost.Internal(fmt.Errorf("merge %s snapshot: %w", mergeID, err))
		}
		now := s.clock.Now()
		for _, m := range []struct {
			move string
			ids  []int64
		}{{"move-identity", snap.Identities}, {"move-fact", snap.Facts}, {"move-consent", snap.Consents}, {"move-event", snap.Events}} {
			for _, rid := range m.ids {
				if _, err := s.q.Exec(ctx, tx, m.move, rid, absorbedID); err != nil {
					return err
				}
			}
		}
		for _, t := range snap.TagsAdded {
			if _, err := s.q.Exec(ctx, tx, "delete-tag", survivorID, t); err != nil {
				return err
			}
		}
		cur, err := s.load(ctx, tx, survivorID)
		if err != nil {
			return err
		}
		for k := range cur.Attributes {
			old, had := snap.Survivor.Attributes[k]
			switch {
			case !had:
				_, err = s.q.Exec(ctx, tx, "delete-attribute", survivorID, k)
			case old != cur.Attributes[k]:
				_, err = s.q.Exec(ctx, tx, "set-attribute", survivorID, k, old)
			}
			if err != nil {
				return err
			}
		}
		before := snap.Survivor
		before.ID = survivorID
		before.managerID = snap.ManagerID
		if err := s.writeRow(ctx, tx, &before, now); err != nil {
			return err
		}
		if cur.managerID != snap.ManagerID {
			if err := s.switchManager(ctx, tx, survivorID, snap.ManagerID, now); err != nil {
				return err
			}
		}
		if _, err := s.q.Exec(ctx, tx, "set-merged-into", absorbedID, nil, now); err != nil {
			return err
		}
		absorbed := snap.Absorbed
		absorbed.ID = absorbedID
		if err := s.setSearchWords(ctx, tx, &before); err != nil {
			return err
		}
		if err := s.setSearchWords(ctx, tx, &absorbed); err != nil {
			return err
		}
		if _, err := s.q.Exec(ctx, tx, "mark-merge-undone", id, now, vernost.ActorFrom(ctx).Name); err != nil {
			return err
		}
		for _, e := range []struct {
			id    int64
			other string
		}{{survivorID, apid}, {absorbedID, spid}} {
			if err := s.addEvent(ctx, tx, e.id, EventMergeUndone, EventData{Other: e.other, Text: mergeID}); err != nil {
				return err
			}
		}
		return s.audit.Record(ctx, tx, "customer.merge_undo", "customer", spid, "restored "+apid+" merge "+mergeID)
	})
}

// Merges lists the merges a customer took part in, newest first.
func (s *Service) Merges(ctx context.Context, publicID string) ([]MergeRecord, error) {
	id, err := s.resolve(ctx, nil, publicID)
	if err != nil {
		return nil, err
	}
	rows, err := s.q.Query(ctx, nil, "merges-of", id)
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	defer rows.Close()
	out := []MergeRecord{}
	for rows.Next() {
		var m MergeRecord
		var undone sql.NullTime
		if err := rows.Scan(&m.ID, &m.Survivor, &m.Absorbed, &m.Actor, &m.At, &undone); err != nil {
			return nil, sqldb.MapError(err)
		}
		m.At = m.At.UTC()
		if undone.Valid {
			t := undone.Time.UTC()
			m.UndoneAt = &t
		}
		out = append(out, m)
	}
	return out, sqldb.MapError(rows.Err())
}

// writeRow stores c's scalar fields and manager in its customers row.
func (s *Service) writeRow(ctx context.Context, tx *sqldb.Tx, c *Customer, now time.Time) error {
	manager := sql.NullInt64{Int64: c.managerID, Valid: c.managerID != 0}
	_, err := s.q.Exec(ctx, tx, "update-customer", c.ID, c.FamilyName, c.GivenName, c.Patronymic,
		c.PreferredName, c.AddressForm, c.Pronunciation, nullDate(c.BirthDate), c.Persona, c.PreferredChannel,
		c.Language, c.TimeZone, c.QuietFrom, c.QuietTo, c.Wish, manager, nameKey(c), now)
	return err
}

// switchManager closes the current manager period and opens one for
// managerID (none if 0).
func (s *Service) switchManager(ctx context.Context, tx *sqldb.Tx, customerID, managerID int64, now time.Time) error {
	if _, err := s.q.Exec(ctx, tx, "close-manager-period", customerID, now); err != nil {
		return err
	}
	if managerID == 0 {
		return nil
	}
	_, err := s.q.Exec(ctx, tx, "open-manager-period", customerID, managerID, now)
	return err
}

// ids runs a query listing row ids by customer id.
func (s *Service) ids(ctx context.Context, tx *sqldb.Tx, query string, customerID int64) ([]int64, error) {
	rows, err := s.q.Query(ctx, tx, query, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
