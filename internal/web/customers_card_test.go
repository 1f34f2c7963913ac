package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// TestCustomerCardActions: every form on the card changes what it says and
// shows on the timeline; a refused form comes back with its message beside
// it and what was typed.
func TestCustomerCardActions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		cs := startCustomerSite(t, db)
		c := cs.create(t, customer.Input{FamilyName: ptr("Фёдорова"), GivenName: ptr("Алёна"),
			Identities: []customer.IdentityInput{{Kind: "phone", Value: "+79161234567"}, {Kind: "email", Value: "alena@example.ru"}}})
		base := "/customers/" + c.PublicID
		ctx := context.Background()

		_, card := postAndFollow(t, cs.agent, base+"/facts", url.Values{"kind": {"hobby"}, "text": {"любит рыбалку"}})
		bodyHas(t, "card after a fact", card.Body, "Факт добавлен.", `<span class="kind">Хобби</span> <span class="text">любит рыбалку</span>`,
			"Новый факт", "Хобби: любит рыбалку")
		got, _ := cs.srv.Customers.Get(ctx, c.PublicID)
		if len(got.Facts) != 1 {
			t.Fatalf("facts stored: %+v, want one", got.Facts)
		}
		fact := got.Facts[0]

		res := cs.agent.PostForm(t, base+"/facts", url.Values{"kind": {"family"}, "text": {"   "}})
		if res.Status != http.StatusBadRequest {
			t.Errorf("empty fact: %d, want 400", res.Status)
		}
		bodyHas(t, "empty fact", res.Body, `<strong>Текст</strong>: is required</p>`, `<option value="family" selected>`)

		postAndFollow(t, cs.agent, base+"/facts", url.Values{"kind": {"family"}, "text": {"дочь Маша, 7 лет"}})
		_, card = postAndFollow(t, cs.agent, base+"/facts/"+fact.ID+"/pin", url.Values{"pinned": {"true"}})
		facts := regexp.MustCompile(`<span class="text">([^<]*)</span>`).FindAllStringSubmatch(card.Body, -1)
		if len(facts) != 2 || facts[0][1] != "любит рыбалку" {
			t.Errorf("facts after pinning the older one: %q, want it first", facts)
		}
		_, card = postAndFollow(t, cs.agent, base+"/facts/"+fact.ID+"/delete", nil)
		bodyHas(t, "card after deleting a fact", card.Body, "Факт удалён.", "Удалён факт")
		if got, _ := cs.srv.Customers.Get(ctx, c.PublicID); len(got.Facts) != 1 || got.Facts[0].Text != "дочь Маша, 7 лет" {
			t.Errorf("facts after delete: %+v", got.Facts)
		}
		if res := cs.agent.PostForm(t, base+"/facts/nosuchfact/delete", nil); res.Status != http.StatusNotFound {
			t.Errorf("deleting a fact that is not there: %d, want 404", res.Status)
		}

		_, card = postAndFollow(t, cs.agent, base+"/notes", url.Values{"text": {"Просила перезвонить в пятницу"}})
		bodyHas(t, "card after a note", card.Body, "Заметка добавлена.", "Просила перезвонить в пятницу")

		res = cs.agent.PostForm(t, base+"/consents", url.Values{"channel": {"sms"}, "purpose": {"marketing"}, "granted": {"true"}, "source": {""}})
		if res.Status != http.StatusBadRequest {
			t.Errorf("consent without a source: %d, want 400", res.Status)
		}
		bodyHas(t, "consent without a source", res.Body, "<strong>Источник</strong>: is required", `<option value="sms" selected>`, `<details open>`)
		_, card = postAndFollow(t, cs.agent, base+"/consents", url.Values{"channel": {"sms"}, "purpose": {"marketing"}, "granted": {"false"}, "source": {"звонок"}})
		bodyHas(t, "card after a consent", card.Body, "Согласие записано.", `<li class="consent withdrawn">`, "SMS, реклама и рассылки: отозвано (источник: звонок)")

		_, card = postAndFollow(t, cs.agent, base+"/tags", url.Values{"tags": {"VIP, постоянный"}})
		bodyHas(t, "card after tags", card.Body, `<li class="tag">vip`, `<li class="tag">постоянный`, "Добавлены: vip, постоянный")
		_, card = postAndFollow(t, cs.agent, base+"/tags/remove", url.Values{"tag": {"vip"}})
		bodyLacks(t, "card after removing a tag", card.Body, `<li class="tag">vip`)
		bodyHas(t, "card after removing a tag", card.Body, "Снята: vip")
		if res := cs.agent.PostForm(t, base+"/tags", url.Values{"tags": {" , "}}); res.Status != http.StatusBadRequest {
			t.Errorf("no tag: %d, want 400", res.Status)
		}

		_, card = postAndFollow(t, cs.agent, base+"/identities/remove", url.Values{"kind": {"email"}, "value": {"alena@example.ru"}})
		bodyHas(t, "card after removing the email", card.Body, "Контакт удалён.", "Удалён контакт", "E-mail: alena@example.ru")
		if got, _ := cs.srv.Customers.Get(ctx, c.PublicID); len(got.Identities) != 1 {
			t.Errorf("identities after removal: %+v", got.Identities)
		}

		// The timeline reads newest first.
		tl := card.Body[strings.Index(card.Body, `id="timeline-list"`):]
		order := []string{"Удалён контакт", "Снята: vip", "Согласие", "Заметка", "Удалён факт", "Новый факт", "Карточка создана"}
		at := 0
		for _, want := range order {
			i := strings.Index(tl[at:], want)
			if i < 0 {
				t.Errorf("timeline lacks %q after the entries before it:\n%s", want, tl)
				break
			}
			at += i
		}
	})
}

