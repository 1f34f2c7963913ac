package customer

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/identity"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/textkey"
)

// Outcome says what an upsert did.
type Outcome string

const (
	Created   Outcome = "created"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
)

// Create stores a new customer — unless one of the given identities already
// belongs to someone, in which case that customer is updated instead of a
// twin being made.
func (s *Service) Create(ctx context.Context, in Input) (*Customer, Outcome, error) {
	v, err := s.NewValidator(ctx)
	if err != nil {
		return nil, "", err
	}
	n, err := v.Check(in)
	if err != nil {
		return nil, "", err
	}
	var pid string
	var out Outcome
	err = s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		pid, out, err = s.upsert(ctx, tx, n.n, writeMode{event: EventCreated})
		return err
	})
	if err != nil {
		return nil, "", err
	}
	c, err := s.Get(ctx, pid)
	return c, out, err
}

// Update changes the customer publicID with what in gives. An identity that
// belongs to another customer is a conflict naming that customer.
func (s *Service) Update(ctx context.Context, publicID string, in Input) (*Customer, error) {
	v, err := s.NewValidator(ctx)
	if err != nil {
		return nil, err
	}
	n, err := v.Check(in)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		if id, err = s.resolve(ctx, tx, publicID); err != nil {
			return err
		}
		c, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Erased {
			return vernost.Errorf(vernost.EConflict, "customer %s was erased", c.PublicID)
		}
		if in.Version != 0 && in.Version != c.Version {
			return &vernost.Error{Code: vernost.EConflict, Field: "version",
				Message: "someone else changed this card meanwhile; reload it and make your change again"}
		}
		_, err = s.apply(ctx, tx, c, n.n, writeMode{})
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.load(ctx, nil, id)
}

// Validator checks inputs against the current personas and attribute
// definitions, loaded once: an import checks a million rows with one.
type Validator struct {
	s        *Service
	personas map[string]bool
	attrs    map[string]AttributeDef
}

// Valid is an input that passed validation, ready to store, with what it
// makes if it is new prepared in advance: a bulk load validates on one core
// while it writes on the other.
type Valid struct {
	n         *normalized
	card      *Customer // the new card, without its id
	nameKey   string
	words     string   // for the name search index
	fragments []string // per identity
}

// NewValidator loads the rules.
func (s *Service) NewValidator(ctx context.Context) (*Validator, error) {
	p, a, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	return &Validator{s: s, personas: p, attrs: a}, nil
}

// Check validates in; it is safe for concurrent use.
func (v *Validator) Check(in Input) (*Valid, error) {
	n, err := v.s.normalize(in, v.personas, v.attrs)
	if err != nil {
		return nil, err
	}
	c := newCard(n)
	out := &Valid{n: n, card: c, nameKey: nameKey(c), words: searchWords(c), fragments: make([]string, len(n.identities))}
	for i, id := range n.identities {
		out.fragments[i] = fragment(id)
		c.Identities = append(c.Identities, Identity{Kind: id.Kind, Value: id.Value, Raw: id.Raw})
	}
	return out, nil
}

// HasIdentity reports whether the input carries at least one identity.
func (v *Valid) HasIdentity() bool { return len(v.n.identities) > 0 }

// owners returns the distinct customers that own any of ids.
func (s *Service) owners(ctx context.Context, tx *sqldb.Tx, ids []identity.Identity) ([]owner, error) {
	var out []owner
	for _, id := range ids {
		var o owner
		var fam, giv, pat string
		err := s.q.QueryRow(ctx, tx, "identity-owner", string(id.Kind), id.Value).Scan(&o.id, &o.publicID, &fam, &giv, &pat)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return nil, err
		}
		o.name = joinNonEmpty(fam, giv, pat)
		o.identity = id
		if !slices.ContainsFunc(out, func(x owner) bool { return x.id == o.id }) {
			out = append(out, o)
		}
	}
	return out, nil
}

type owner struct {
	id       int64
	publicID string
	name     string
	identity identity.Identity
}

func (o owner) String() string {
	if o.name == "" {
		return o.publicID
	}
	return fmt.Sprintf("%s (%s)", o.publicID, o.name)
}

// writeMode says how an input is written: the timeline event of a new card,
// the source named on the timeline, and whether only blank fields are
// filled (imports: what a card already holds is never overwritten).
type writeMode struct {
	event    string
	source   string
	fillOnly bool
	later    *deferred // when set, events wait for the batch's end, search rows for the commit

	sourceJSON string // EventData{Source: source} encoded, for insertLater
}

