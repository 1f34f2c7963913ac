package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/customer"
)

const timelinePage = 50

// cardView is the customer card: everything an operator needs during a
// conversation, on one screen.
type cardView struct {
	C          *customer.Customer
	ViaID      string // the absorbed id the card was opened by, if any
	Persona    personaView
	Identities []shownIdentity
	Facts      []factView // pinned first
	Attributes []shownAttribute
	Timeline   []eventView
	Older      string // the next timeline page's address
	Merges     []customer.MergeRecord
	FactKinds  []string
	Channels   []string
	CanMerge   bool // supervisors undo merges
	CanAdmin   bool // admins export and erase
	Action     cardAction
}

// cardAction is a card form that failed: which one, why, and what was
// typed, so the card is shown again with the message beside that form.
type cardAction struct {
	Form  string // fact, consent, note, tag, identity or erase
	Error *vernost.Error
	Kind  string
	Text  string
	// consent form
	Channel, Purpose, Source string
	Granted                  bool
}

type factView struct {
	customer.Fact
	KindLabel string
}

type shownAttribute struct {
	Label, Value string
}

func (s *Server) customerCard(w http.ResponseWriter, r *http.Request) error {
	return s.renderCard(w, r, http.StatusOK, r.PathValue("id"), cardAction{})
}

