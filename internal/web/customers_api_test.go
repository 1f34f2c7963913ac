package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
	"github.com/vernost/vernost/internal/web"
	"github.com/vernost/vernost/internal/web/webtest"
)

// apiEnv is a server with API clients of every kind the tests need.
type apiEnv struct {
	srv        *webtest.Server
	agent      *webtest.Client // an agent's token with customers:write
	reader     *webtest.Client // an agent's token with customers:read only
	supervisor *webtest.Client // a supervisor's token with customers:write
	admin      *webtest.Client // an admin's token with the admin scope
	adminWrite *webtest.Client // an admin's token with customers:write only
}

func newAPIEnv(t *testing.T, db *sqldb.DB) apiEnv {
	t.Helper()
	srv := webtest.StartServerOn(t, db, web.Config{})
	agent := srv.CreateUser(t, "agent", webtest.Password, vernost.RoleAgent)
	sup := srv.CreateUser(t, "supervisor", webtest.Password, vernost.RoleSupervisor)
	admin := srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
	return apiEnv{
		srv:        srv,
		agent:      srv.CreateToken(t, agent, auth.ScopeCustomersWrite),
		reader:     srv.CreateToken(t, agent, auth.ScopeCustomersRead),
		supervisor: srv.CreateToken(t, sup, auth.ScopeCustomersWrite),
		admin:      srv.CreateToken(t, admin, auth.ScopeAdmin),
		adminWrite: srv.CreateToken(t, admin, auth.ScopeCustomersWrite),
	}
}

// decodeAPI checks the status and decodes the JSON answer.
func decodeAPI[T any](t *testing.T, what string, res webtest.Response, wantStatus int) T {
	t.Helper()
	var v T
	if res.Status != wantStatus {
		t.Fatalf("%s: status %d, want %d: %.500s", what, res.Status, wantStatus, res.Body)
	}
	if err := json.Unmarshal([]byte(res.Body), &v); err != nil {
		t.Fatalf("%s: answer is not the expected JSON: %v\n%.500s", what, err, res.Body)
	}
	return v
}

type apiErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
}

// wantAPIError checks an error answer: status, code and offending field.
func wantAPIError(t *testing.T, what string, res webtest.Response, status int, code, field string) {
	t.Helper()
	e := decodeAPI[apiErrorBody](t, what, res, status)
	if e.Error.Code != code || e.Error.Field != field || e.Error.Message == "" {
		t.Errorf("%s: error %+v, want code %s field %q and a message", what, e.Error, code, field)
	}
}

type savedCustomer struct {
	Outcome  string            `json:"outcome"`
	Customer customer.Customer `json:"customer"`
}

func createCustomer(t *testing.T, c *webtest.Client, body string) customer.Customer {
	t.Helper()
	return decodeAPI[savedCustomer](t, "create", c.SendJSON(t, "POST", "/api/v1/customers", body), http.StatusCreated).Customer
}