// upsert stores n as a new customer or, when its identities are known,
// applies it to their owner.
// It returns the customer's public id.
func (s *Service) upsert(ctx context.Context, tx *sqldb.Tx, n *normalized, mode writeMode) (string, Outcome, error) {
	owners, err := s.owners(ctx, tx, n.identities)
	if err != nil {
		return "", "", err
	}
	switch len(owners) {
	case 0:
		pid, _, err := s.insert(ctx, tx, n, mode)
		return pid, Created, err
	case 1:
		c, err := s.load(ctx, tx, owners[0].id)
		if err != nil {
			return "", "", err
		}
		changed, err := s.apply(ctx, tx, c, n, mode)
		if err != nil || !changed {
			return c.PublicID, Unchanged, err
		}
		return c.PublicID, Updated, nil
	}
	return "", "", differentOwners(owners)
}

// differentOwners is the error for an input whose identities belong to
// several customers.
func differentOwners(owners []owner) error {
	return &vernost.Error{Code: vernost.EConflict, Field: "identities",
		Message: fmt.Sprintf("the identities belong to different customers: %s and %s; merge them first", owners[0], owners[1])}
}

// insert creates the record and everything attached to it.
func (s *Service) insert(ctx context.Context, tx *sqldb.Tx, n *normalized, mode writeMode) (string, int64, error) {
	c := newCard(n)
	managerID, _, err := s.managerID(ctx, tx, n.Manager)
	if err != nil {
		return "", 0, err
	}
	now := s.clock.Now()
	err = s.q.QueryRow(ctx, tx, "insert-customer", c.PublicID, c.FamilyName, c.GivenName, c.Patronymic,
		c.PreferredName, c.AddressForm, c.Pronunciation, nullDate(c.BirthDate), c.Persona, c.PreferredChannel,
		c.Language, c.TimeZone, c.QuietFrom, c.QuietTo, c.Wish, managerID, nameKey(c), now).Scan(&c.ID)
	if err != nil {
		return "", 0, err
	}
	if err := s.indexName(ctx, tx, c, mode); err != nil {
		return "", 0, err
	}
	if managerID.Valid {
		if _, err := s.q.Exec(ctx, tx, "open-manager-period", c.ID, managerID.Int64, now); err != nil {
			return "", 0, err
		}
	}
	if err := s.event(ctx, tx, c.ID, mode, mode.event, EventData{Source: mode.source}); err != nil {
		return "", 0, err
	}
	if _, err := s.attach(ctx, tx, c, n, true, mode); err != nil {
		return "", 0, err
	}
	return c.PublicID, c.ID, s.record(ctx, tx, "customer.create", c.PublicID, mode.source)
}

// newCard is the card n describes, before it is stored.
func newCard(n *normalized) *Customer {
	c := &Customer{PublicID: vernost.PublicID(), AddressForm: "formal", Persona: "standard", Language: "ru",
		Identities: []Identity{}, Tags: []string{}, Attributes: map[string]string{}}
	for _, f := range scalars {
		if p := *f.input(&n.Input); p != nil && (*p != "" || f.name != "address_form" && f.name != "persona" && f.name != "language") {
			*f.card(c) = *p
		}
	}
	return c
}

// insertLater is insert for a bulk load: the card v prepared, with the id
// allocated for it, and everything attached wait in mode.later for the
// batch's multi-row statements. It returns the card's public id.
func (s *Service) insertLater(ctx context.Context, id int64, v *Valid, managerID sql.NullInt64, mode writeMode) string {
	card := *v.card // v stays as it was, should the batch be redone
	c, n, d := &card, v.n, mode.later
	c.ID = id
	now := d.now
	d.customers = append(d.customers, c.ID, c.PublicID, c.FamilyName, c.GivenName, c.Patronymic,
		c.PreferredName, c.AddressForm, c.Pronunciation, nullDate(c.BirthDate), c.Persona, c.PreferredChannel,
		c.Language, c.TimeZone, c.QuietFrom, c.QuietTo, c.Wish, managerID, v.nameKey, now, now)
	if managerID.Valid {
		d.managers = append(d.managers, c.ID, managerID.Int64, now)
	}
	for i, id := range n.identities {
		d.identities = append(d.identities, c.ID, string(id.Kind), id.Value, id.Raw, v.fragments[i], now)
	}
	if len(n.Tags)+len(n.Attributes)+len(n.Facts)+len(n.Consents) > 0 {
		d.extras = append(d.extras, pendingCard{c, n})
	}
	d.events = append(d.events, c.ID, now, vernost.ActorFrom(ctx).Name, mode.event, mode.sourceJSON)
	d.search[c.ID] = indexRow{words: v.words}
	return c.PublicID
}

