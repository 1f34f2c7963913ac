package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/customer"
	ident "github.com/vernost/vernost/internal/identity"
)

// newIdentityRows is how many empty identity rows a form offers; script
// adds more on request.
const newIdentityRows = 2

// customerForm is the create and edit form, filled from a card or from
// what was posted, with each field's error beside it.
type customerForm struct {
	ID          string // "" for a new customer
	Version     int
	Name        string            // the card's name, for the heading of an edit
	Values      map[string]string // scalar field → value
	Manager     string            // user public id
	Identities  []identityRow     // new identities to add
	Current     []shownIdentity   // an edited card's identities (removed on the card)
	Tags        string            // new tags, comma-separated
	CurrentTags []string
	Attributes  []attributeField
	Errors      map[string]string // field → message
	Problem     *vernost.Error    // an error of the whole form (a stale version)
	Invalid     bool              // some input has an error beside it

	Personas  []personaView
	Managers  []auth.User
	Channels  []string
	Kinds     []ident.Kind
	TimeZones []string
}

type identityRow struct {
	Kind, Value, Error string
}

// attributeField is one administrator-defined field, with an input to
// match its type.
type attributeField struct {
	Key, Label, Type, Value, Error string
	Choices                        []string
}

// suggestedTimeZones fill the form's suggestion list; any IANA zone is accepted.
var suggestedTimeZones = []string{
	"Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
	"Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok",
	"Asia/Magadan", "Asia/Kamchatka", "Europe/Minsk", "Asia/Almaty", "Europe/London", "UTC",
}

func (s *Server) newCustomerPage(w http.ResponseWriter, r *http.Request) error {
	f := customerForm{Values: map[string]string{"address_form": "formal", "persona": "standard", "language": "ru"}}
	return s.renderCustomerForm(w, r, http.StatusOK, f)
}

func (s *Server) editCustomerPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.customers.View(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if c.Erased {
		return vernost.Errorf(vernost.EConflict, "customer %s was erased", c.PublicID)
	}
	f := customerForm{ID: c.PublicID, Version: c.Version, Values: cardValues(c)}
	if c.Manager != nil {
		f.Manager = c.Manager.ID
	}
	defs, err := s.customers.AttributeDefs(r.Context())
	if err != nil {
		return err
	}
	f.Attributes = attributeFields(defs, s.lang(r), c.Attributes)
	return s.renderCustomerForm(w, r, http.StatusOK, s.withCard(f, c))
}

// withCard adds what an edit form shows of the stored card but does not
// change: its name, identities and tags.
func (s *Server) withCard(f customerForm, c *customer.Customer) customerForm {
	f.Name = c.FullName()
	f.CurrentTags = c.Tags
	for _, id := range c.Identities {
		f.Current = append(f.Current, showIdentity(id))
	}
	return f
}

func (s *Server) renderCustomerForm(w http.ResponseWriter, r *http.Request, status int, f customerForm) error {
	ctx := r.Context()
	var err error
	if f.Personas, err = s.personaViews(ctx, s.lang(r)); err != nil {
		return err
	}
	if f.Managers, err = s.activeUsers(ctx); err != nil {
		return err
	}
	if f.Attributes == nil {
		defs, err := s.customers.AttributeDefs(ctx)
		if err != nil {
			return err
		}
		f.Attributes = attributeFields(defs, s.lang(r), nil)
	}
	for len(f.Identities) < newIdentityRows {
		f.Identities = append(f.Identities, identityRow{Kind: string(ident.Phone)})
	}
	f.Channels, f.Kinds, f.TimeZones = customer.Channels, ident.Kinds, suggestedTimeZones
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	return s.render(w, r, status, "customer_form", f)
}

func (s *Server) createCustomer(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	defs, err := s.customers.AttributeDefs(ctx)
	if err != nil {
		return err
	}
	in, f, err := readCustomerForm(r, defs, s.lang(r), true)
	if err != nil {
		return err
	}
	if len(in.Identities) == 0 && isBlank(in.FamilyName) && isBlank(in.GivenName) && isBlank(in.PreferredName) {
		// A card nobody can be found by is of no use; say so, along with
		// whatever else is wrong with the form.
		fe := vernost.FieldErrors{vernost.Invalid("family_name", "enter a name or at least one phone, email or other contact")}
		if v, verr := s.customers.NewValidator(ctx); verr == nil {
			if _, cerr := v.Check(in); cerr != nil {
				var more vernost.FieldErrors
				if errors.As(cerr, &more) {
					fe = append(fe, more...)
				}
			}
		}
		return s.customerFormError(w, r, fe.Err(), f)
	}
	c, outcome, err := s.customers.Create(ctx, in)
	if err != nil {
		return s.customerFormError(w, r, err, f)
	}
	notice := "customer_created"
	if outcome != customer.Created {
		notice = "customer_matched" // an identity was known: that card was updated
	}
	return redirect(w, r, customerURL(c.PublicID, notice))
}

func (s *Server) updateCustomer(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	defs, err := s.customers.AttributeDefs(ctx)
	if err != nil {
		return err
	}
	in, f, err := readCustomerForm(r, defs, s.lang(r), false)
	if err != nil {
		return err
	}
	f.ID = r.PathValue("id")
	c, err := s.customers.Update(ctx, f.ID, in)
	if err != nil {
		if stored, gerr := s.customers.Get(ctx, f.ID); gerr == nil {
			f = s.withCard(f, stored)
		}
		return s.customerFormError(w, r, err, f)
	}
	return redirect(w, r, customerURL(c.PublicID, "customer_saved"))
}

func isBlank(p *string) bool { return p == nil || strings.TrimSpace(*p) == "" }

