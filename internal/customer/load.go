package customer

import (
	"context"
	"database/sql"
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
	var birth, erased sql.NullTime
	var manager sql.NullInt64
	var managerPID, managerName string
	err := s.q.QueryRow(ctx, tx, "customer-by-id", id).Scan(&c.ID, &c.PublicID, &c.FamilyName, &c.GivenName,
		&c.Patronymic, &c.PreferredName, &c.AddressForm, &c.Pronunciation, &birth, &c.Persona,
		&c.PreferredChannel, &c.Language, &c.TimeZone, &c.QuietFrom, &c.QuietTo, &c.Wish, &manager,
		&managerPID, &managerName, &c.MergedInto, &erased, &c.Version, &c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		return nil, sqldb.MapError(err)
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
	return c, nil
}

// load reads the whole card: the row and everything attached to it.
func (s *Service) load(ctx context.Context, tx *sqldb.Tx, id int64) (*Customer, error) {
	c, err := s.loadRow(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := s.loadIdentities(ctx, tx, c); err != nil {
		return nil, err
	}
	c.Facts, c.Tags, c.Attributes, c.Consents = []Fact{}, []string{}, map[string]string{}, []Consent{}
	rows, err := s.q.Query(ctx, tx, "facts-of", id)
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	for rows.Next() {
		var f Fact
		if err := rows.Scan(&f.ID, &f.Kind, &f.Text, &f.Pinned, &f.CreatedBy, &f.CreatedAt); err != nil {
			rows.Close()
			return nil, sqldb.MapError(err)
		}
		f.CreatedAt = f.CreatedAt.UTC()
		c.Facts = append(c.Facts, f)
	}
	rows.Close()
	if err := s.scanStrings(ctx, tx, "tags-of", id, func(v ...string) { c.Tags = append(c.Tags, v[0]) }, 1); err != nil {
		return nil, err
	}
	if err := s.scanStrings(ctx, tx, "attributes-of", id, func(v ...string) { c.Attributes[v[0]] = v[1] }, 2); err != nil {
		return nil, err
	}
	rows, err = s.q.Query(ctx, tx, "consents-of", id)
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k Consent
		if err := rows.Scan(&k.Channel, &k.Purpose, &k.Granted, &k.Source, &k.Actor, &k.At); err != nil {
			return nil, sqldb.MapError(err)
		}
		k.At = k.At.UTC()
		// Rows come newest first per channel and purpose: keep the latest.
		if n := len(c.Consents); n > 0 && c.Consents[n-1].Channel == k.Channel && c.Consents[n-1].Purpose == k.Purpose {
			continue
		}
		c.Consents = append(c.Consents, k)
	}
	return c, sqldb.MapError(rows.Err())
}

func (s *Service) loadIdentities(ctx context.Context, tx *sqldb.Tx, c *Customer) error {
	c.Identities = []Identity{}
	return s.scanStrings(ctx, tx, "identities-of", c.ID, func(v ...string) {
		c.Identities = append(c.Identities, Identity{Kind: identity.Kind(v[0]), Value: v[1], Raw: v[2]})
	}, 3)
}

// scanStrings runs a query by customer id whose columns are all text.
func (s *Service) scanStrings(ctx context.Context, tx *sqldb.Tx, query string, id int64, add func(...string), n int) error {
	rows, err := s.q.Query(ctx, tx, query, id)
	if err != nil {
		return sqldb.MapError(err)
	}
	defer rows.Close()
	vals := make([]string, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return sqldb.MapError(err)
		}
		add(vals...)
	}
	return sqldb.MapError(rows.Err())
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
