package customer

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/identity"
	"github.com/vernost/vernost/internal/sqldb"
)

// resolve finds a customer's internal id by public id, following merges:
// the id of an absorbed record keeps resolving to the survivor.
func (s *Service) resolve(ctx context.Context, tx *sqldb.Tx, publicID string) (int64, error) {
	var id int64
	var next sql.NullInt64
	err := s.q.QueryRow(ctx, tx, "customer-by-public-id", publicID).Scan(&id, &next)
	if vernost.ErrorCode(sqldb.MapError(err)) == vernost.ENotFound {
		return 0, vernost.Errorf(vernost.ENotFound, "customer %s not found", publicID)
	}
	if err != nil {
		return 0, sqldb.MapError(err)
	}
	// Merges form chains (A into B, later B into C); undo keeps them acyclic,
	// the bound only guards against a corrupted table.
	for hops := 0; next.Valid; hops++ {
		if hops > 1000 {
			return 0, vernost.Internal(fmt.Errorf("merge chain from customer %s does not end", publicID))
		}
		id = next.Int64
		if err := s.q.QueryRow(ctx, tx, "merged-into-of", id).Scan(&next); err != nil {
			return 0, sqldb.MapError(err)
		}
	}
	return id, nil
}

// loadRow reads the customers row alone.
func (s *Service) loadRow(ctx context.Context, tx *sqldb.Tx, id int64) (*Customer, error) {
	c := &Customer{}
	return c, s.scanRow(s.q.QueryRow(ctx, tx, "customer-by-id", id), c)
}