func countCustomers(t *testing.T, srv *webtest.Server) int {
	t.Helper()
	n, err := srv.Customers.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func auditActions(t *testing.T, srv *webtest.Server, action, objectID string) []audit.Entry {
	t.Helper()
	entries, err := srv.Audit.List(context.Background(), audit.Filter{Action: action, ObjectType: "customer", ObjectID: objectID})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// TestCustomersAPICard: create, read, change with optimistic concurrency,
// look up by a phone typed another way, and every kind of bad input
// refused with the field and why, leaving what is stored as it was.
func TestCustomersAPICard(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newAPIEnv(t, db)
		res := e.agent.SendJSON(t, "POST", "/api/v1/customers",
			`{"family_name":"Иванова","given_name":"Анна","identities":[{"kind":"phone","value":"8 (916) 123-45-67"}]}`)
		saved := decodeAPI[savedCustomer](t, "create", res, http.StatusCreated)
		anna := saved.Customer
		if saved.Outcome != "created" || anna.PublicID == "" || res.Header.Get("Location") != "/api/v1/customers/"+anna.PublicID {
			t.Errorf("created %q id %q Location %q", saved.Outcome, anna.PublicID, res.Header.Get("Location"))
		}
		if len(anna.Identities) != 1 || anna.Identities[0].Value != "+79161234567" {
			t.Errorf("identities %+v, want the phone as +79161234567", anna.Identities)
		}

		got := decodeAPI[customer.Customer](t, "read", e.reader.Get(t, "/api/v1/customers/"+anna.PublicID), http.StatusOK)
		if got.FamilyName != "Иванова" || got.Version != anna.Version {
			t.Errorf("read %+v, want the created card", got)
		}
		if views := auditActions(t, e.srv, "customer.view", anna.PublicID); len(views) != 1 || views[0].ActorName != "token:test-agent" {
			t.Errorf("views audited %+v, want one by token:test-agent", views)
		}

		patched := decodeAPI[customer.Customer](t, "patch", e.agent.SendJSON(t, "PATCH", "/api/v1/customers/"+anna.PublicID,
			fmt.Sprintf(`{"preferred_name":"Аня","version":%d}`, anna.Version)), http.StatusOK)
		if patched.PreferredName != "Аня" || patched.Version <= anna.Version {
			t.Errorf("patched %q version %d, want Аня and a version after %d", patched.PreferredName, patched.Version, anna.Version)
		}
		stale := e.agent.SendJSON(t, "PATCH", "/api/v1/customers/"+anna.PublicID, fmt.Sprintf(`{"wish":"перезвонить","version":%d}`, anna.Version))
		wantAPIError(t, "stale version", stale, http.StatusConflict, "conflict", "version")

		// The same phone typed another way is the same person: no twin.
		again := decodeAPI[savedCustomer](t, "create known", e.agent.SendJSON(t, "POST", "/api/v1/customers",
			`{"identities":[{"kind":"phone","value":"+7 916 123 45 67"},{"kind":"email","value":"Anna@Example.ru"}]}`), http.StatusOK)
		if again.Outcome != "updated" || again.Customer.PublicID != anna.PublicID || len(again.Customer.Identities) != 2 {
			t.Errorf("create with a known phone: %s %s %+v, want anna updated with the email", again.Outcome, again.Customer.PublicID, again.Customer.Identities)
		}
		if again.Customer.Wish != "" {
			t.Errorf("wish %q: the refused stale patch left a trace", again.Customer.Wish)
		}

		found := decodeAPI[customer.Customer](t, "lookup", e.reader.Get(t, "/api/v1/customers/lookup?phone="+url.QueryEscape("8-916-123-45-67")), http.StatusOK)
		if found.PublicID != anna.PublicID {
			t.Errorf("lookup found %s, want %s", found.PublicID, anna.PublicID)
		}
		if n := len(auditActions(t, e.srv, "customer.lookup", anna.PublicID)); n != 1 {
			t.Errorf("%d lookups audited, want 1", n)
		}
		byEmail := decodeAPI[customer.Customer](t, "lookup by email", e.reader.Get(t, "/api/v1/customers/lookup?email=ANNA@example.ru"), http.StatusOK)
		if byEmail.PublicID != anna.PublicID {
			t.Errorf("lookup by email found %s, want %s", byEmail.PublicID, anna.PublicID)
		}

		before := countCustomers(t, e.srv)
		for _, tc := range []struct {
			name, method, path, body string
			status                   int
			code, field              string
		}{
			{"lookup of nobody", "GET", "/api/v1/customers/lookup?phone=%2B79990001122", "", 404, "not_found", ""},
			{"lookup of nothing", "GET", "/api/v1/customers/lookup", "", 400, "invalid", "phone"},
			{"lookup of two", "GET", "/api/v1/customers/lookup?phone=89161234567&email=a@b.ru", "", 400, "invalid", "email"},
			{"lookup of a bad phone", "GET", "/api/v1/customers/lookup?phone=12", "", 400, "invalid", "phone"},
			{"invalid phone", "POST", "/api/v1/customers", `{"family_name":"Петров","identities":[{"kind":"phone","value":"12"}]}`, 400, "invalid", "identities[0].value"},
			{"invalid email", "POST", "/api/v1/customers", `{"family_name":"Петров","identities":[{"kind":"email","value":"petrov@"}]}`, 400, "invalid", "identities[0].value"},
			{"unknown field", "POST", "/api/v1/customers", `{"family_name":"Петров","nickname":"Петя"}`, 400, "invalid", "nickname"},
			{"wrong type", "POST", "/api/v1/customers", `{"family_name":7}`, 400, "invalid", "family_name"},
			{"nothing to find it by", "POST", "/api/v1/customers", `{"wish":"скидку"}`, 400, "invalid", "identities"},
			{"bad birth date", "POST", "/api/v1/customers", `{"family_name":"Петров","birth_date":"31.02.1990"}`, 400, "invalid", "birth_date"},
			{"oversized body", "POST", "/api/v1/customers", `{"family_name":"` + strings.Repeat("я", 600_000) + `"}`, 413, "too_large", ""},
			{"patch of nobody", "PATCH", "/api/v1/customers/nosuchcustomer", `{"wish":"x"}`, 404, "not_found", ""},
			{"read of nobody", "GET", "/api/v1/customers/nosuchcustomer", "", 404, "not_found", ""},
		} {
			res := e.agent.SendJSON(t, tc.method, tc.path, tc.body)
			wantAPIError(t, tc.name, res, tc.status, tc.code, tc.field)
		}
		if n := countCustomers(t, e.srv); n != before {
			t.Errorf("%d customers after refused requests, want %d", n, before)
		}
	})
}