// TestCustomerRolesOnTheCard: what each role is offered on the card and
// what the server lets it do.
func TestCustomerRolesOnTheCard(t *testing.T) {
	cs := startCustomerSite(t, sqldbtest.SQLite(t))
	c := cs.create(t, customer.Input{FamilyName: ptr("Петров"), GivenName: ptr("Пётр"), Identities: []customer.IdentityInput{{Kind: "phone", Value: "+79031112233"}}})
	base := "/customers/" + c.PublicID
	agentCard := cs.agent.Get(t, base).Body
	bodyLacks(t, "agent's card", agentCard, `id="export-customer"`, `id="erase-form"`)
	adminCard := cs.admin.Get(t, base).Body
	bodyHas(t, "admin's card", adminCard, `id="export-customer"`, `id="erase-form"`)
	for _, tt := range []struct {
		method, path string
	}{{"GET", base + "/export"}, {"POST", base + "/erase"}, {"GET", "/duplicates"}, {"GET", "/merge?a=x&b=y"}} {
		var res int
		if tt.method == "GET" {
			res = cs.agent.Get(t, tt.path).Status
		} else {
			res = cs.agent.PostForm(t, tt.path, url.Values{"reason": {"x"}, "confirm": {"yes"}}).Status
		}
		if res != http.StatusForbidden {
			t.Errorf("agent %s %s: %d, want 403", tt.method, tt.path, res)
		}
	}
	if got, _ := cs.srv.Customers.Get(context.Background(), c.PublicID); got.Erased {
		t.Error("an agent erased a customer")
	}
}

func TestCustomerExportAndErase(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		cs := startCustomerSite(t, db)
		c := cs.create(t, customer.Input{FamilyName: ptr("Сидорова"), GivenName: ptr("Мария"), Wish: ptr("скидка на день рождения"),
			Identities: []customer.IdentityInput{{Kind: "phone", Value: "+79035556677"}}})
		base := "/customers/" + c.PublicID
		ctx := context.Background()

		res := cs.admin.Get(t, base+"/export")
		if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") ||
			!strings.Contains(res.Header.Get("Content-Disposition"), `attachment; filename="customer-`+c.PublicID+`.json"`) {
			t.Fatalf("export: %d %q %q", res.Status, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
		}
		var data customer.PersonalData
		if err := json.Unmarshal([]byte(res.Body), &data); err != nil {
			t.Fatalf("export is not JSON: %v", err)
		}
		if data.Customer == nil || data.Customer.FamilyName != "Сидорова" || len(data.Customer.Identities) != 1 || len(data.Timeline) == 0 {
			t.Errorf("export holds %+v, want the card with its identity and timeline", data)
		}

		// Erasure needs the box ticked and a reason.
		res = cs.admin.PostForm(t, base+"/erase", url.Values{"reason": {"просьба клиента"}})
		if res.Status != http.StatusBadRequest {
			t.Errorf("erase without confirmation: %d, want 400", res.Status)
		}
		bodyHas(t, "erase without confirmation", res.Body, "tick the box", `value="просьба клиента"`)
		res = cs.admin.PostForm(t, base+"/erase", url.Values{"reason": {" "}, "confirm": {"yes"}})
		if res.Status != http.StatusBadRequest {
			t.Errorf("erase without a reason: %d, want 400", res.Status)
		}
		bodyHas(t, "erase without a reason", res.Body, "<strong>Причина</strong>:")
		if got, _ := cs.srv.Customers.Get(ctx, c.PublicID); got.Erased || got.FamilyName != "Сидорова" {
			t.Fatalf("refused erasures changed the card: %+v", got)
		}

		_, card := postAndFollow(t, cs.admin, base+"/erase", url.Values{"reason": {"просьба клиента"}, "confirm": {"yes"}})
		bodyHas(t, "erased card", card.Body, "Персональные данные удалены.", `id="erased"`, "Причина: просьба клиента")
		bodyLacks(t, "erased card", card.Body, "Сидорова", "+7 903", "скидка на день рождения", `id="edit-customer"`, `id="erase-form"`,
			`id="fact-form"`, `id="note-form"`, `id="consent-form"`, `id="tag-form"`)
		for _, action := range []string{"customer.export", "customer.erase"} {
			entries, err := cs.srv.Audit.List(ctx, audit.Filter{Action: action, ObjectType: "customer", ObjectID: c.PublicID})
			if err != nil || len(entries) != 1 || entries[0].ActorName != "admin" {
				t.Errorf("audit %s: %+v (%v), want one entry by admin", action, entries, err)
			}
		}
	})
}