// apply changes the loaded card c with n, writing one timeline event per
// kind of change, and reports whether anything changed.
func (s *Service) apply(ctx context.Context, tx *sqldb.Tx, c *Customer, n *normalized, mode writeMode) (bool, error) {
	var changes []Change
	nameChanged := false
	for _, f := range scalars {
		p := *f.input(&n.Input)
		if p == nil || *p == *f.card(c) || mode.fillOnly && !f.blank(c) {
			continue
		}
		changes = append(changes, Change{Field: f.name, Old: *f.card(c), New: *p})
		*f.card(c) = *p
		switch f.name {
		case "family_name", "given_name", "patronymic", "preferred_name":
			nameChanged = true
		}
	}
	managerID, managerRef, err := s.managerID(ctx, tx, n.Manager)
	if err != nil {
		return false, err
	}
	managerChanged := n.Manager != nil && managerID.Int64 != c.managerID && !(mode.fillOnly && c.managerID != 0)
	oldManager := ""
	if c.Manager != nil {
		oldManager = c.Manager.Name
	}
	if managerChanged {
		c.managerID = managerID.Int64
	}
	now := s.clock.Now()
	if len(changes) > 0 || managerChanged {
		if err := s.writeRow(ctx, tx, c, now); err != nil {
			return false, err
		}
	}
	if nameChanged {
		if err := s.indexName(ctx, tx, c, mode); err != nil {
			return false, err
		}
	}
	if len(changes) > 0 {
		if err := s.event(ctx, tx, c.ID, mode, EventUpdated, EventData{Changes: changes, Source: mode.source}); err != nil {
			return false, err
		}
	}
	if managerChanged {
		if err := s.switchManager(ctx, tx, c.ID, c.managerID, now); err != nil {
			return false, err
		}
		if err := s.event(ctx, tx, c.ID, mode, EventManager, EventData{Changes: []Change{{Field: "manager", Old: oldManager, New: managerRef.Name}}}); err != nil {
			return false, err
		}
	}
	attached, err := s.attach(ctx, tx, c, n, false, mode)
	if err != nil {
		return false, err
	}
	changed := len(changes) > 0 || managerChanged || attached
	if changed {
		fields := make([]string, len(changes))
		for i, ch := range changes {
			fields[i] = ch.Field
		}
		if err := s.record(ctx, tx, "customer.update", c.PublicID, strings.Join(fields, ",")); err != nil {
			return false, err
		}
	}
	return changed, nil
}

// attach adds identities, tags, attributes, facts and consents from n to c,
// skipping what c already has, so that repeating an input changes nothing.
// A new card (isNew) needs no owner checks — upsert found no owner — and no
// per-identity events, since its "created" event covers them.
func (s *Service) attach(ctx context.Context, tx *sqldb.Tx, c *Customer, n *normalized, isNew bool, mode writeMode) (bool, error) {
	changed := false
	now := s.clock.Now()
	for _, id := range n.identities {
		if slices.ContainsFunc(c.Identities, func(x Identity) bool { return x.Kind == id.Kind && x.Value == id.Value }) {
			continue
		}
		if !isNew {
			owners, err := s.owners(ctx, tx, []identity.Identity{id})
			if err != nil {
				return false, err
			}
			if len(owners) > 0 && owners[0].id != c.ID {
				return false, &vernost.Error{Code: vernost.EConflict, Field: string(id.Kind),
					Message: fmt.Sprintf("%s %s already belongs to customer %s", id.Kind, id.Value, owners[0])}
			}
		}
		if _, err := s.q.Exec(ctx, tx, "insert-identity", c.ID, string(id.Kind), id.Value, id.Raw, fragment(id), now); err != nil {
			if sqldb.IsConflict(err) {
				return false, &vernost.Error{Code: vernost.EConflict, Field: string(id.Kind),
					Message: fmt.Sprintf("%s %s already belongs to another customer", id.Kind, id.Value), Err: err}
			}
			return false, err
		}
		ref := Identity{Kind: id.Kind, Value: id.Value, Raw: id.Raw}
		c.Identities = append(c.Identities, ref)
		changed = true
		if isNew {
			continue
		}
		if err := s.event(ctx, tx, c.ID, mode, EventIdentityAdded, EventData{Identity: &ref}); err != nil {
			return false, err
		}
	}
	var added []string
	for _, t := range n.Tags {
		if slices.Contains(c.Tags, t) {
			continue
		}
		if _, err := s.q.Exec(ctx, tx, "insert-tag", c.ID, t); err != nil {
			return false, err
		}
		c.Tags = append(c.Tags, t)
		added = append(added, t)
	}
	if len(added) > 0 {
		if err := s.event(ctx, tx, c.ID, mode, EventTags, EventData{Text: strings.Join(added, ", ")}); err != nil {
			return false, err
		}
		changed = true
	}
	var attrChanges []Change
	for _, k := range sortedKeys(n.Attributes) {
		v, old := n.Attributes[k], c.Attributes[k]
		if v == old {
			continue
		}
		var err error
		if v == "" {
			_, err = s.q.Exec(ctx, tx, "delete-attribute", c.ID, k)
		} else {
			_, err = s.q.Exec(ctx, tx, "set-attribute", c.ID, k, v)
		}
		if err != nil {
			return false, err
		}
		attrChanges = append(attrChanges, Change{Field: "attributes." + k, Old: old, New: v})
	}
	if len(attrChanges) > 0 {
		if err := s.event(ctx, tx, c.ID, mode, EventUpdated, EventData{Changes: attrChanges}); err != nil {
			return false, err
		}
		changed = true
	}
	for _, f := range n.Facts {
		if slices.ContainsFunc(c.Facts, func(x Fact) bool { return x.Kind == f.Kind && x.Text == f.Text }) {
			continue
		}
		fact, err := s.insertFact(ctx, tx, c.ID, f, mode)
		if err != nil {
			return false, err
		}
		c.Facts = append(c.Facts, fact)
		changed = true
	}
	for _, k := range n.Consents {
		cur := slices.IndexFunc(c.Consents, func(x Consent) bool { return x.Channel == k.Channel && x.Purpose == k.Purpose })
		if cur >= 0 && c.Consents[cur].Granted == k.Granted {
			continue
		}
		if err := s.insertConsent(ctx, tx, c.ID, k, mode); err != nil {
			return false, err
		}
		changed = true
	}
	return changed, nil
}