// TestCustomersAPIList: cursor pages cover every customer exactly once,
// filters narrow them, and q searches names as people type them.
func TestCustomersAPIList(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newAPIEnv(t, db)
		const total = 120
		for i := range total {
			tag := ""
			if i%3 == 0 {
				tag = `,"tags":["VIP"]`
			}
			createCustomer(t, e.agent, fmt.Sprintf(`{"family_name":"Клиент%03d","identities":[{"kind":"email","value":"c%d@example.com"}]%s}`, i, i, tag))
		}
		korolev := createCustomer(t, e.agent, `{"family_name":"Королёв","given_name":"Пётр","identities":[{"kind":"phone","value":"+7 903 111-22-33"}]}`)

		collect := func(query string) []string {
			var ids []string
			cursor := ""
			for pages := 0; ; pages++ {
				if pages > 10 {
					t.Fatalf("%s: more than 10 pages", query)
				}
				page := decodeAPI[struct {
					Customers  []customer.Summary `json:"customers"`
					NextCursor string             `json:"next_cursor"`
				}](t, "list "+query, e.reader.Get(t, "/api/v1/customers?limit=50&"+query+"&cursor="+url.QueryEscape(cursor)), http.StatusOK)
				if len(page.Customers) > 50 {
					t.Fatalf("%s: page of %d, want at most 50", query, len(page.Customers))
				}
				for _, c := range page.Customers {
					ids = append(ids, c.PublicID)
				}
				if cursor = page.NextCursor; cursor == "" {
					return ids
				}
			}
		}
		for _, tc := range []struct {
			query string
			want  int
		}{
			{"", total + 1},
			{"tag=vip", total / 3},
			{"persona=standard", total + 1},
			{"persona=status", 0},
		} {
			ids := collect(tc.query)
			unique := slices.Compact(slices.Sorted(slices.Values(ids)))
			if len(ids) != tc.want || len(unique) != len(ids) {
				t.Errorf("list %q: %d customers (%d distinct), want %d", tc.query, len(ids), len(unique), tc.want)
			}
		}

		found := decodeAPI[struct {
			Customers []customer.Summary `json:"customers"`
		}](t, "search", e.reader.Get(t, "/api/v1/customers?q="+url.QueryEscape("петр королев")), http.StatusOK)
		if len(found.Customers) != 1 || found.Customers[0].PublicID != korolev.PublicID {
			t.Errorf("search for петр королев: %+v, want Королёв Пётр", found.Customers)
		}
		for _, tc := range []struct{ query, field string }{
			{"q=x&tag=vip", "tag"},
			{"cursor=!!", "cursor"},
			{"limit=0", "limit"},
			{"limit=501", "limit"},
			{"q=x&limit=101", "limit"},
			{"manager=nosuchuser", "manager"},
		} {
			wantAPIError(t, "list "+tc.query, e.reader.Get(t, "/api/v1/customers?"+tc.query), 400, "invalid", tc.field)
		}
	})
}