// renderCard shows the card through View, so that every showing is in the
// audit log, including a card shown again after a failed form.
func (s *Server) renderCard(w http.ResponseWriter, r *http.Request, status int, id string, act cardAction) error {
	ctx := r.Context()
	lang := s.lang(r)
	c, err := s.customers.View(ctx, id)
	if err != nil {
		return err
	}
	v := cardView{C: c, FactKinds: customer.FactKinds, Channels: customer.Channels, Action: act}
	if id != c.PublicID {
		v.ViaID = id
	}
	role := identityFrom(ctx).user.Role
	v.CanMerge, v.CanAdmin = role.AtLeast(vernost.RoleSupervisor), role.AtLeast(vernost.RoleAdmin)
	personas, err := s.personaViews(ctx, lang)
	if err != nil {
		return err
	}
	v.Persona = findPersona(personas, c.Persona)
	for _, x := range c.Identities {
		v.Identities = append(v.Identities, showIdentity(x))
	}
	defs, err := s.customers.AttributeDefs(ctx)
	if err != nil {
		return err
	}
	labels := attributeLabels(defs, lang)
	tl := timeline{s: s, lang: lang, personas: personas, labels: labels}
	facts := slices.Clone(c.Facts)
	slices.SortStableFunc(facts, func(a, b customer.Fact) int {
		switch {
		case a.Pinned == b.Pinned:
			return b.CreatedAt.Compare(a.CreatedAt)
		case a.Pinned:
			return -1
		}
		return 1
	})
	for _, f := range facts {
		v.Facts = append(v.Facts, factView{Fact: f, KindLabel: tl.factKind(f.Kind)})
	}
	for _, d := range defs {
		if val, ok := c.Attributes[d.Key]; ok {
			v.Attributes = append(v.Attributes, shownAttribute{Label: labels[d.Key], Value: s.attributeValue(lang, d, val)})
		}
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	events, err := s.customers.Timeline(ctx, c.PublicID, before, timelinePage)
	if err != nil {
		return err
	}
	for _, e := range events {
		v.Timeline = append(v.Timeline, tl.describe(e))
	}
	if len(events) == timelinePage {
		v.Older = customerURL(c.PublicID, "") + "?before=" + strconv.FormatInt(events[len(events)-1].ID, 10) + "#timeline"
	}
	if v.Merges, err = s.customers.Merges(ctx, c.PublicID); err != nil {
		return err
	}
	return s.render(w, r, status, "customer", v)
}

func attributeLabels(defs []customer.AttributeDef, lang string) map[string]string {
	out := make(map[string]string, len(defs))
	for _, d := range defs {
		out[d.Key] = d.LabelRU
		if lang == "en" {
			out[d.Key] = d.LabelEN
		}
	}
	return out
}

// attributeValue shows a stored attribute value: yes/no in words.
func (s *Server) attributeValue(lang string, d customer.AttributeDef, v string) string {
	if d.Type == "bool" {
		switch v {
		case "true":
			return s.catalog.T(lang, "common.yes")
		case "false":
			return s.catalog.T(lang, "common.no")
		}
	}
	return v
}

// cardFormError shows the card again with a form's error if the person
// can fix it, and passes any other error on.
func (s *Server) cardFormError(w http.ResponseWriter, r *http.Request, err error, act cardAction) error {
	switch vernost.ErrorCode(err) {
	case vernost.EInvalid, vernost.EConflict:
		act.Error = asError(err)
		return s.renderCard(w, r, statusOf(act.Error.Code), r.PathValue("id"), act)
	}
	return err
}

func (s *Server) addFact(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	in := customer.FactInput{Kind: r.PostFormValue("kind"), Text: r.PostFormValue("text"), Pinned: r.PostFormValue("pinned") == "on"}
	id := r.PathValue("id")
	if _, err := s.customers.AddFact(r.Context(), id, in); err != nil {
		return s.cardFormError(w, r, err, cardAction{Form: "fact", Kind: in.Kind, Text: in.Text})
	}
	return redirect(w, r, customerURL(id, "fact_added")+"#facts")
}

func (s *Server) pinFact(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	pinned := r.PostFormValue("pinned") == "true"
	if err := s.customers.PinFact(r.Context(), id, r.PathValue("fact"), pinned); err != nil {
		return err
	}
	return redirect(w, r, customerURL(id, "")+"#facts")
}

func (s *Server) deleteFact(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := s.customers.DeleteFact(r.Context(), id, r.PathValue("fact")); err != nil {
		return err
	}
	return redirect(w, r, customerURL(id, "fact_deleted")+"#facts")
}

func (s *Server) addNote(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, text := r.PathValue("id"), r.PostFormValue("text")
	if err := s.customers.AddNote(r.Context(), id, text); err != nil {
		return s.cardFormError(w, r, err, cardAction{Form: "note", Text: text})
	}
	return redirect(w, r, customerURL(id, "note_added")+"#timeline")
}

func (s *Server) setConsent(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	in := customer.ConsentInput{Channel: r.PostFormValue("channel"), Purpose: r.PostFormValue("purpose"),
		Granted: r.PostFormValue("granted") == "true", Source: r.PostFormValue("source")}
	id := r.PathValue("id")
	if err := s.customers.SetConsent(r.Context(), id, in); err != nil {
		return s.cardFormError(w, r, err, cardAction{Form: "consent", Channel: in.Channel, Purpose: in.Purpose, Granted: in.Granted, Source: in.Source})
	}
	return redirect(w, r, customerURL(id, "consent_saved")+"#consents")
}

// addTags adds the comma-separated tags of the form through Update, which
// adds tags without touching anything else on the card.
func (s *Server) addTags(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, text := r.PathValue("id"), r.PostFormValue("tags")
	tags := splitList(text)
	if len(tags) == 0 {
		return s.cardFormError(w, r, vernost.Invalid("tags", "enter a tag"), cardAction{Form: "tag", Text: text})
	}
	if _, err := s.customers.Update(r.Context(), id, customer.Input{Tags: tags}); err != nil {
		return s.cardFormError(w, r, err, cardAction{Form: "tag", Text: text})
	}
	return redirect(w, r, customerURL(id, "")+"#tags")
}

func (s *Server) removeTag(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := s.customers.RemoveTag(r.Context(), id, r.PostFormValue("tag")); err != nil {
		return err
	}
	return redirect(w, r, customerURL(id, "")+"#tags")
}

func (s *Server) removeIdentity(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	in := customer.IdentityInput{Kind: r.PostFormValue("kind"), Value: r.PostFormValue("value")}
	if err := s.customers.RemoveIdentity(r.Context(), id, in); err != nil {
		return s.cardFormError(w, r, err, cardAction{Form: "identity"})
	}
	return redirect(w, r, customerURL(id, "identity_removed")+"#identities")
}

// exportCustomer downloads everything stored about the customer as JSON
// (a data subject's access request); the export is audited.
func (s *Server) exportCustomer(w http.ResponseWriter, r *http.Request) error {
	data, err := s.customers.ExportPersonal(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		return vernost.Internal(err)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="customer-`+url.PathEscape(data.Customer.PublicID)+`.json"`)
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(append(b, '\n'))
	return err
}

// eraseCustomer anonymises the customer. The form asks for a reason and a
// ticked confirmation, so that it cannot be done by a stray click even
// without script.
func (s *Server) eraseCustomer(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, reason := r.PathValue("id"), strings.TrimSpace(r.PostFormValue("reason"))
	act := cardAction{Form: "erase", Text: reason}
	if r.PostFormValue("confirm") != "yes" {
		return s.cardFormError(w, r, vernost.Invalid("confirm", "tick the box to confirm the erasure"), act)
	}
	if err := s.customers.Erase(r.Context(), id, reason); err != nil {
		return s.cardFormError(w, r, err, act)
	}
	return redirect(w, r, customerURL(id, "customer_erased"))
}

// splitList reads "a, b; c" as a list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for part := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
