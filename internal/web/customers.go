package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/customer"
	ident "github.com/vernost/vernost/internal/identity"
)

// The customer pages: search and list here, the card in customers_card.go,
// the forms in customers_form.go, duplicates and merges in
// customers_merge.go, imports in customers_import.go.

const (
	instantResults = 20 // rows the search box shows as one types
	listPage       = 50 // rows per page of the filtered list
)

// customersView is the search page: a search box over a filtered list.
type customersView struct {
	Results  customerResults
	Filter   customer.ListFilter
	Personas []personaView
	Managers []auth.User
}

// customerResults is what the search box refreshes as one types: search
// hits for a query, else a page of the filtered list.
type customerResults struct {
	Query string
	Rows  []customerRow
	Next  string // the next page's address; "" on the last page or for a search
}

// customerRow is one customer in a list.
type customerRow struct {
	customer.Summary
	PersonaName string
	PhoneShown  string
}

func (s *Server) customersPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	lang := s.lang(r)
	f := listFilter(r)
	res, err := s.customerResults(ctx, lang, r.URL.Query().Get("q"), f)
	if err != nil {
		return err
	}
	personas, err := s.personaViews(ctx, lang)
	if err != nil {
		return err
	}
	managers, err := s.activeUsers(ctx)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "customers", customersView{Results: res, Filter: f, Personas: personas, Managers: managers})
}

// customersSearch answers the search box's requests with the results
// fragment alone; the page itself works without it, as a GET form.
func (s *Server) customersSearch(w http.ResponseWriter, r *http.Request) error {
	res, err := s.customerResults(r.Context(), s.lang(r), r.URL.Query().Get("q"), listFilter(r))
	if err != nil {
		return err
	}
	return s.renderFragment(w, r, "customers", "customer-results", res)
}

func listFilter(r *http.Request) customer.ListFilter {
	q := r.URL.Query()
	return customer.ListFilter{
		Tag:     strings.TrimSpace(q.Get("tag")),
		Manager: q.Get("manager"),
		Persona: q.Get("persona"),
		Cursor:  q.Get("cursor"),
		Limit:   listPage,
	}
}

func (s *Server) customerResults(ctx context.Context, lang, query string, f customer.ListFilter) (customerResults, error) {
	out := customerResults{Query: strings.TrimSpace(query)}
	var sums []customer.Summary
	var err error
	if out.Query != "" {
		sums, err = s.customers.Search(ctx, out.Query, instantResults)
	} else {
		var next string
		sums, next, err = s.customers.List(ctx, f)
		if next != "" {
			out.Next = "/customers?" + listQuery(f, next)
		}
	}
	if err != nil {
		return out, err
	}
	names, err := s.personaNames(ctx, lang)
	if err != nil {
		return out, err
	}
	out.Rows = make([]customerRow, len(sums))
	for i, m := range sums {
		out.Rows[i] = customerRow{Summary: m, PersonaName: names[m.Persona], PhoneShown: formatPhone(m.Phone)}
	}
	return out, nil
}

// listQuery is the query string of a list page: the filters and a cursor.
func listQuery(f customer.ListFilter, cursor string) string {
	v := url.Values{}
	for k, x := range map[string]string{"tag": f.Tag, "manager": f.Manager, "persona": f.Persona, "cursor": cursor} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v.Encode()
}

// renderFragment writes one named template of a page without the layout,
// for the parts of a page that script refreshes.
func (s *Server) renderFragment(w http.ResponseWriter, r *http.Request, page, name string, data any) error {
	lang := s.lang(r)
	t := s.pages[lang][page]
	if t == nil {
		return vernost.Internal(fmt.Errorf("no template %q", page))
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return vernost.Internal(fmt.Errorf("render %s/%s: %w", page, name, err))
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", lang)
	_, err := w.Write(buf.Bytes())
	return err
}

// personaView is a persona in the page's language.
type personaView struct {
	Key, Name, Do, Dont string
}

func (s *Server) personaViews(ctx context.Context, lang string) ([]personaView, error) {
	ps, err := s.customers.Personas(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]personaView, len(ps))
	for i, p := range ps {
		name := p.NameRU
		if lang == "en" {
			name = p.NameEN
		}
		out[i] = personaView{Key: p.Key, Name: name, Do: inLanguage(p.GuidanceDo, lang), Dont: inLanguage(p.GuidanceDont, lang)}
	}
	return out, nil
}

func (s *Server) personaNames(ctx context.Context, lang string) (map[string]string, error) {
	ps, err := s.personaViews(ctx, lang)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(ps))
	for _, p := range ps {
		names[p.Key] = p.Name
	}
	return names, nil
}

func findPersona(ps []personaView, key string) personaView {
	for _, p := range ps {
		if p.Key == key {
			return p
		}
	}
	return personaView{Key: key, Name: key}
}

// inLanguage picks one language out of a bilingual text written
// "по-русски / in English", as the persona guidance is stored; a text
// without the separator is the same in both.
func inLanguage(text, lang string) string {
	ru, en, ok := strings.Cut(text, " / ")
	if !ok {
		return strings.TrimSpace(text)
	}
	if lang == "en" {
		return strings.TrimSpace(en)
	}
	return strings.TrimSpace(ru)
}

// activeUsers are the people a customer can be given to as manager.
func (s *Server) activeUsers(ctx context.Context) ([]auth.User, error) {
	users, err := s.auth.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := users[:0]
	for _, u := range users {
		if u.Active {
			out = append(out, u)
		}
	}
	return out, nil
}

// formatPhone shows a stored E.164 number the way people read it,
// "+7 916 123-45-67"; anything it cannot parse is shown as stored.
func formatPhone(e164 string) string {
	if e164 == "" {
		return ""
	}
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}

// shownIdentity is an identity as the card shows it: formatted, with the
// text as typed for the tooltip.
type shownIdentity struct {
	Kind  string
	Value string // the lookup key, for removal
	Raw   string
	Shown string
}

func showIdentity(id customer.Identity) shownIdentity {
	shown := id.Value
	switch id.Kind {
	case ident.Phone, ident.WhatsApp:
		shown = formatPhone(id.Value)
	case ident.Telegram:
		shown = "@" + id.Value
	}
	return shownIdentity{Kind: string(id.Kind), Value: id.Value, Raw: id.Raw, Shown: shown}
}

// customerURL is the card's address, with an optional notice.
func customerURL(publicID, notice string) string {
	u := "/customers/" + url.PathEscape(publicID)
	if notice != "" {
		u += "?ok=" + notice
	}
	return u
}