// managerID resolves a manager given as a user's public id. An absent
// input yields an invalid NullInt64 and changes nothing.
func (s *Service) managerID(ctx context.Context, tx *sqldb.Tx, pid *string) (sql.NullInt64, UserRef, error) {
	if pid == nil || *pid == "" {
		return sql.NullInt64{}, UserRef{}, nil
	}
	var id int64
	var name string
	err := s.q.QueryRow(ctx, tx, "user-by-public-id", *pid).Scan(&id, &name)
	if err == sql.ErrNoRows {
		return sql.NullInt64{}, UserRef{}, vernost.Invalid("manager", "no active user %s", *pid)
	}
	if err != nil {
		return sql.NullInt64{}, UserRef{}, err
	}
	return sql.NullInt64{Int64: id, Valid: true}, UserRef{ID: *pid, Name: name}, nil
}

// indexName updates the name search index now, or at the load's commit.
func (s *Service) indexName(ctx context.Context, tx *sqldb.Tx, c *Customer, mode writeMode) error {
	if mode.later == nil {
		return s.setSearchWords(ctx, tx, c)
	}
	mode.later.search[c.ID] = indexRow{words: searchWords(c), replace: true}
	return nil
}

// event writes a timeline event now, or at the batch's end.
func (s *Service) event(ctx context.Context, tx *sqldb.Tx, customerID int64, mode writeMode, kind string, data EventData) error {
	if mode.later == nil {
		return s.addEvent(ctx, tx, customerID, kind, data)
	}
	mode.later.events = append(mode.later.events, customerID, mode.later.now, vernost.ActorFrom(ctx).Name, kind, mustJSON(data))
	return nil
}

// mustJSON encodes event data, which is plain values and always encodes.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("customer: event data: " + err.Error())
	}
	return string(b)
}

func (s *Service) setSearchWords(ctx context.Context, tx *sqldb.Tx, c *Customer) error {
	words := searchWords(c)
	if words == "" {
		_, err := s.q.Exec(ctx, tx, "delete-search-words", c.ID)
		return err
	}
	_, err := s.q.Exec(ctx, tx, "set-search-words", c.ID, words)
	return err
}

// searchWords is what the name index holds for c: folded name words and
// their transliterations, space-separated.
func searchWords(c *Customer) string {
	return strings.Join(textkey.IndexWords(c.FamilyName, c.GivenName, c.Patronymic, c.PreferredName), " ")
}

// nameKey is what duplicate detection compares: the folded family and given
// names. The patronymic is left out because one of two twins often lacks it.
func nameKey(c *Customer) string { return textkey.Fold(joinNonEmpty(c.FamilyName, c.GivenName)) }

// fragment is the part of an identity that survives typos elsewhere: the
// last seven digits of a phone, the local part of an email. Records sharing
// one, with similar names, are likely duplicates.
func fragment(id identity.Identity) string {
	switch id.Kind {
	case identity.Phone, identity.WhatsApp:
		number, _, _ := strings.Cut(id.Value, ";") // drop an extension
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, number)
		if len(digits) >= 7 {
			return "p:" + digits[len(digits)-7:]
		}
	case identity.Email:
		if at := strings.LastIndexByte(id.Value, '@'); at > 2 {
			return "e:" + id.Value[:at]
		}
	}
	return ""
}

func nullDate(d string) any {
	if d == "" {
		return nil
	}
	return d
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