// customerFormError shows the form again with every field's message beside
// it when the person can fix the input, and passes other errors on.
func (s *Server) customerFormError(w http.ResponseWriter, r *http.Request, err error, f customerForm) error {
	code := vernost.ErrorCode(err)
	if code != vernost.EInvalid && code != vernost.EConflict {
		return err
	}
	f.Errors = map[string]string{}
	var fe vernost.FieldErrors
	if !errors.As(err, &fe) {
		fe = vernost.FieldErrors{asError(err)}
	}
	for _, e := range fe {
		if f.place(e) {
			f.Invalid = true
		} else {
			f.Problem = e
		}
	}
	return s.renderCustomerForm(w, r, statusOf(code), f)
}

// place puts an error beside the input it is about, reporting false when
// no input fits (it is then shown above the form).
func (f *customerForm) place(e *vernost.Error) bool {
	field := e.Field
	if field == "" || field == "version" {
		return false
	}
	// identities[2].value → the third identity row.
	if rest, ok := strings.CutPrefix(field, "identities["); ok {
		n, _, _ := strings.Cut(rest, "]")
		if i, err := strconv.Atoi(n); err == nil && i >= 0 && i < len(f.Identities) {
			f.Identities[i].Error = e.Message
			return true
		}
	}
	// A conflict names the identity's kind: the row holding that kind.
	if _, err := ident.ParseKind(field); err == nil {
		for i := range f.Identities {
			if f.Identities[i].Kind == field && f.Identities[i].Value != "" && f.Identities[i].Error == "" {
				f.Identities[i].Error = e.Message
				return true
			}
		}
		f.Errors["identities"] = e.Message
		return true
	}
	if strings.HasPrefix(field, "tags[") {
		field = "tags"
	}
	if key, ok := strings.CutPrefix(field, "attributes."); ok {
		for i := range f.Attributes {
			if f.Attributes[i].Key == key {
				f.Attributes[i].Error = e.Message
				return true
			}
		}
		return false
	}
	if _, known := f.Values[field]; known || field == "manager" || field == "tags" || field == "identities" {
		if f.Errors[field] == "" {
			f.Errors[field] = e.Message
		}
		return true
	}
	return false
}

// readCustomerForm turns the posted form into an Input and into the form
// to show again should the input be refused. Every field the form carries
// is given (an edit clears what was emptied); a new card leaves out empty
// attributes and an empty manager. Only filled identity rows count, in
// order, so that "identities[i]" errors find their row.
func readCustomerForm(r *http.Request, defs []customer.AttributeDef, lang string, isNew bool) (customer.Input, customerForm, error) {
	f := customerForm{Values: map[string]string{}}
	if err := parseForm(r); err != nil {
		return customer.Input{}, f, err
	}
	for _, name := range customer.ScalarFields() {
		if vals, ok := r.PostForm[name]; ok {
			f.Values[name] = vals[0]
		}
	}
	in, err := scalarInput(f.Values)
	if err != nil {
		return in, f, err
	}
	if vals, ok := r.PostForm["manager"]; ok {
		f.Manager = vals[0]
		if !isNew || f.Manager != "" {
			in.Manager = &f.Manager
		}
	}
	kinds := r.PostForm["identity_kind"]
	for i, v := range r.PostForm["identity_value"] {
		if strings.TrimSpace(v) == "" {
			continue
		}
		kind := string(ident.Phone)
		if i < len(kinds) {
			kind = kinds[i]
		}
		f.Identities = append(f.Identities, identityRow{Kind: kind, Value: v})
		in.Identities = append(in.Identities, customer.IdentityInput{Kind: kind, Value: v})
	}
	f.Tags = r.PostFormValue("tags")
	in.Tags = splitList(f.Tags)
	f.Attributes = attributeFields(defs, lang, nil)
	for i, a := range f.Attributes {
		vals, ok := r.PostForm["attr."+a.Key]
		if !ok {
			continue
		}
		f.Attributes[i].Value = vals[0]
		if isNew && strings.TrimSpace(vals[0]) == "" {
			continue
		}
		if in.Attributes == nil {
			in.Attributes = map[string]string{}
		}
		in.Attributes[a.Key] = vals[0]
	}
	if v := r.PostFormValue("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return in, f, vernost.Invalid("version", "is not a version this form was given; reload the card")
		}
		f.Version, in.Version = n, n
	}
	return in, f, nil
}

// scalarInput builds an Input holding the named plain fields. The Input's
// JSON names are the field names of customer.ScalarFields, so going
// through JSON keeps the form in step with any field the service adds.
func scalarInput(values map[string]string) (customer.Input, error) {
	var in customer.Input
	b, err := json.Marshal(values)
	if err == nil {
		err = json.Unmarshal(b, &in)
	}
	if err != nil {
		return in, vernost.Internal(fmt.Errorf("form to input: %w", err))
	}
	return in, nil
}

// cardValues reads the plain fields of a card by name, the other way
// round from scalarInput.
func cardValues(c *customer.Customer) map[string]string {
	out := map[string]string{}
	b, err := json.Marshal(c)
	if err != nil {
		return out
	}
	var all map[string]any
	if json.Unmarshal(b, &all) != nil {
		return out
	}
	for _, name := range customer.ScalarFields() {
		v, _ := all[name].(string)
		out[name] = v
	}
	return out
}

// attributeFields lists the defined attributes with a card's values.
func attributeFields(defs []customer.AttributeDef, lang string, values map[string]string) []attributeField {
	labels := attributeLabels(defs, lang)
	out := make([]attributeField, len(defs))
	for i, d := range defs {
		out[i] = attributeField{Key: d.Key, Label: labels[d.Key], Type: d.Type, Value: values[d.Key], Choices: slices.Clone(d.Choices)}
	}
	return out
}
