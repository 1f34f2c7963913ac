package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
	"github.com/vernost/vernost/internal/web"
	"github.com/vernost/vernost/internal/web/webtest"
)

// customerSite is a server with a signed-in user of every role.
type customerSite struct {
	srv   *webtest.Server
	agent *webtest.Client
	super *webtest.Client
	admin *webtest.Client
}

func startCustomerSite(t *testing.T, db *sqldb.DB) customerSite {
	t.Helper()
	srv := webtest.StartServerOn(t, db, web.Config{})
	for _, role := range roles {
		srv.CreateUser(t, string(role), webtest.Password, role)
	}
	return customerSite{
		srv:   srv,
		agent: srv.SignIn(t, "agent", webtest.Password),
		super: srv.SignIn(t, "supervisor", webtest.Password),
		admin: srv.SignIn(t, "admin", webtest.Password),
	}
}

// create stores a customer through the service, as the system.
func (cs customerSite) create(t *testing.T, in customer.Input) *customer.Customer {
	t.Helper()
	ctx := vernost.WithActor(context.Background(), vernost.System)
	c, _, err := cs.srv.Customers.Create(ctx, in)
	if err != nil {
		t.Fatalf("create %+v: %v", in, err)
	}
	return c
}

// follow posts form to path, wants a redirect and returns the page it
// leads to.
func postAndFollow(t *testing.T, c *webtest.Client, path string, form url.Values) (string, webtest.Response) {
	t.Helper()
	res := c.PostForm(t, path, form)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("POST %s: %d, want 303:\n%.2000s", path, res.Status, res.Body)
	}
	loc := res.Header.Get("Location")
	return loc, c.Get(t, loc)
}

// bodyHas checks a page for texts, read as a browser shows them (html/template
// writes "+7" as "&#43;7").
func bodyHas(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	body = html.UnescapeString(body)
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func bodyLacks(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("%s shows %q", what, w)
		}
	}
}

// fieldError returns the message shown right after the input named name,
// or "" when there is none.
func fieldErrorIn(body, name string) string {
	re := regexp.MustCompile(`(?s)name="` + regexp.QuoteMeta(name) + `"[^>]*>\s*(?:<datalist.*?</datalist>\s*)?<p class="field-error" role="alert">([^<]*)</p>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func TestCustomerFormShowsFieldErrors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		cs := startCustomerSite(t, db)
		form := url.Values{
			"family_name": {"Иванова"}, "given_name": {"Анна"}, "patronymic": {""},
			"birth_date": {"31.02.1990"}, "quiet_from": {"25:00"}, "time_zone": {"Mars/Olympus"},
			"persona": {"standard"}, "address_form": {"formal"}, "language": {"ru"},
			"identity_kind": {"phone", "email"}, "identity_value": {"12", "anna@"},
		}
		res := cs.agent.PostForm(t, "/customers", form)
		if res.Status != http.StatusBadRequest {
			t.Fatalf("create with bad fields: %d, want 400:\n%.1500s", res.Status, res.Body)
		}
		for _, tt := range []struct{ name, want string }{
			{"birth_date", "date"},
			{"quiet_from", "HH:MM"},
			{"time_zone", "Mars/Olympus"},
		} {
			if got := fieldErrorIn(res.Body, tt.name); !strings.Contains(got, tt.want) {
				t.Errorf("error beside %s = %q, want one mentioning %q", tt.name, got, tt.want)
			}
		}
		rows := regexp.MustCompile(`(?s)name="identity_value" value="([^"]*)"[^>]*>\s*(<p class="field-error" role="alert">[^<]+</p>)?`).FindAllStringSubmatch(res.Body, -1)
		if len(rows) < 2 || rows[0][1] != "12" || rows[0][2] == "" || rows[1][1] != "anna@" || rows[1][2] == "" {
			t.Errorf("identity rows: %q, want both typed values kept, each with its error", rows)
		}
		bodyHas(t, "refused form", res.Body, `value="Иванова"`, `value="Анна"`, `value="31.02.1990"`, "Исправьте отмеченные поля")
		if n, err := cs.srv.Customers.Count(context.Background()); err != nil || n != 0 {
			t.Errorf("customers after a refused form: %d (%v), want 0", n, err)
		}

		res = cs.agent.PostForm(t, "/customers", url.Values{"family_name": {""}, "given_name": {""}, "quiet_to": {"7"}})
		if res.Status != http.StatusBadRequest {
			t.Fatalf("empty card: %d, want 400", res.Status)
		}
		if got := fieldErrorIn(res.Body, "family_name"); !strings.Contains(got, "name or at least one phone") {
			t.Errorf("empty card: error beside family_name = %q, want the name-or-contact rule", got)
		}
		if got := fieldErrorIn(res.Body, "quiet_to"); !strings.Contains(got, "HH:MM") {
			t.Errorf("empty card: error beside quiet_to = %q, want the service's check too", got)
		}
	})
}

