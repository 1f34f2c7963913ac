package customer

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/identity"
	"github.com/vernost/vernost/internal/textkey"
)

// Input is what a form, an API call or an import row says about a customer.
// A nil field is "not given": an update changes only what is given, and an
// empty string clears a field. Identities, tags, facts and consents are
// added to what the customer already has.
type Input struct {
	FamilyName       *string           `json:"family_name,omitempty"`
	GivenName        *string           `json:"given_name,omitempty"`
	Patronymic       *string           `json:"patronymic,omitempty"`
	PreferredName    *string           `json:"preferred_name,omitempty"`
	AddressForm      *string           `json:"address_form,omitempty"`
	Pronunciation    *string           `json:"pronunciation,omitempty"`
	BirthDate        *string           `json:"birth_date,omitempty"`
	Persona          *string           `json:"persona,omitempty"`
	PreferredChannel *string           `json:"preferred_channel,omitempty"`
	Language         *string           `json:"language,omitempty"`
	TimeZone         *string           `json:"time_zone,omitempty"`
	QuietFrom        *string           `json:"quiet_from,omitempty"`
	QuietTo          *string           `json:"quiet_to,omitempty"`
	Wish             *string           `json:"wish,omitempty"`
	Manager          *string           `json:"manager,omitempty"` // a user's public id; "" removes the manager
	Identities       []IdentityInput   `json:"identities,omitempty"`
	Tags             []string          `json:"tags,omitempty"`
	Attributes       map[string]string `json:"attributes,omitempty"` // "" removes an attribute
	Facts            []FactInput       `json:"facts,omitempty"`
	Consents         []ConsentInput    `json:"consents,omitempty"`
	// Version, when non-zero on an update, must equal the stored version:
	// two operators editing the same card do not silently overwrite each other.
	Version int `json:"version,omitempty"`
}

// IdentityInput is an identity as typed.
type IdentityInput struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// FactInput is a new fact.
type FactInput struct {
	Kind   string `json:"kind"`
	Text   string `json:"text"`
	Pinned bool   `json:"pinned,omitempty"`
}

// ConsentInput records a consent decision.
type ConsentInput struct {
	Channel string `json:"channel"`
	Purpose string `json:"purpose"`
	Granted bool   `json:"granted"`
	Source  string `json:"source"` // where it was given: "call", "web form", "paper, branch 3"
}

// scalar is one plain text field of the card: its name in forms, errors and
// the timeline, where it lives on a Customer, and where on an Input. The
// table lets diff, apply and merge treat every field alike.
type scalar struct {
	name  string
	card  func(*Customer) *string
	input func(*Input) **string
}

var scalars = []scalar{
	{"family_name", func(c *Customer) *string { return &c.FamilyName }, func(in *Input) **string { return &in.FamilyName }},
	{"given_name", func(c *Customer) *string { return &c.GivenName }, func(in *Input) **string { return &in.GivenName }},
	{"patronymic", func(c *Customer) *string { return &c.Patronymic }, func(in *Input) **string { return &in.Patronymic }},
	{"preferred_name", func(c *Customer) *string { return &c.PreferredName }, func(in *Input) **string { return &in.PreferredName }},
	{"address_form", func(c *Customer) *string { return &c.AddressForm }, func(in *Input) **string { return &in.AddressForm }},
	{"pronunciation", func(c *Customer) *string { return &c.Pronunciation }, func(in *Input) **string { return &in.Pronunciation }},
	{"birth_date", func(c *Customer) *string { return &c.BirthDate }, func(in *Input) **string { return &in.BirthDate }},
	{"persona", func(c *Customer) *string { return &c.Persona }, func(in *Input) **string { return &in.Persona }},
	{"preferred_channel", func(c *Customer) *string { return &c.PreferredChannel }, func(in *Input) **string { return &in.PreferredChannel }},
	{"language", func(c *Customer) *string { return &c.Language }, func(in *Input) **string { return &in.Language }},
	{"time_zone", func(c *Customer) *string { return &c.TimeZone }, func(in *Input) **string { return &in.TimeZone }},
	{"quiet_from", func(c *Customer) *string { return &c.QuietFrom }, func(in *Input) **string { return &in.QuietFrom }},
	{"quiet_to", func(c *Customer) *string { return &c.QuietTo }, func(in *Input) **string { return &in.QuietTo }},
	{"wish", func(c *Customer) *string { return &c.Wish }, func(in *Input) **string { return &in.Wish }},
}

