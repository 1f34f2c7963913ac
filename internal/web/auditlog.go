package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
)

// auditPageSize is how many entries one audit page shows.
const auditPageSize = 50

// auditQuery are the filter parameters shared by the page, the CSV export
// and the API.
var auditQuery = []param{
	{Name: "actor", Type: "string", Doc: "login of the user who acted"},
	{Name: "action", Type: "string", Doc: "dotted verb, e.g. user.create"},
	{Name: "object_type", Type: "string", Doc: "e.g. user, customer, token"},
	{Name: "object_id", Type: "string", Doc: "public id of the object"},
	{Name: "from", Type: "date", Doc: "first day, inclusive (UTC)"},
	{Name: "to", Type: "date", Doc: "last day, inclusive (UTC)"},
	{Name: "before", Type: "integer", Doc: "cursor: entries older than this id (next_before of the previous page)"},
	{Name: "limit", Type: "integer", Doc: "page size, 1–1000 (default 100)"},
}

// auditFilterForm is the filter as typed, to refill the form.
type auditFilterForm struct {
	Actor, Action, ObjectType, ObjectID, From, To string
}

// parseAuditFilter reads the filter from the query string. An actor is
// given by login, which is what an admin knows.
func (s *Server) parseAuditFilter(r *http.Request) (audit.Filter, auditFilterForm, error) {
	q := r.URL.Query()
	form := auditFilterForm{
		Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		ObjectType: strings.TrimSpace(q.Get("object_type")), ObjectID: strings.TrimSpace(q.Get("object_id")),
		From: q.Get("from"), To: q.Get("to"),
	}
	f := audit.Filter{Action: form.Action, ObjectType: form.ObjectType, ObjectID: form.ObjectID}
	if form.Actor != "" {
		u, err := s.auth.UserByLogin(r.Context(), form.Actor)
		if vernost.ErrorCode(err) == vernost.ENotFound {
			return f, form, vernost.Invalid("actor", "no user has the login %q", form.Actor)
		}
		if err != nil {
			return f, form, err
		}
		f.ActorID = u.ID
	}
	var err error
	if f.From, err = parseDay("from", form.From); err != nil {
		return f, form, err
	}
	if f.To, err = parseDay("to", form.To); err != nil {
		return f, form, err
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1) // the last day counts whole
	}
	if f.Before, err = parseCount("before", q.Get("before"), 1<<62); err != nil {
		return f, form, err
	}
	limit, err := parseCount("limit", q.Get("limit"), audit.MaxLimit)
	f.Limit = int(limit)
	return f, form, err
}

func parseDay(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, vernost.Invalid(field, "%q is not a date like 2026-11-23", s)
	}
	return t, nil
}

func parseCount(field, s string, max int64) (int64, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 || n > max {
		return 0, vernost.Invalid(field, "must be a whole number from 1 to %d", max)
	}
	return n, nil
}

// auditView is one page of the log.
type auditView struct {
	Entries []audit.Entry
	Filter  auditFilterForm
	Error   *vernost.Error
	Next    string // URL of the next (older) page, "" on the last
	Export  string // URL of the CSV export with the same filter
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	f, form, err := s.parseAuditFilter(r)
	v := auditView{Filter: form, Export: "/admin/audit.csv?" + filterQuery(form).Encode()}
	if err == nil {
		// One entry more than shown tells whether an older page exists.
		f.Limit = auditPageSize + 1
		v.Entries, err = s.audit.List(r.Context(), f)
	}
	if err != nil {
		// A filter the log refuses is shown at the form, not as an error page.
		if vernost.ErrorCode(err) != vernost.EInvalid {
			return err
		}
		v.Error = asError(err)
		return s.render(w, r, statusOf(vernost.EInvalid), "audit", v)
	}
	if len(v.Entries) > auditPageSize {
		v.Entries = v.Entries[:auditPageSize]
		next := filterQuery(form)
		next.Set("before", strconv.FormatInt(v.Entries[auditPageSize-1].ID, 10))
		v.Next = "/admin/audit?" + next.Encode()
	}
	return s.render(w, r, http.StatusOK, "audit", v)
}

// filterQuery is the filter as query parameters, without the cursor.
func filterQuery(f auditFilterForm) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"actor": f.Actor, "action": f.Action, "object_type": f.ObjectType,
		"object_id": f.ObjectID, "from": f.From, "to": f.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request) error {
	f, _, err := s.parseAuditFilter(r)
	if err != nil {
		return err
	}
	name := "vernost-audit-" + s.clock.Now().UTC().Format("20060102-1504") + ".csv"
	// Once rows stream, a failure can only be logged (fail knows that);
	// until then it must still be able to answer with an error page.
	return s.audit.Export(r.Context(), &download{w: w, name: name, contentType: "text/csv; charset=utf-8"}, f)
}

// download sets the attachment headers with the first byte written.
type download struct {
	w                 http.ResponseWriter
	name, contentType string
	started           bool
}

func (d *download) Write(b []byte) (int, error) {
	if !d.started {
		d.started = true
		h := d.w.Header()
		h.Set("Content-Type", d.contentType)
		h.Set("Content-Disposition", `attachment; filename="`+d.name+`"`)
		h.Set("Cache-Control", "no-store")
	}
	return d.w.Write(b)
}

// apiAuditEntry is one audit entry in the API.
type apiAuditEntry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor" doc:"login, token name or system"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	Detail     string    `json:"detail"`
	IP         string    `json:"ip"`
}

type apiAuditPage struct {
	Entries    []apiAuditEntry `json:"entries"`
	NextBefore int64           `json:"next_before,omitempty" doc:"pass as before= for the next page; absent on the last page"`
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	f, _, err := s.parseAuditFilter(r)
	if err != nil {
		return err
	}
	limit := f.Limit
	if limit == 0 {
		limit = audit.DefaultLimit
	}
	// One entry more than asked tells whether an older page exists; at the
	// service's maximum a full page has to stand for "maybe".
	f.Limit = min(limit+1, audit.MaxLimit)
	entries, err := s.audit.List(r.Context(), f)
	if err != nil {
		return err
	}
	page := apiAuditPage{Entries: []apiAuditEntry{}}
	if len(entries) > limit || (limit == audit.MaxLimit && len(entries) == limit) {
		entries = entries[:limit]
		page.NextBefore = entries[limit-1].ID
	}
	for _, e := range entries {
		page.Entries = append(page.Entries, apiAuditEntry{ID: e.ID, At: e.At.UTC(), Actor: e.ActorName, Action: e.Action,
			ObjectType: e.ObjectType, ObjectID: e.ObjectID, Detail: e.Detail, IP: e.IP})
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}
