package customer

import (
	"context"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
)

// PersonalData is everything stored about one person, as personal-data laws
// require it to be handed over on request.
type PersonalData struct {
	Customer *Customer       `json:"customer"`
	Managers []ManagerPeriod `json:"managers"`
	Timeline []Event         `json:"timeline"`
	Merges   []MergeRecord   `json:"merges"`
}

// ExportPersonal gathers a customer's personal data and audits the export.
func (s *Service) ExportPersonal(ctx context.Context, publicID string) (*PersonalData, error) {
	c, err := s.Get(ctx, publicID)
	if err != nil {
		return nil, err
	}
	out := &PersonalData{Customer: c}
	if out.Managers, err = s.ManagerHistory(ctx, c.PublicID); err != nil {
		return nil, err
	}
	for before := int64(0); ; {
		page, err := s.Timeline(ctx, c.PublicID, before, 500)
		if err != nil {
			return nil, err
		}
		out.Timeline = append(out.Timeline, page...)
		if len(page) < 500 {
			break
		}
		before = page[len(page)-1].ID
	}
	if out.Merges, err = s.Merges(ctx, c.PublicID); err != nil {
		return nil, err
	}
	return out, s.audit.Record(ctx, nil, "customer.export", "customer", c.PublicID, "")
}

// Erase anonymises a customer: names, birth date, identities, facts,
// attributes, tags, consents, manager history and the timeline (which holds
// old values) are deleted; the empty record stays so that references and
// the audit trail still resolve, with one "erased" event and an audit row
// giving the reason.
func (s *Service) Erase(ctx context.Context, publicID, reason string) error {
	if reason == "" {
		return vernost.Invalid("reason", "is required: say on what grounds the data is erased")
	}
	return s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		id, err := s.resolve(ctx, tx, publicID)
		if err != nil {
			return err
		}
		// Records merged into this one still hold their old names, and merge
		// snapshots hold both cards: the person is erased from all of them.
		ids := []int64{id}
		for i := 0; i < len(ids); i++ {
			absorbed, err := s.ids(ctx, tx, "absorbed-by", ids[i])
			if err != nil {
				return err
			}
			ids = append(ids, absorbed...)
		}
		for _, id := range ids {
			if err := s.eraseOne(ctx, tx, id); err != nil {
				return err
			}
		}
		if err := s.addEvent(ctx, tx, id, EventErased, EventData{Text: reason}); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, "customer.erase", "customer", publicID, reason)
	})
}

func (s *Service) eraseOne(ctx context.Context, tx *sqldb.Tx, id int64) error {
	now := s.clock.Now()
	for _, q := range []string{"delete-identities-of", "delete-facts-of", "delete-attributes-of", "delete-tags-of",
		"delete-consents-of", "delete-manager-history-of", "delete-events-of", "delete-search-words"} {
		if _, err := s.q.Exec(ctx, tx, q, id); err != nil {
			return err
		}
	}
	if _, err := s.q.Exec(ctx, tx, "scrub-merge-snapshots", id, now); err != nil {
		return err
	}
	_, err := s.q.Exec(ctx, tx, "mark-erased", id, now)
	return err
}