// TestCustomersAPIAttached: identities, facts, notes and consents, and the
// timeline that records them.
func TestCustomersAPIAttached(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newAPIEnv(t, db)
		anna := createCustomer(t, e.agent, `{"family_name":"Иванова","identities":[{"kind":"phone","value":"+79161234567"}]}`)
		other := createCustomer(t, e.agent, `{"family_name":"Петров","identities":[{"kind":"phone","value":"+79031112233"}]}`)
		base := "/api/v1/customers/" + anna.PublicID

		fact := decodeAPI[customer.Fact](t, "add fact", e.agent.SendJSON(t, "POST", base+"/facts", `{"kind":"hobby","text":"рыбалка","pinned":true}`), http.StatusCreated)
		if fact.ID == "" || fact.Text != "рыбалка" || !fact.Pinned || fact.CreatedBy != "token:test-agent" {
			t.Errorf("fact %+v", fact)
		}
		notes := decodeAPI[struct {
			Events []customer.Event `json:"events"`
		}](t, "add note", e.agent.SendJSON(t, "POST", base+"/notes", `{"text":"  просила перезвонить после 18:00 "}`), http.StatusCreated)
		if len(notes.Events) == 0 || notes.Events[0].Kind != customer.EventNote || notes.Events[0].Data.Text != "просила перезвонить после 18:00" {
			t.Errorf("events after the note %+v, want the note first", notes.Events)
		}
		card := decodeAPI[customer.Customer](t, "consent", e.agent.SendJSON(t, "POST", base+"/consents",
			`{"channel":"sms","purpose":"marketing","granted":true,"source":"звонок"}`), http.StatusOK)
		if len(card.Consents) != 1 || !card.Consents[0].Granted || card.Consents[0].Source != "звонок" {
			t.Errorf("consents %+v", card.Consents)
		}
		card = decodeAPI[customer.Customer](t, "add identity", e.agent.SendJSON(t, "POST", base+"/identities", `{"kind":"telegram","value":"@Anna_I"}`), http.StatusOK)
		if len(card.Identities) != 2 {
			t.Errorf("identities %+v, want the phone and the telegram handle", card.Identities)
		}

		// Pages of one event, newest first, each older than the last.
		var kinds []string
		before := ""
		for range 10 {
			page := decodeAPI[struct {
				Events     []customer.Event `json:"events"`
				NextBefore int64            `json:"next_before"`
			}](t, "timeline", e.reader.Get(t, base+"/timeline?limit=1"+before), http.StatusOK)
			for _, ev := range page.Events {
				kinds = append(kinds, ev.Kind)
			}
			if page.NextBefore == 0 {
				break
			}
			before = fmt.Sprintf("&before=%d", page.NextBefore)
		}
		want := []string{customer.EventIdentityAdded, customer.EventConsent, customer.EventNote, customer.EventFactAdded, customer.EventCreated}
		if !slices.Equal(kinds, want) {
			t.Errorf("timeline %v, want %v", kinds, want)
		}

		card = decodeAPI[customer.Customer](t, "delete fact", e.agent.SendJSON(t, "DELETE", base+"/facts/"+fact.ID, ""), http.StatusOK)
		if len(card.Facts) != 0 {
			t.Errorf("facts after delete %+v", card.Facts)
		}
		card = decodeAPI[customer.Customer](t, "remove identity by query", e.agent.SendJSON(t, "DELETE", base+"/identities?kind=telegram&value=anna_i", ""), http.StatusOK)
		if len(card.Identities) != 1 {
			t.Errorf("identities after removing telegram %+v", card.Identities)
		}
		card = decodeAPI[customer.Customer](t, "remove identity by body", e.agent.SendJSON(t, "DELETE", base+"/identities", `{"kind":"phone","value":"8 916 123-45-67"}`), http.StatusOK)
		if len(card.Identities) != 0 {
			t.Errorf("identities after removing the phone %+v", card.Identities)
		}

		for _, tc := range []struct {
			name, method, path, body string
			status                   int
			code, field              string
		}{
			{"fact twice deleted", "DELETE", base + "/facts/" + fact.ID, "", 404, "not_found", ""},
			{"fact of another card", "DELETE", "/api/v1/customers/" + other.PublicID + "/facts/" + fact.ID, "", 404, "not_found", ""},
			{"empty fact", "POST", base + "/facts", `{"kind":"hobby","text":" "}`, 400, "invalid", "text"},
			{"empty note", "POST", base + "/notes", `{"text":""}`, 400, "invalid", "text"},
			{"consent without source", "POST", base + "/consents", `{"channel":"sms","purpose":"marketing","granted":true}`, 400, "invalid", "source"},
			{"consent on a pigeon", "POST", base + "/consents", `{"channel":"pigeon","purpose":"marketing","source":"x"}`, 400, "invalid", "channel"},
			{"bad phone", "POST", base + "/identities", `{"kind":"phone","value":"12"}`, 400, "invalid", "value"},
			{"bad kind", "POST", base + "/identities", `{"kind":"fax","value":"12"}`, 400, "invalid", "kind"},
			{"another's phone", "POST", base + "/identities", `{"kind":"phone","value":"8 903 111 22 33"}`, 409, "conflict", "phone"},
			{"remove a bad phone", "DELETE", base + "/identities?kind=phone&value=12", "", 400, "invalid", "value"},
			{"remove a phone not on the card", "DELETE", base + "/identities?kind=phone&value=89031112233", "", 404, "not_found", ""},
			{"timeline limit", "GET", base + "/timeline?limit=501", "", 400, "invalid", "limit"},
			{"timeline of nobody", "GET", "/api/v1/customers/nosuchcustomer/timeline", "", 404, "not_found", ""},
		} {
			wantAPIError(t, tc.name, e.agent.SendJSON(t, tc.method, tc.path, tc.body), tc.status, tc.code, tc.field)
		}
		if got, _ := e.srv.Customers.Get(context.Background(), other.PublicID); got == nil || len(got.Identities) != 1 {
			t.Errorf("the other card changed: %+v", got)
		}
	})
}

