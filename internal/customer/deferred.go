package customer

import (
	"context"

	"github.com/vernost/vernost/internal/sqldb"
)

// deferred collects what a batch's new cards consist of, so that each kind
// is written with multi-row statements at the batch's end: a statement per
// row is what a load would otherwise spend its time on.
type deferred struct {
	customers  []any // customerColumns per card
	managers   []any // managerColumns per card with a manager
	identities []any // identityColumns per identity
	extras     []pendingCard
	events     []any              // eventColumns per event
	search     map[int64]indexRow // the name index's rows by customer id: the Loader writes them
	now        any                // the batch's time, as a statement argument (sqldb.DB.TimeArg)
}

// indexRow is a card's row in the name search index.
type indexRow struct {
	words   string
	replace bool // the card may have one already
}

// pendingCard is a new card whose tags, attributes and facts are written
// after the card itself, by the ordinary statements: files rarely carry
// them.
type pendingCard struct {
	c *Customer
	n *normalized
}

var (
	customerInsert = &sqldb.Insert{Table: "customers", Rows: 100, Columns: []string{
		"id", "public_id", "family_name", "given_name", "patronymic", "preferred_name", "address_form",
		"pronunciation", "birth_date", "persona", "preferred_channel", "language", "time_zone",
		"quiet_from", "quiet_to", "wish", "manager_id", "name_key", "created_at", "updated_at"},
		Blank: []string{"family_name", "given_name", "patronymic", "preferred_name", "pronunciation",
			"preferred_channel", "time_zone", "quiet_from", "quiet_to", "wish", "name_key"}}
	managerInsert  = &sqldb.Insert{Table: "customer_managers", Rows: 200, Columns: []string{"customer_id", "user_id", "from_at"}}
	identityInsert = &sqldb.Insert{Table: "customer_identities", Rows: 200, Columns: []string{
		"customer_id", "kind", "value", "raw", "fragment", "created_at"}, Blank: []string{"raw", "fragment"}}
	eventInsert = &sqldb.Insert{Table: "customer_events", Rows: 200, Columns: []string{
		"customer_id", "at", "actor_name", "kind", "data"}}
)

// reset empties d for the next batch, made at now, keeping its slices'
// capacity.
func (d *deferred) reset(now any) *deferred {
	d.now = now
	d.customers, d.managers, d.identities = d.customers[:0], d.managers[:0], d.identities[:0]
	d.extras, d.events = d.extras[:0], d.events[:0]
	clear(d.search)
	return d
}

// flush writes everything pending but the search rows: cards before what
// refers to them.
func (d *deferred) flush(ctx context.Context, s *Service, tx *sqldb.Tx) error {
	for _, w := range []struct {
		ins    *sqldb.Insert
		values *[]any
	}{{customerInsert, &d.customers}, {managerInsert, &d.managers}, {identityInsert, &d.identities}} {
		if err := tx.InsertRows(ctx, w.ins, *w.values); err != nil {
			return err
		}
		*w.values = (*w.values)[:0]
	}
	mode := writeMode{later: d} // extras' events join the pending ones
	for _, p := range d.extras {
		if _, err := s.attach(ctx, tx, p.c, p.n, true, mode); err != nil {
			return err
		}
	}
	d.extras = d.extras[:0]
	if err := tx.InsertRows(ctx, eventInsert, d.events); err != nil {
		return err
	}
	d.events = d.events[:0]
	return nil
}
