package customer

import (
	"context"
	"database/sql"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/identity"
	"github.com/vernost/vernost/internal/sqldb"
)

func (s *Service) insertFact(ctx context.Context, tx *sqldb.Tx, customerID int64, f FactInput, mode writeMode) (Fact, error) {
	fact := Fact{ID: vernost.PublicID(), Kind: f.Kind, Text: f.Text, Pinned: f.Pinned,
		CreatedBy: vernost.ActorFrom(ctx).Name, CreatedAt: s.clock.Now()}
	var id int64
	err := s.q.QueryRow(ctx, tx, "insert-fact", fact.ID, customerID, fact.Kind, fact.Text, fact.Pinned, fact.CreatedBy, fact.CreatedAt).Scan(&id)
	if err != nil {
		return Fact{}, err
	}
	return fact, s.event(ctx, tx, customerID, mode, EventFactAdded, EventData{Fact: &fact})
}

func (s *Service) insertConsent(ctx context.Context, tx *sqldb.Tx, customerID int64, k ConsentInput, mode writeMode) error {
	c := Consent{Channel: k.Channel, Purpose: k.Purpose, Granted: k.Granted, Source: k.Source,
		Actor: vernost.ActorFrom(ctx).Name, At: s.clock.Now()}
	var id int64
	if err := s.q.QueryRow(ctx, tx, "insert-consent", customerID, c.Channel, c.Purpose, c.Granted, c.Source, c.Actor, c.At).Scan(&id); err != nil {
		return err
	}
	return s.event(ctx, tx, customerID, mode, EventConsent, EventData{Consent: &c})
}

// edit runs fn on the live customer publicID inside a write transaction and
// records action in the audit log with it.
func (s *Service) edit(ctx context.Context, publicID, action string, fn func(tx *sqldb.Tx, id int64) error) error {
	return s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		id, err := s.resolve(ctx, tx, publicID)
		if err != nil {
			return err
		}
		c, err := s.loadRow(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Erased {
			return vernost.Errorf(vernost.EConflict, "customer %s was erased; nothing more is recorded about them", c.PublicID)
		}
		if err := fn(tx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, action, "customer", publicID, "")
	})
}

// AddFact adds a fact to the card.
func (s *Service) AddFact(ctx context.Context, publicID string, in FactInput) (Fact, error) {
	f, err := checkFact(in)
	if err != nil {
		return Fact{}, err
	}
	var fact Fact
	err = s.edit(ctx, publicID, "customer.fact_add", func(tx *sqldb.Tx, id int64) error {
		fact, err = s.insertFact(ctx, tx, id, f, writeMode{})
		return err
	})
	return fact, err
}

// factOf finds a fact and checks that it belongs to customer id.
func (s *Service) factOf(ctx context.Context, tx *sqldb.Tx, id int64, factID string) (int64, Fact, error) {
	var rowID, owner int64
	var f Fact
	err := s.q.QueryRow(ctx, tx, "fact-by-public-id", factID).Scan(&rowID, &owner, &f.Kind, &f.Text, &f.Pinned)
	if err == sql.ErrNoRows || err == nil && owner != id {
		return 0, f, vernost.Errorf(vernost.ENotFound, "fact %s not found on this card", factID)
	}
	f.ID = factID
	return rowID, f, err
}

// PinFact pins or unpins a fact; pinned facts show first on the card.
func (s *Service) PinFact(ctx context.Context, publicID, factID string, pinned bool) error {
	return s.edit(ctx, publicID, "customer.fact_pin", func(tx *sqldb.Tx, id int64) error {
		rowID, _, err := s.factOf(ctx, tx, id, factID)
		if err != nil {
			return err
		}
		_, err = s.q.Exec(ctx, tx, "set-fact-pinned", rowID, pinned)
		return err
	})
}

// DeleteFact removes a fact; the timeline keeps what it said.
func (s *Service) DeleteFact(ctx context.Context, publicID, factID string) error {
	return s.edit(ctx, publicID, "customer.fact_delete", func(tx *sqldb.Tx, id int64) error {
		rowID, f, err := s.factOf(ctx, tx, id, factID)
		if err != nil {
			return err
		}
		if _, err := s.q.Exec(ctx, tx, "delete-fact", rowID); err != nil {
			return err
		}
		return s.addEvent(ctx, tx, id, EventFactRemoved, EventData{Fact: &f})
	})
}

// SetConsent records a consent decision with its source.
func (s *Service) SetConsent(ctx context.Context, publicID string, in ConsentInput) error {
	k, err := checkConsent(in)
	if err != nil {
		return err
	}
	return s.edit(ctx, publicID, "customer.consent", func(tx *sqldb.Tx, id int64) error {
		return s.insertConsent(ctx, tx, id, k, writeMode{})
	})
}

// RemoveTag takes a tag off the card.
func (s *Service) RemoveTag(ctx context.Context, publicID, tag string) error {
	return s.edit(ctx, publicID, "customer.tag_remove", func(tx *sqldb.Tx, id int64) error {
		res, err := s.q.Exec(ctx, tx, "delete-tag", id, tag)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return vernost.Errorf(vernost.ENotFound, "the card has no tag %q", tag)
		}
		return s.addEvent(ctx, tx, id, EventTags, EventData{Changes: []Change{{Field: "tags", Old: tag}}})
	})
}

// RemoveIdentity detaches an identity (a number the customer gave up).
func (s *Service) RemoveIdentity(ctx context.Context, publicID string, in IdentityInput) error {
	kind, err := identity.ParseKind(in.Kind)
	if err != nil {
		return err
	}
	norm, err := identity.Normalize(kind, in.Value, s.idopt)
	if err != nil {
		return err
	}
	return s.edit(ctx, publicID, "customer.identity_remove", func(tx *sqldb.Tx, id int64) error {
		res, err := s.q.Exec(ctx, tx, "delete-identity", id, string(norm.Kind), norm.Value)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return vernost.Errorf(vernost.ENotFound, "the card has no %s %s", norm.Kind, norm.Value)
		}
		ref := Identity{Kind: norm.Kind, Value: norm.Value, Raw: in.Value}
		return s.addEvent(ctx, tx, id, EventIdentityRemoved, EventData{Identity: &ref})
	})
}