// TestCustomersAPIAttributesAndPersonas: admins define attributes, which
// cards then take and check.
func TestCustomersAPIAttributesAndPersonas(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newAPIEnv(t, db)
		def := `{"key":"branch","label_ru":"Отделение","label_en":"Branch","type":"choice","choices":["Тверская","Арбат"]}`
		wantStatus(t, "agent defining", e.agent.SendJSON(t, "POST", "/api/v1/attributes", def), http.StatusForbidden)
		got := decodeAPI[customer.AttributeDef](t, "define", e.admin.SendJSON(t, "POST", "/api/v1/attributes", def), http.StatusOK)
		if got.Key != "branch" || len(got.Choices) != 2 {
			t.Errorf("defined %+v", got)
		}
		wantAPIError(t, "bad key", e.admin.SendJSON(t, "POST", "/api/v1/attributes", `{"key":"Branch!","label_ru":"x","type":"text"}`), 400, "invalid", "key")
		list := decodeAPI[struct {
			Attributes []customer.AttributeDef `json:"attributes"`
		}](t, "attributes", e.reader.Get(t, "/api/v1/attributes"), http.StatusOK)
		if len(list.Attributes) != 1 || list.Attributes[0].Key != "branch" {
			t.Errorf("attributes %+v", list.Attributes)
		}
		c := createCustomer(t, e.agent, `{"family_name":"Орлов","attributes":{"branch":"Арбат"}}`)
		if c.Attributes["branch"] != "Арбат" {
			t.Errorf("attributes %+v", c.Attributes)
		}
		wantAPIError(t, "not a choice", e.agent.SendJSON(t, "POST", "/api/v1/customers", `{"family_name":"Орлов","attributes":{"branch":"Луна"}}`), 400, "invalid", "attributes.branch")
		wantAPIError(t, "undefined attribute", e.agent.SendJSON(t, "POST", "/api/v1/customers", `{"family_name":"Орлов","attributes":{"shoe":"42"}}`), 400, "invalid", "attributes.shoe")

		personas := decodeAPI[struct {
			Personas []customer.Persona `json:"personas"`
		}](t, "personas", e.reader.Get(t, "/api/v1/personas"), http.StatusOK)
		if !slices.ContainsFunc(personas.Personas, func(p customer.Persona) bool { return p.Key == "status" && p.GuidanceDo != "" }) {
			t.Errorf("personas %+v, want status with guidance", personas.Personas)
		}
	})
}