func TestCustomerCreateAndEdit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		cs := startCustomerSite(t, db)
		loc, card := postAndFollow(t, cs.agent, "/customers", url.Values{
			"family_name": {"Елизарова"}, "given_name": {"Анна"}, "patronymic": {"Сергеевна"},
			"pronunciation": {"ЕлИзарова"}, "persona": {"status"}, "address_form": {"formal"},
			"birth_date": {"1980-05-17"}, "preferred_channel": {"telegram"}, "language": {"ru"},
			"quiet_from": {"22:00"}, "quiet_to": {"08:00"}, "time_zone": {"Europe/Moscow"},
			"identity_kind": {"phone", "email"}, "identity_value": {"8 (916) 123-45-67", "Anna@Example.ru"},
			"tags": {"vip, Москва"}, "wish": {"Звонить только после обеда"},
		})
		id := strings.TrimPrefix(strings.Split(loc, "?")[0], "/customers/")
		if !strings.HasSuffix(loc, "?ok=customer_created") {
			t.Errorf("after create: Location %q, want the card with the created notice", loc)
		}
		bodyHas(t, "new card", card.Body, "Клиент создан.", "Елизарова Анна Сергеевна", "+7 916 123-45-67",
			`title="8 (916) 123-45-67"`, "anna@example.ru", "vip", "москва", "Звонить только после обеда", "22:00–08:00")

		edit := cs.agent.Get(t, "/customers/"+id+"/edit")
		if edit.Status != http.StatusOK {
			t.Fatalf("edit form: %d", edit.Status)
		}
		bodyHas(t, "edit form", edit.Body, `name="version" value="1"`, `value="Елизарова"`, `value="1980-05-17"`,
			`<option value="status" selected>`, `<option value="telegram" selected>`)

		form := url.Values{"version": {"1"}, "family_name": {"Елизарова"}, "given_name": {"Алёна"}, "patronymic": {"Сергеевна"},
			"pronunciation": {"ЕлИзарова"}, "persona": {"status"}, "address_form": {"informal"}, "birth_date": {"1980-05-17"},
			"preferred_channel": {"telegram"}, "language": {"ru"}, "quiet_from": {""}, "quiet_to": {""}, "time_zone": {"Europe/Moscow"},
			"identity_kind": {"phone"}, "identity_value": {"+7 903 000-11-22"}, "wish": {""}}
		_, card = postAndFollow(t, cs.agent, "/customers/"+id, form)
		bodyHas(t, "edited card", card.Body, "Карточка сохранена.", "Елизарова Алёна Сергеевна", "+7 903 000-11-22", "+7 916 123-45-67",
			"Имя: Анна → Алёна", "Форма обращения: на «вы» → на «ты»", "Не беспокоить с: 22:00 → —")
		bodyLacks(t, "edited card", card.Body, `id="wish"`)

		// The same form again carries a version that is now stale.
		form.Set("given_name", "Анастасия")
		res := cs.agent.PostForm(t, "/customers/"+id, form)
		if res.Status != http.StatusConflict {
			t.Fatalf("stale edit: %d, want 409", res.Status)
		}
		bodyHas(t, "stale edit", res.Body, "someone else changed this card", `value="Анастасия"`, `href="/customers/`+id+`/edit"`)
		got, err := cs.srv.Customers.Get(context.Background(), id)
		if err != nil || got.GivenName != "Алёна" {
			t.Errorf("after the stale edit the card says %q (%v), want Алёна kept", got.GivenName, err)
		}
	})
}

