package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/customer"
)

// The customers JSON API: the customer service for integrations — a phone
// system looking up the caller, a shop sending its customers, a nightly
// import. Customer types are the JSON as they are; the types below exist
// where a request or an answer needs its own shape.

var (
	apiCustomerListQuery = []param{
		{Name: "q", Type: "string", Doc: "search: parts of a name in any order and case (ё or е), a phone, an email, an external id; not combined with the other filters"},
		{Name: "tag", Type: "string", Doc: "only customers with this tag"},
		{Name: "manager", Type: "string", Doc: "only customers of this manager (a user's public id)"},
		{Name: "persona", Type: "string", Doc: "only customers of this persona"},
		{Name: "cursor", Type: "string", Doc: "next_cursor of the previous page"},
		{Name: "limit", Type: "integer", Doc: "page size, 1–500 (default 50); with q at most 100 (default 20)"},
	}
	apiLookupQuery = []param{
		{Name: "phone", Type: "string", Doc: "in any format; numbers without a country code are taken in the configured region (RU unless VERNOST_PHONE_REGION says otherwise)"},
		{Name: "email", Type: "string"},
		{Name: "telegram", Type: "string"},
		{Name: "whatsapp", Type: "string"},
		{Name: "vk", Type: "string"},
		{Name: "external", Type: "string", Doc: "system:id, e.g. 1c:000123"},
	}
	apiTimelineQuery = []param{
		{Name: "before", Type: "integer", Doc: "cursor: events older than this id (next_before of the previous page)"},
		{Name: "limit", Type: "integer", Doc: "page size, 1–500 (default 100)"},
	}
	apiIdentityQuery = []param{
		{Name: "kind", Type: "string", Doc: "phone, email, telegram, whatsapp, vk or external (or give kind and value as a JSON body)"},
		{Name: "value", Type: "string", Doc: "as typed; it is normalised as on input"},
	}
)

// apiCustomerPage is a page of the customer list.
type apiCustomerPage struct {
	Customers  []customer.Summary `json:"customers"`
	NextCursor string             `json:"next_cursor,omitempty" doc:"pass as cursor= for the next page; absent on the last page and for searches"`
}

// apiSavedCustomer answers a create, which updates the owner of a known
// identity instead of making a twin.
type apiSavedCustomer struct {
	Outcome  string             `json:"outcome" enum:"created|updated|unchanged" doc:"created (201): a new card; updated or unchanged (200): a given identity already belonged to this customer"`
	Customer *customer.Customer `json:"customer"`
}

type apiTimeline struct {
	Events     []customer.Event `json:"events"`
	NextBefore int64            `json:"next_before,omitempty" doc:"pass as before= for older events; absent once a page comes back short"`
}

type apiNewNote struct {
	Text string `json:"text"`
}

type apiEraseRequest struct {
	Reason string `json:"reason" doc:"on what grounds the data is erased; kept in the audit log"`
}

type apiAttributeList struct {
	Attributes []customer.AttributeDef `json:"attributes"`
}

type apiPersonaList struct {
	Personas []customer.Persona `json:"personas"`
}

