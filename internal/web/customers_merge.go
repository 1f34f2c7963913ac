package web

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/customer"
)

const duplicatesShown = 100

// duplicatesWait is how long the review list waits for a matching pass
// that cards changed since the last one call for: enough for tens of
// thousands of cards; with more, the list shows the previous findings.
const duplicatesWait = 2 * time.Second

// duplicatesView is the review list of likely duplicate pairs.
type duplicatesView struct {
	Pairs     []duplicateRow
	MatchedAt *time.Time
}

type duplicateRow struct {
	A, B    customerRow
	Reason  string
	Compare string // the merge screen for the pair
}

func (s *Server) duplicatesPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := s.customers.RefreshDuplicates(ctx, duplicatesWait); err != nil {
		return err
	}
	list, err := s.customers.Duplicates(ctx, duplicatesShown)
	if err != nil {
		return err
	}
	names, err := s.personaNames(ctx, s.lang(r))
	if err != nil {
		return err
	}
	row := func(m customer.Summary) customerRow {
		return customerRow{Summary: m, PersonaName: names[m.Persona], PhoneShown: formatPhone(m.Phone)}
	}
	v := duplicatesView{Pairs: make([]duplicateRow, len(list.Pairs)), MatchedAt: list.MatchedAt}
	for i, p := range list.Pairs {
		v.Pairs[i] = duplicateRow{A: row(p.A), B: row(p.B), Reason: p.Reason, Compare: mergeURL(p.A.PublicID, p.B.PublicID)}
	}
	return s.render(w, r, http.StatusOK, "duplicates", v)
}

func mergeURL(a, b string) string {
	return "/merge?" + url.Values{"a": {a}, "b": {b}}.Encode()
}

func (s *Server) dismissDuplicate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	a, b, err := mergePairIDs(r.PostFormValue("a"), r.PostFormValue("b"))
	if err != nil {
		return err
	}
	if err := s.customers.DismissDuplicate(r.Context(), a, b); err != nil {
		return err
	}
	return redirect(w, r, "/duplicates?ok=duplicate_dismissed")
}

func mergePairIDs(a, b string) (string, string, error) {
	var fe vernost.FieldErrors
	if a == "" {
		fe.Add("a", "choose the first customer of the pair")
	}
	if b == "" {
		fe.Add("b", "choose the second customer of the pair")
	}
	return a, b, fe.Err()
}

// mergeView is the merge screen: the two cards side by side, a choice per
// differing field, and the card the merge would produce. A survives, B is
// absorbed.
type mergeView struct {
	A, B       *customer.Customer
	AIDs, BIDs []shownIdentity
	Fields     []mergeField
	Preview    *customer.Customer
	PreviewIDs []shownIdentity
	Persona    string // the preview's persona in words
	Swap       string // the same pair with the other survivor
	Error      *vernost.Error
}

// mergeField is one field where the two cards differ.
type mergeField struct {
	Name, Label string
	A, B        string // shown values
	Winner      string // survivor or absorbed
}

func (s *Server) mergePage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	a, b, err := mergePairIDs(q.Get("a"), q.Get("b"))
	if err != nil {
		return err
	}
	return s.renderMerge(w, r, http.StatusOK, a, b, nil, nil)
}

// previewMerge shows the screen again with the winners chosen. It is a
// POST because the form carries the CSRF token for the merge button; it
// changes nothing.
func (s *Server) previewMerge(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	a, b, err := mergePairIDs(r.PostFormValue("a"), r.PostFormValue("b"))
	if err != nil {
		return err
	}
	return s.renderMerge(w, r, http.StatusOK, a, b, formWinners(r), nil)
}

func (s *Server) mergeCustomers(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	a, b, err := mergePairIDs(r.PostFormValue("a"), r.PostFormValue("b"))
	if err != nil {
		return err
	}
	winners := formWinners(r)
	rec, err := s.customers.Merge(r.Context(), a, b, winners)
	if code := vernost.ErrorCode(err); code == vernost.EInvalid || code == vernost.EConflict {
		return s.renderMerge(w, r, statusOf(code), a, b, winners, asError(err))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, customerURL(rec.Survivor, "merged")+"#merges")
}

// mergeChoices are the fields a merge chooses between: the plain ones and
// the manager.
func mergeChoices() []string { return append(customer.ScalarFields(), "manager") }

// formWinners reads the radio buttons "w.<field>".
func formWinners(r *http.Request) customer.Winners {
	w := customer.Winners{}
	for _, f := range mergeChoices() {
		if v := r.PostFormValue("w." + f); v != "" {
			w[f] = v
		}
	}
	return w
}

func (s *Server) renderMerge(w http.ResponseWriter, r *http.Request, status int, a, b string, winners customer.Winners, mergeErr *vernost.Error) error {
	ctx := r.Context()
	lang := s.lang(r)
	ca, err := s.customers.View(ctx, a)
	if err != nil {
		return err
	}
	cb, err := s.customers.View(ctx, b)
	if err != nil {
		return err
	}
	personas, err := s.personaViews(ctx, lang)
	if err != nil {
		return err
	}
	tl := timeline{s: s, lang: lang, personas: personas}
	v := mergeView{A: ca, B: cb, Swap: mergeURL(cb.PublicID, ca.PublicID), Error: mergeErr}
	if winners == nil {
		winners = customer.Winners{}
	}
	va, vb := cardValues(ca), cardValues(cb)
	va["manager"], vb["manager"] = managerName(ca), managerName(cb)
	for _, f := range mergeChoices() {
		if va[f] == vb[f] {
			continue
		}
		// The default matches the service's: the survivor's value unless
		// it has none.
		win := winners[f]
		if win != "survivor" && win != "absorbed" {
			win = "survivor"
			if va[f] == "" {
				win = "absorbed"
			}
		}
		winners[f] = win
		v.Fields = append(v.Fields, mergeField{Name: f, Label: tl.fieldLabel(f), A: tl.value(f, va[f]), B: tl.value(f, vb[f]), Winner: win})
	}
	for _, id := range ca.Identities {
		v.AIDs = append(v.AIDs, showIdentity(id))
	}
	for _, id := range cb.Identities {
		v.BIDs = append(v.BIDs, showIdentity(id))
	}
	// Winners for fields that no longer differ are dropped: the service
	// refuses nothing for them, but they would mean nothing.
	for f := range winners {
		if !slices.ContainsFunc(v.Fields, func(m mergeField) bool { return m.Name == f }) {
			delete(winners, f)
		}
	}
	preview, err := s.customers.PreviewMerge(ctx, ca.PublicID, cb.PublicID, winners)
	switch code := vernost.ErrorCode(err); {
	case err == nil:
		v.Preview = preview
		v.Persona = findPersona(personas, preview.Persona).Name
		for _, id := range preview.Identities {
			v.PreviewIDs = append(v.PreviewIDs, showIdentity(id))
		}
	case code == vernost.EInvalid || code == vernost.EConflict:
		if v.Error == nil {
			v.Error = asError(err)
		}
		if status == http.StatusOK {
			status = statusOf(code)
		}
	default:
		return err
	}
	return s.render(w, r, status, "customer_merge", v)
}

func managerName(c *customer.Customer) string {
	if c.Manager == nil {
		return ""
	}
	return c.Manager.Name
}

// undoMerge restores both cards of a merge and returns to the card it was
// undone from.
func (s *Server) undoMerge(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	if err := s.customers.UndoMerge(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	back := r.PostFormValue("customer")
	if back == "" {
		return redirect(w, r, "/customers?ok=merge_undone")
	}
	return redirect(w, r, customerURL(back, "merge_undone")+"#merges")
}
