// Package customer is the shared customer record: one card per person that
// every operator sees, with the person's names and form of address, their
// identities (phones, emails, messengers, ids in other systems), persona,
// consents, facts and wishes, manager, tags and attributes, and a timeline of
// everything that happened to the record. It also finds and merges
// duplicates and searches by name or identity.
package customer

import (
	"context"
	"embed"
	"fmt"
	"time"

	"github.com/vernost/vernost/internal/identity"
	"github.com/vernost/vernost/internal/sqldb"

	"github.com/vernost/vernost"
)

// Customer is the card.
type Customer struct {
	ID               int64             `json:"-"`
	PublicID         string            `json:"id"`
	FamilyName       string            `json:"family_name"`
	GivenName        string            `json:"given_name"`
	Patronymic       string            `json:"patronymic"`
	PreferredName    string            `json:"preferred_name"`
	AddressForm      string            `json:"address_form"` // formal ("вы") or informal ("ты")
	Pronunciation    string            `json:"pronunciation"`
	BirthDate        string            `json:"birth_date,omitempty"` // YYYY-MM-DD
	Persona          string            `json:"persona"`
	PreferredChannel string            `json:"preferred_channel"`
	Language         string            `json:"language"`
	TimeZone         string            `json:"time_zone"`
	QuietFrom        string            `json:"quiet_from"` // HH:MM in the customer's time zone
	QuietTo          string            `json:"quiet_to"`
	Wish             string            `json:"wish"`
	Manager          *UserRef          `json:"manager,omitempty"`
	Identities       []Identity        `json:"identities"`
	Facts            []Fact            `json:"facts"`
	Tags             []string          `json:"tags"`
	Attributes       map[string]string `json:"attributes"`
	Consents         []Consent         `json:"consents"`
	MergedInto       string            `json:"merged_into,omitempty"` // set only on an absorbed record
	Erased           bool              `json:"erased,omitempty"`
	Version          int               `json:"version"`
	CreatedAt        time.Time         `json:"created_at"`
	UpdatedAt        time.Time         `json:"updated_at"`

	managerID int64
}

// FullName is the name as written in Russian documents: family, given,
// patronymic.
func (c *Customer) FullName() string { return joinNonEmpty(c.FamilyName, c.GivenName, c.Patronymic) }

// Address is how an operator should address the customer: the preferred
// form if one was asked for, else given name and patronymic, else the name.
func (c *Customer) Address() string {
	switch {
	case c.PreferredName != "":
		return c.PreferredName
	case c.GivenName != "" && c.Patronymic != "":
		return c.GivenName + " " + c.Patronymic
	case c.GivenName != "":
		return c.GivenName
	}
	return c.FullName()
}

// UserRef names a user (a manager) without exposing the user record.
type UserRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Identity is one way of reaching or recognising the customer.
type Identity struct {
	Kind  identity.Kind `json:"kind"`
	Value string        `json:"value"` // normalised: the lookup key
	Raw   string        `json:"raw"`   // as it was typed
}

// Fact kinds suggested in forms; any short lower-case word is accepted.
var FactKinds = []string{"hobby", "family", "favourite", "promise", "preference", "other"}

// Fact is something personal worth remembering: a hobby, the children's
// names, a favourite brand, a promise we made.
type Fact struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Text      string    `json:"text"`
	Pinned    bool      `json:"pinned"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Consent is the latest decision for one channel and purpose, with its
// source and time, so that consent can be proven.
type Consent struct {
	Channel string    `json:"channel"`
	Purpose string    `json:"purpose"` // service or marketing
	Granted bool      `json:"granted"`
	Source  string    `json:"source"`
	Actor   string    `json:"actor"`
	At      time.Time `json:"at"`
}

// Persona is a type of customer with guidance for operators.
type Persona struct {
	Key          string `json:"key"`
	NameRU       string `json:"name_ru"`
	NameEN       string `json:"name_en"`
	GuidanceDo   string `json:"guidance_do"`
	GuidanceDont string `json:"guidance_dont"`
}

// Channels a customer may prefer or consent to.
var Channels = []string{"phone", "email", "sms", "telegram", "whatsapp", "vk", "chat", "in_person", "post"}

// Auditor records who did what; the audit log implements it. Writes pass
// their transaction so that a change and its audit row commit together.
type Auditor interface {
	Record(ctx context.Context, tx *sqldb.Tx, action, objectType, objectID, detail string) error
}

// Config tunes the service.
type Config struct {
	// DefaultRegion is the phone region assumed for numbers typed without a
	// country code ("RU" if empty).
	DefaultRegion string
}

// Service is the customer record's storage and rules.
type Service struct {
	db    *sqldb.DB
	q     *sqldb.Queries
	clock vernost.Clock
	audit Auditor
	idopt identity.Options

	matching duplicatesMatching
}

//go:embed queries*.sql
var queryFiles embed.FS

// New prepares the service's queries on db.
func New(ctx context.Context, db *sqldb.DB, clock vernost.Clock, audit Auditor, cfg Config) (*Service, error) {
	q, err := sqldb.LoadQueries(ctx, db, queryFiles)
	if err != nil {
		return nil, err
	}
	s := &Service{db: db, q: q, clock: clock, audit: audit, idopt: identity.Options{DefaultRegion: cfg.DefaultRegion}}
	if err := s.restoreSearchIndex(ctx); err != nil {
		q.Close()
		return nil, fmt.Errorf("rebuild the name search index: %w", err)
	}
	return s, nil
}

// Close releases prepared statements.
func (s *Service) Close() {
	s.matching.mu.Lock() // a matching pass running in the background ends first
	defer s.matching.mu.Unlock()
	s.q.Close()
}

func joinNonEmpty(parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += " "
		}
		out += p
	}
	return out
}