func (s *Server) apiListCustomers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit, err := parseCount("limit", q.Get("limit"), 500)
	if err != nil {
		return err
	}
	page := apiCustomerPage{}
	if search := strings.TrimSpace(q.Get("q")); search != "" {
		for _, f := range []string{"tag", "manager", "persona", "cursor"} {
			if q.Get(f) != "" {
				return vernost.Invalid(f, "cannot be combined with q: a search is one page of the best matches")
			}
		}
		if limit > 100 {
			return vernost.Invalid("limit", "must be at most 100 with q")
		}
		page.Customers, err = s.customers.Search(r.Context(), search, int(limit))
	} else {
		page.Customers, page.NextCursor, err = s.customers.List(r.Context(), customer.ListFilter{Tag: q.Get("tag"),
			Manager: q.Get("manager"), Persona: q.Get("persona"), Cursor: q.Get("cursor"), Limit: int(limit)})
	}
	if err != nil {
		return err
	}
	if page.Customers == nil {
		page.Customers = []customer.Summary{}
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) apiCreateCustomer(w http.ResponseWriter, r *http.Request) error {
	var in customer.Input
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if !apiHasNameOrIdentity(in) {
		return vernost.Invalid("identities", "give a name or at least one phone, email or other identity: a card with neither cannot be found again")
	}
	c, outcome, err := s.customers.Create(r.Context(), in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if outcome == customer.Created {
		status = http.StatusCreated
	}
	w.Header().Set("Location", "/api/v1/customers/"+url.PathEscape(c.PublicID))
	writeJSON(w, status, apiSavedCustomer{Outcome: string(outcome), Customer: c})
	return nil
}

func apiHasNameOrIdentity(in customer.Input) bool {
	for _, p := range []*string{in.FamilyName, in.GivenName, in.Patronymic, in.PreferredName} {
		if p != nil && strings.TrimSpace(*p) != "" {
			return true
		}
	}
	return len(in.Identities) > 0
}

func (s *Server) apiGetCustomer(w http.ResponseWriter, r *http.Request) error {
	c, err := s.customers.View(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiUpdateCustomer(w http.ResponseWriter, r *http.Request) error {
	var in customer.Input
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.customers.Update(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// apiLookupKinds are the identity kinds the lookup takes, as query names.
var apiLookupKinds = []string{"phone", "email", "telegram", "whatsapp", "vk", "external"}

// apiLookupCustomer is what a phone system calls on every incoming call:
// one identity in, the card (audited) or 404 out.
func (s *Server) apiLookupCustomer(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	kind, value := "", ""
	for _, k := range apiLookupKinds {
		v, ok := q[k]
		if !ok {
			continue
		}
		if kind != "" || len(v) > 1 {
			return vernost.Invalid(k, "give exactly one identity to look up")
		}
		kind, value = k, v[0]
	}
	if kind == "" {
		return vernost.Invalid("phone", "give one identity to look up: phone, email, telegram, whatsapp, vk or external")
	}
	// Not cancellable: a lookup takes well under a millisecond, while a
	// cancellable context costs the SQLite driver a goroutine for every
	// statement, which on this hottest of paths doubles the time.
	ctx := context.WithoutCancel(r.Context())
	c, err := s.customers.Lookup(ctx, kind, value)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	before, err := parseCount("before", q.Get("before"), 1<<62)
	if err != nil {
		return err
	}
	limit, err := parseCount("limit", q.Get("limit"), 500)
	if err != nil {
		return err
	}
	if limit == 0 {
		limit = 100
	}
	events, err := s.customers.Timeline(r.Context(), r.PathValue("id"), before, int(limit))
	if err != nil {
		return err
	}
	page := apiTimeline{Events: events}
	if len(events) == int(limit) {
		page.NextBefore = events[len(events)-1].ID
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) apiAddIdentity(w http.ResponseWriter, r *http.Request) error {
	var in customer.IdentityInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.customers.Update(r.Context(), r.PathValue("id"), customer.Input{Identities: []customer.IdentityInput{in}})
	if err != nil {
		return apiIdentityField(err, in.Kind)
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiRemoveIdentity(w http.ResponseWriter, r *http.Request) error {
	var in customer.IdentityInput
	if q := r.URL.Query(); q.Has("kind") || q.Has("value") {
		in = customer.IdentityInput{Kind: q.Get("kind"), Value: q.Get("value")}
	} else if err := decodeJSON(r, &in); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := s.customers.RemoveIdentity(r.Context(), id, in); err != nil {
		return apiIdentityField(err, in.Kind)
	}
	return s.apiWriteCard(w, r, id)
}

// apiIdentityField names an identity's error by the request's own fields,
// kind and value, rather than by the card's ("identities[0].value") or the
// kind ("phone").
func apiIdentityField(err error, kind string) error {
	var e *vernost.Error
	if !errors.As(err, &e) || e.Code != vernost.EInvalid {
		return err
	}
	field, ok := strings.CutPrefix(e.Field, "identities[0].")
	if !ok {
		if e.Field != strings.ToLower(strings.TrimSpace(kind)) {
			return err
		}
		field = "value"
	}
	c := *e
	c.Field = field
	return &c
}

// apiWriteCard answers a change with the card as it now is. The change is
// audited; this read is its answer, not another view.
func (s *Server) apiWriteCard(w http.ResponseWriter, r *http.Request, publicID string) error {
	c, err := s.customers.Get(r.Context(), publicID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiAddFact(w http.ResponseWriter, r *http.Request) error {
	var in customer.FactInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	f, err := s.customers.AddFact(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, f)
	return nil
}

func (s *Server) apiDeleteFact(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := s.customers.DeleteFact(r.Context(), id, r.PathValue("fact")); err != nil {
		return err
	}
	return s.apiWriteCard(w, r, id)
}

// apiAddNote answers with the newest events, the note among them.
func (s *Server) apiAddNote(w http.ResponseWriter, r *http.Request) error {
	var in apiNewNote
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := s.customers.AddNote(r.Context(), id, in.Text); err != nil {
		return err
	}
	events, err := s.customers.Timeline(r.Context(), id, 0, 20)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, apiTimeline{Events: events})
	return nil
}

func (s *Server) apiSetConsent(w http.ResponseWriter, r *http.Request) error {
	var in customer.ConsentInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := s.customers.SetConsent(r.Context(), id, in); err != nil {
		return err
	}
	return s.apiWriteCard(w, r, id)
}

func (s *Server) apiExportCustomer(w http.ResponseWriter, r *http.Request) error {
	data, err := s.customers.ExportPersonal(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="customer-`+data.Customer.PublicID+`.json"`)
	writeJSON(w, http.StatusOK, data)
	return nil
}

func (s *Server) apiEraseCustomer(w http.ResponseWriter, r *http.Request) error {
	var in apiEraseRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := s.customers.Erase(r.Context(), id, strings.TrimSpace(in.Reason)); err != nil {
		return err
	}
	return s.apiWriteCard(w, r, id)
}

func (s *Server) apiAttributes(w http.ResponseWriter, r *http.Request) error {
	defs, err := s.customers.AttributeDefs(r.Context())
	if err != nil {
		return err
	}
	if defs == nil {
		defs = []customer.AttributeDef{}
	}
	writeJSON(w, http.StatusOK, apiAttributeList{Attributes: defs})
	return nil
}

func (s *Server) apiDefineAttribute(w http.ResponseWriter, r *http.Request) error {
	var in customer.AttributeDef
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := s.customers.DefineAttribute(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiPersonas(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.customers.Personas(r.Context())
	if err != nil {
		return err
	}
	if ps == nil {
		ps = []customer.Persona{}
	}
	writeJSON(w, http.StatusOK, apiPersonaList{Personas: ps})
	return nil
}