func TestCustomerCardShowsHowToTalk(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		cs := startCustomerSite(t, db)
		c := cs.create(t, customer.Input{FamilyName: ptr("Елизарова"), GivenName: ptr("Анна"), Patronymic: ptr("Сергеевна"),
			Pronunciation: ptr("ЕлИзарова"), Persona: ptr("status"), PreferredChannel: ptr("email"),
			Identities: []customer.IdentityInput{{Kind: "phone", Value: "+79161234567"}}})
		res := cs.agent.Get(t, "/customers/"+c.PublicID)
		if res.Status != http.StatusOK {
			t.Fatalf("card: %d", res.Status)
		}
		bodyHas(t, "card", res.Body, `id="pronunciation"`, "ЕлИзарова", `id="customer-address">Анна Сергеевна`, "на «вы»",
			"Ценит уважение и статус", "Обращайтесь по имени и отчеству", "Не фамильярничайте", "E-mail")
		bodyLacks(t, "Russian card", res.Body, "Acknowledge their status", "No familiarity")

		// The guidance follows the interface language.
		if r := cs.agent.PostForm(t, "/lang", url.Values{"lang": {"en"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("switch language: %d", r.Status)
		}
		res = cs.agent.Get(t, "/customers/"+c.PublicID)
		bodyHas(t, "English card", res.Body, "Values respect and status", "Use name and patronymic", "No familiarity", "Pronunciation")
		bodyLacks(t, "English card", res.Body, "Обращайтесь по имени")

		// Every showing of the card is in the audit log.
		views, err := cs.srv.Audit.List(context.Background(), audit.Filter{Action: "customer.view", ObjectType: "customer", ObjectID: c.PublicID})
		if err != nil || len(views) != 2 || views[0].ActorName != "agent" {
			t.Errorf("audit of card views: %+v (%v), want 2 by agent", views, err)
		}
	})
}

func TestCustomerPagesEscapeNames(t *testing.T) {
	cs := startCustomerSite(t, sqldbtest.SQLite(t))
	const evil = `<script>alert(1)</script>`
	c := cs.create(t, customer.Input{FamilyName: ptr(evil), GivenName: ptr(`"><img src=x onerror=alert(2)>`),
		Pronunciation: ptr(evil), BirthDate: ptr("1990-01-01"),
		Identities: []customer.IdentityInput{{Kind: "phone", Value: "+79161234567"}}})
	cs.create(t, customer.Input{FamilyName: ptr(evil), GivenName: ptr(`"><img src=x onerror=alert(2)>`), BirthDate: ptr("1990-01-01")})
	if err := cs.srv.Customers.AddNote(vernost.WithActor(context.Background(), vernost.System), c.PublicID, evil); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/customers/" + c.PublicID, "/customers/" + c.PublicID + "/edit", "/customers?q=script",
		"/customers/search?q=script", "/customers", "/duplicates"} {
		res := cs.super.Get(t, path)
		if res.Status != http.StatusOK {
			t.Errorf("%s: %d", path, res.Status)
			continue
		}
		bodyLacks(t, path, res.Body, "<script>alert", "<img src=x")
		if !strings.Contains(res.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the name, escaped", path)
		}
	}
	// The query typed into the search box is escaped too.
	res := cs.agent.Get(t, "/customers?q="+url.QueryEscape(`<b>нет такого</b>`))
	bodyLacks(t, "search for markup", res.Body, "<b>нет такого</b>")
	if !strings.Contains(res.Body, "&lt;b&gt;нет такого&lt;/b&gt;") {
		t.Errorf("search for markup does not show the query, escaped")
	}
}