// scanRow reads the customers columns (and any extra ones after them) of
// the customer-by-id and customer-card queries.
func (s *Service) scanRow(row *sql.Row, c *Customer, extra ...any) error {
	var birth, erased sql.NullTime
	var manager sql.NullInt64
	var managerPID, managerName string
	dest := append([]any{&c.ID, &c.PublicID, &c.FamilyName, &c.GivenName,
		&c.Patronymic, &c.PreferredName, &c.AddressForm, &c.Pronunciation, &birth, &c.Persona,
		&c.PreferredChannel, &c.Language, &c.TimeZone, &c.QuietFrom, &c.QuietTo, &c.Wish, &manager,
		&managerPID, &managerName, &c.MergedInto, &erased, &c.Version, &c.CreatedAt, &c.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return sqldb.MapError(err)
	}
	if birth.Valid {
		c.BirthDate = birth.Time.Format("2006-01-02")
	}
	if manager.Valid {
		c.managerID = manager.Int64
		c.Manager = &UserRef{ID: managerPID, Name: managerName}
	}
	c.Erased = erased.Valid
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return nil
}

// load reads the whole card with one statement: the row and, as JSON, the
// lists attached to it. A card view pays for one round trip instead of six.
func (s *Service) load(ctx context.Context, tx *sqldb.Tx, id int64) (*Customer, error) {
	return s.card(ctx, tx, id, nil, nil)
}

// loadOwner reads the whole card of the customer owning an identity, with
// the same one statement: a phone system's lookup needs no second one to
// find the owner first.
func (s *Service) loadOwner(ctx context.Context, id identity.Identity) (*Customer, error) {
	return s.card(ctx, nil, nil, string(id.Kind), id.Value)
}

// card runs the customer-card query, which takes an internal id or, with
// the id NULL, an identity's kind and value.
func (s *Service) card(ctx context.Context, tx *sqldb.Tx, id, kind, value any) (*Customer, error) {
	c := &Customer{}
	var identities, facts, tags, attrs, consents string
	if err := s.scanRow(s.q.QueryRow(ctx, tx, "customer-card", id, kind, value), c, &identities, &facts, &tags, &attrs, &consents); err != nil {
		return nil, err
	}
	if err := decodeCard(c, identities, facts, tags, attrs, consents); err != nil {
		return nil, vernost.Internal(fmt.Errorf("customer %d: %w", c.ID, err))
	}
	return c, nil
}

// decodeCard fills c's lists from the JSON the customer-card query builds.
// Both dialects are read: SQLite writes booleans as 0/1 and times as
// "2006-01-02 15:04:05+00:00", PostgreSQL as true/false and RFC 3339.
func decodeCard(c *Customer, identities, facts, tags, attrs, consents string) error {
	var ids [][3]string
	if err := json.Unmarshal([]byte(identities), &ids); err != nil {
		return fmt.Errorf("identities: %w", err)
	}
	c.Identities = make([]Identity, len(ids))
	for i, x := range ids {
		c.Identities[i] = Identity{Kind: identity.Kind(x[0]), Value: x[1], Raw: x[2]}
	}
	var fs [][6]json.RawMessage
	if err := json.Unmarshal([]byte(facts), &fs); err != nil {
		return fmt.Errorf("facts: %w", err)
	}
	c.Facts = make([]Fact, len(fs))
	for i, x := range fs {
		f := &c.Facts[i]
		if err := jsonStrings(x[:3], &f.ID, &f.Kind, &f.Text); err != nil {
			return err
		}
		if err := jsonStrings(x[4:5], &f.CreatedBy); err != nil {
			return err
		}
		var err error
		if f.Pinned, err = jsonBool(x[3]); err != nil {
			return err
		}
		if f.CreatedAt, err = jsonTime(x[5]); err != nil {
			return err
		}
	}
	c.Tags = []string{}
	if err := json.Unmarshal([]byte(tags), &c.Tags); err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	c.Attributes = map[string]string{}
	if err := json.Unmarshal([]byte(attrs), &c.Attributes); err != nil {
		return fmt.Errorf("attributes: %w", err)
	}
	var ks [][6]json.RawMessage
	if err := json.Unmarshal([]byte(consents), &ks); err != nil {
		return fmt.Errorf("consents: %w", err)
	}
	c.Consents = []Consent{}
	for _, x := range ks {
		var k Consent
		if err := jsonStrings(x[:2], &k.Channel, &k.Purpose); err != nil {
			return err
		}
		if err := jsonStrings(x[3:5], &k.Source, &k.Actor); err != nil {
			return err
		}
		var err error
		if k.Granted, err = jsonBool(x[2]); err != nil {
			return err
		}
		if k.At, err = jsonTime(x[5]); err != nil {
			return err
		}
		// Rows come newest first per channel and purpose: keep the latest.
		if n := len(c.Consents); n > 0 && c.Consents[n-1].Channel == k.Channel && c.Consents[n-1].Purpose == k.Purpose {
			continue
		}
		c.Consents = append(c.Consents, k)
	}
	return nil
}

func jsonStrings(raw []json.RawMessage, dst ...*string) error {
	for i, r := range raw {
		if err := json.Unmarshal(r, dst[i]); err != nil {
			return err
		}
	}
	return nil
}

func jsonBool(r json.RawMessage) (bool, error) {
	switch string(r) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("not a boolean: %s", r)
}

// jsonTime reads a timestamp as either dialect writes it into JSON.
func jsonTime(r json.RawMessage) (time.Time, error) {
	var s string
	if err := json.Unmarshal(r, &s); err != nil {
		return time.Time{}, err
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("not a time: %q", s)
}

// Get returns the card for publicID (following merges) without auditing;
// callers showing it to a person use View.
func (s *Service) Get(ctx context.Context, publicID string) (*Customer, error) {
	id, err := s.resolve(ctx, nil, publicID)
	if err != nil {
		return nil, err
	}
	return s.load(ctx, nil, id)
}

// View returns the card and records in the audit log that the actor saw it:
// every access to personal data is accounted for.
func (s *Service) View(ctx context.Context, publicID string) (*Customer, error) {
	c, err := s.Get(ctx, publicID)
	if err != nil {
		return nil, err
	}
	if err := s.audit.Record(ctx, nil, "customer.view", "customer", c.PublicID, ""); err != nil {
		return nil, err
	}
	return c, nil
}

// ManagerPeriod is one stretch of a manager holding a customer.
type ManagerPeriod struct {
	Manager UserRef    `json:"manager"`
	From    time.Time  `json:"from"`
	To      *time.Time `json:"to,omitempty"`
}

// ManagerHistory lists who held the customer when, newest first.
func (s *Service) ManagerHistory(ctx context.Context, publicID string) ([]ManagerPeriod, error) {
	id, err := s.resolve(ctx, nil, publicID)
	if err != nil {
		return nil, err
	}
	rows, err := s.q.Query(ctx, nil, "manager-history", id)
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	defer rows.Close()
	var out []ManagerPeriod
	for rows.Next() {
		var p ManagerPeriod
		var to sql.NullTime
		if err := rows.Scan(&p.Manager.ID, &p.Manager.Name, &p.From, &to); err != nil {
			return nil, sqldb.MapError(err)
		}
		p.From = p.From.UTC()
		if to.Valid {
			t := to.Time.UTC()
			p.To = &t
		}
		out = append(out, p)
	}
	return out, sqldb.MapError(rows.Err())
}