// TestCustomersAPIAccess: tokens act within their scopes, sessions need the
// CSRF header to change anything, and nobody gets in anonymously.
func TestCustomersAPIAccess(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newAPIEnv(t, db)
		anna := createCustomer(t, e.agent, `{"family_name":"Иванова","identities":[{"kind":"phone","value":"+79161234567"}]}`)
		read := "/api/v1/customers/" + anna.PublicID
		write := `{"family_name":"Смирнова"}`

		wantStatus(t, "read token reading", e.reader.Get(t, read), http.StatusOK)
		wantAPIError(t, "read token writing", e.reader.SendJSON(t, "POST", "/api/v1/customers", write), 403, "forbidden", "")
		wantAPIError(t, "read token patching", e.reader.SendJSON(t, "PATCH", read, write), 403, "forbidden", "")
		wantStatus(t, "write token reading", e.agent.Get(t, read), http.StatusOK)

		anon := e.srv.Anonymous().Get(t, read)
		wantAPIError(t, "anonymous", anon, 401, "unauthorized", "")
		if anon.Header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
		user := e.srv.CreateUser(t, "leaver", webtest.Password, vernost.RoleAgent)
		leaver := e.srv.CreateToken(t, user, auth.ScopeCustomersRead)
		tokens, err := e.srv.Auth.ListTokens(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range tokens {
			if tok.UserID == user.ID {
				if err := e.srv.Auth.RevokeToken(vernost.WithActor(context.Background(), vernost.System), tok.PublicID); err != nil {
					t.Fatal(err)
				}
			}
		}
		wantAPIError(t, "revoked token", leaver.Get(t, read), 401, "unauthorized", "")

		session := e.srv.SignIn(t, "agent", webtest.Password)
		wantStatus(t, "session reading", session.Get(t, read), http.StatusOK)
		wantStatus(t, "session patching with the CSRF header", session.SendJSON(t, "PATCH", read, write), http.StatusOK)
		noCSRF := *session
		noCSRF.CSRF = ""
		wantStatus(t, "session patching without it", noCSRF.SendJSON(t, "PATCH", read, `{"family_name":"Козлова"}`), http.StatusForbidden)
		if got, _ := e.srv.Customers.Get(context.Background(), anna.PublicID); got.FamilyName != "Смирнова" {
			t.Errorf("family name %q, want Смирнова (the refused patch must change nothing)", got.FamilyName)
		}
	})
}

// TestCustomersAPIDocumented: the customer types appear in the OpenAPI
// document as strictly as the decoder reads them.
func TestCustomersAPIDocumented(t *testing.T) {
	srv := webtest.StartServer(t)
	doc, _ := fetchOpenAPI(t, srv)
	for _, name := range []string{"Customer", "Input", "SavedCustomer", "CustomerPage", "Timeline", "ImportJob", "ImportReport", "MergeRequest", "PersonalData"} {
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("components.schemas lacks %s", name)
		}
	}
	var input struct {
		Required             []string       `json:"required"`
		Properties           map[string]any `json:"properties"`
		AdditionalProperties *bool          `json:"additionalProperties"`
	}
	if err := json.Unmarshal(doc.Components.Schemas["Input"], &input); err != nil {
		t.Fatal(err)
	}
	if len(input.Required) != 0 || input.Properties["identities"] == nil || input.AdditionalProperties == nil || *input.AdditionalProperties {
		t.Errorf("Input schema: required %v, additionalProperties %v; want every field optional and no others", input.Required, input.AdditionalProperties)
	}
	var lookup openAPIOperation
	if err := json.Unmarshal(doc.Paths["/api/v1/customers/lookup"]["get"], &lookup); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range lookup.Parameters {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "phone,email,telegram,whatsapp,vk,external" {
		t.Errorf("lookup parameters %v", names)
	}
}