// blank reports whether c's field holds nothing the customer or an operator
// chose: empty, or the default a new card starts with.
func (f scalar) blank(c *Customer) bool {
	v := *f.card(c)
	switch f.name {
	case "address_form":
		return v == "formal"
	case "persona":
		return v == "standard"
	case "language":
		return v == "ru"
	}
	return v == ""
}

// ScalarFields lists the plain fields by name (for merge winners and forms).
func ScalarFields() []string {
	names := make([]string, len(scalars))
	for i, f := range scalars {
		names[i] = f.name
	}
	return names
}

// Length limits keep one card readable and a hostile import bounded.
const (
	maxName  = 100
	maxShort = 200
	maxText  = 2000
)

var (
	hhmm     = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	langCode = regexp.MustCompile(`^[a-z]{2,3}$`)
	tagChars = regexp.MustCompile(`^[\p{L}\p{N}_\-.: ]+$`)
)

// normalized is an Input after validation: trimmed, canonical, complete.
type normalized struct {
	Input
	identities []identity.Identity
}

// normalize validates in and returns its canonical form, or every field
// error at once. personas and attrs are the allowed persona keys and the
// attribute definitions.
func (s *Service) normalize(in Input, personas map[string]bool, attrs map[string]AttributeDef) (*normalized, error) {
	var fe vernost.FieldErrors
	n := &normalized{Input: in}
	for _, f := range scalars {
		p := *f.input(&n.Input)
		if p == nil {
			continue
		}
		v := strings.TrimSpace(*p)
		if !utf8.ValidString(v) {
			fe.Add(f.name, "is not valid UTF-8 text")
			continue
		}
		limit := maxShort
		switch f.name {
		case "family_name", "given_name", "patronymic", "preferred_name":
			limit = maxName
			v = strings.Join(strings.Fields(v), " ")
		case "wish":
			limit = maxText
		}
		if utf8.RuneCountInString(v) > limit {
			fe.Add(f.name, "is longer than %d characters", limit)
			continue
		}
		var err error
		if v, err = canonical(f.name, v, personas); err != nil {
			fe.AddErr(f.name, err)
			continue
		}
		*f.input(&n.Input) = &v
	}
	if n.Manager != nil {
		m := strings.TrimSpace(*n.Manager)
		n.Manager = &m
	}
	for i, id := range in.Identities {
		field := fmt.Sprintf("identities[%d]", i)
		kind, err := identity.ParseKind(id.Kind)
		if err != nil {
			fe.AddErr(field+".kind", err)
			continue
		}
		norm, err := identity.Normalize(kind, id.Value, s.idopt)
		if err != nil {
			fe.AddErr(field+".value", err)
			continue
		}
		if !slices.ContainsFunc(n.identities, func(x identity.Identity) bool { return x.Kind == norm.Kind && x.Value == norm.Value }) {
			n.identities = append(n.identities, norm)
		}
	}
	// The slices are rebuilt, never written in place: they are the caller's.
	n.Tags = nil
	n.Facts = make([]FactInput, len(in.Facts))
	n.Consents = make([]ConsentInput, len(in.Consents))
	for i, t := range in.Tags {
		t = strings.Join(strings.Fields(textkey.Fold(t)), " ")
		switch {
		case t == "":
			continue
		case utf8.RuneCountInString(t) > 50 || !tagChars.MatchString(t):
			fe.Add(fmt.Sprintf("tags[%d]", i), "must be up to 50 letters, digits, spaces or - _ . :")
			continue
		}
		if !slices.Contains(n.Tags, t) {
			n.Tags = append(n.Tags, t)
		}
	}
	if len(in.Attributes) > 0 {
		n.Attributes = map[string]string{}
		for k, v := range in.Attributes {
			field := "attributes." + k
			def, ok := attrs[k]
			if !ok {
				fe.Add(field, "no such attribute; an administrator defines attributes first")
				continue
			}
			cv, err := def.Check(strings.TrimSpace(v))
			if err != nil {
				fe.AddErr(field, err)
				continue
			}
			n.Attributes[k] = cv
		}
	}
	for i, f := range in.Facts {
		field := fmt.Sprintf("facts[%d]", i)
		nf, err := checkFact(f)
		if err != nil {
			fe.AddErr(field, err)
			continue
		}
		n.Facts[i] = nf
	}
	for i, c := range in.Consents {
		field := fmt.Sprintf("consents[%d]", i)
		nc, err := checkConsent(c)
		if err != nil {
			fe.AddErr(field, err)
			continue
		}
		n.Consents[i] = nc
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return n, nil
}

// canonical checks one field's value and returns its stored form.
func canonical(name, v string, personas map[string]bool) (string, error) {
	switch name {
	case "address_form":
		switch strings.ToLower(v) {
		case "", "formal", "вы":
			return "formal", nil
		case "informal", "ты":
			return "informal", nil
		}
		return "", vernost.Invalid(name, "must be formal or informal")
	case "birth_date":
		if v == "" {
			return "", nil
		}
		return parseBirthDate(v)
	case "persona":
		if v == "" {
			return "standard", nil
		}
		if !personas[v] {
			return "", vernost.Invalid(name, "unknown persona %q", v)
		}
	case "preferred_channel":
		if v != "" && !slices.Contains(Channels, v) {
			return "", vernost.Invalid(name, "unknown channel %q (want one of %s)", v, strings.Join(Channels, ", "))
		}
	case "language":
		v = strings.ToLower(v)
		if v != "" && !langCode.MatchString(v) {
			return "", vernost.Invalid(name, "must be a two- or three-letter language code such as ru or en")
		}
	case "time_zone":
		if v != "" {
			if _, err := time.LoadLocation(v); err != nil || v == "Local" {
				return "", vernost.Invalid(name, "unknown time zone %q (use a name such as Europe/Moscow)", v)
			}
		}
	case "quiet_from", "quiet_to":
		if v != "" && !hhmm.MatchString(v) {
			return "", vernost.Invalid(name, "must be a time of day as HH:MM")
		}
	}
	return v, nil
}

// parseBirthDate accepts ISO dates and the Russian DD.MM.YYYY that older
// systems export, and rejects impossible ones.
func parseBirthDate(v string) (string, error) {
	var t time.Time
	var err error
	for _, layout := range []string{"2006-01-02", "02.01.2006", "2.1.2006"} {
		if t, err = time.Parse(layout, v); err == nil {
			break
		}
	}
	if err != nil {
		return "", vernost.Invalid("birth_date", "must be a date as YYYY-MM-DD or DD.MM.YYYY")
	}
	if t.Year() < 1900 || t.After(time.Now()) {
		return "", vernost.Invalid("birth_date", "must be between 1900 and today")
	}
	return t.Format("2006-01-02"), nil
}

func checkFact(f FactInput) (FactInput, error) {
	f.Kind = strings.ToLower(strings.TrimSpace(f.Kind))
	f.Text = strings.TrimSpace(f.Text)
	if f.Kind == "" {
		f.Kind = "other"
	}
	var fe vernost.FieldErrors
	if utf8.RuneCountInString(f.Kind) > 30 || !langCode.MatchString(strings.ReplaceAll(f.Kind, "_", "")) && !slices.Contains(FactKinds, f.Kind) {
		fe.Add("kind", "must be a short word such as %s", strings.Join(FactKinds, ", "))
	}
	switch {
	case f.Text == "":
		fe.Add("text", "is required")
	case utf8.RuneCountInString(f.Text) > maxText || !utf8.ValidString(f.Text):
		fe.Add("text", "must be valid text of at most %d characters", maxText)
	}
	if len(fe) > 0 {
		return f, fe[0]
	}
	return f, nil
}

func checkConsent(c ConsentInput) (ConsentInput, error) {
	c.Channel = strings.ToLower(strings.TrimSpace(c.Channel))
	c.Purpose = strings.ToLower(strings.TrimSpace(c.Purpose))
	c.Source = strings.TrimSpace(c.Source)
	switch {
	case !slices.Contains(Channels, c.Channel):
		return c, vernost.Invalid("channel", "unknown channel %q", c.Channel)
	case c.Purpose != "service" && c.Purpose != "marketing":
		return c, vernost.Invalid("purpose", "must be service or marketing")
	case c.Source == "":
		return c, vernost.Invalid("source", "is required: say where the consent was given, so it can be proven")
	case utf8.RuneCountInString(c.Source) > maxShort:
		return c, vernost.Invalid("source", "is longer than %d characters", maxShort)
	}
	return c, nil
}