func TestCustomerSearchAndList(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		cs := startCustomerSite(t, db)
		cs.create(t, customer.Input{FamilyName: ptr("Фёдорова"), GivenName: ptr("Алёна"), Patronymic: ptr("Сергеевна"),
			Identities: []customer.IdentityInput{{Kind: "phone", Value: "+79161234567"}}, Tags: []string{"vip"}})
		cs.create(t, customer.Input{FamilyName: ptr("Фролов"), GivenName: ptr("Алексей"), Persona: ptr("digital")})
		tests := []struct {
			path       string
			want, nots []string
		}{
			{"/customers/search?q=" + url.QueryEscape("федорова ал"), []string{"Фёдорова Алёна Сергеевна"}, []string{"Фролов", "<html"}},
			{"/customers/search?q=" + url.QueryEscape("8 916 123 45 67"), []string{"Фёдорова", "+7 916 123-45-67"}, []string{"Фролов"}},
			{"/customers/search?q=" + url.QueryEscape("Ф"), []string{"Фёдорова", "Фролов"}, nil},
			{"/customers/search?q=" + url.QueryEscape("Петров"), []string{"По запросу «Петров» никого не нашли."}, []string{"Фролов"}},
			{"/customers?q=" + url.QueryEscape("федорова"), []string{"<html", `value="федорова"`, "Фёдорова"}, []string{"Фролов"}},
			{"/customers?tag=VIP", []string{"Фёдорова"}, []string{"Фролов"}},
			{"/customers?persona=digital", []string{"Фролов", "Молодой и цифровой"}, []string{"Фёдорова"}},
			{"/customers", []string{"Фёдорова", "Фролов", `href="/customers/new"`}, []string{"customers-next"}},
		}
		for _, tt := range tests {
			res := cs.agent.Get(t, tt.path)
			if res.Status != http.StatusOK {
				t.Errorf("%s: %d", tt.path, res.Status)
				continue
			}
			bodyHas(t, tt.path, res.Body, tt.want...)
			bodyLacks(t, tt.path, res.Body, tt.nots...)
		}
		if res := cs.agent.Get(t, "/customers?cursor=%21%21"); res.Status != http.StatusBadRequest {
			t.Errorf("bad cursor: %d, want 400", res.Status)
		}
	})
}

func TestCustomerListPages(t *testing.T) {
	cs := startCustomerSite(t, sqldbtest.SQLite(t))
	const n = 53 // more than one page of 50
	for i := range n {
		cs.create(t, customer.Input{FamilyName: ptr("Клиент"), GivenName: ptr(strings.Repeat("я", i+1))})
	}
	seen := 0
	next := "/customers"
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("the list does not end")
		}
		res := cs.agent.Get(t, next)
		seen += strings.Count(res.Body, `class="customer-link"`)
		m := regexp.MustCompile(`href="([^"]*)" id="customers-next"`).FindStringSubmatch(res.Body)
		next = ""
		if m != nil {
			next = html.UnescapeString(m[1])
		}
	}
	if seen != n {
		t.Errorf("paging showed %d customers, want %d", seen, n)
	}
}

func TestHomeIsCustomerSearch(t *testing.T) {
	cs := startCustomerSite(t, sqldbtest.SQLite(t))
	for _, c := range []*webtest.Client{cs.agent, cs.super, cs.admin} {
		if res := c.Get(t, "/"); res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/customers" {
			t.Errorf("home: %d to %q, want 303 to /customers", res.Status, res.Header.Get("Location"))
		}
	}
	menu := cs.agent.Get(t, "/customers").Body
	bodyHas(t, "agent menu", menu, `href="/customers" aria-current="page"`)
	bodyLacks(t, "agent menu", menu, `href="/duplicates"`, `href="/import"`)
	bodyHas(t, "supervisor menu", cs.super.Get(t, "/customers").Body, `href="/duplicates"`)
}
