package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// twins creates two cards of one person: same name and birth date, a
// phone each, and a field where they disagree.
func twins(t *testing.T, cs customerSite) (*customer.Customer, *customer.Customer) {
	t.Helper()
	a := cs.create(t, customer.Input{FamilyName: ptr("Фёдорова"), GivenName: ptr("Алёна"), Patronymic: ptr("Сергеевна"),
		BirthDate: ptr("1985-03-08"), Pronunciation: ptr("ФЁдорова"),
		Identities: []customer.IdentityInput{{Kind: "phone", Value: "+79161234567"}}, Tags: []string{"vip"}})
	b := cs.create(t, customer.Input{FamilyName: ptr("Федорова"), GivenName: ptr("Алена"), BirthDate: ptr("1985-03-08"),
		PreferredChannel: ptr("sms"), Identities: []customer.IdentityInput{{Kind: "phone", Value: "+79037654321"}},
		Facts: []customer.FactInput{{Kind: "hobby", Text: "вышивка"}}})
	return a, b
}

func TestDuplicatesMergeAndUndo(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		cs := startCustomerSite(t, db)
		a, b := twins(t, cs)
		ctx := context.Background()

		dups := cs.super.Get(t, "/duplicates")
		if dups.Status != http.StatusOK {
			t.Fatalf("/duplicates: %d", dups.Status)
		}
		bodyHas(t, "duplicates", dups.Body, "Фёдорова Алёна Сергеевна", "Федорова Алена", "Одно имя и дата рождения")
		m := regexp.MustCompile(`href="(/merge\?[^"]+)"`).FindStringSubmatch(dups.Body)
		if m == nil {
			t.Fatalf("duplicates page has no compare link:\n%s", dups.Body)
		}
		compare := html.UnescapeString(m[1])

		page := cs.super.Get(t, compare)
		if page.Status != http.StatusOK {
			t.Fatalf("%s: %d", compare, page.Status)
		}
		// The differing fields each get a choice; equal ones do not.
		for _, f := range []string{"family_name", "given_name", "patronymic", "pronunciation", "preferred_channel"} {
			bodyHas(t, "merge screen", page.Body, `name="w.`+f+`"`)
		}
		bodyLacks(t, "merge screen", page.Body, `name="w.birth_date"`, `name="w.persona"`)
		bodyHas(t, "merge screen preview", page.Body, "+7 916 123-45-67", "+7 903 765-43-21")

		// Which card survives depends on the order on the duplicates page;
		// the test names them by what the screen says.
		survivor, absorbed := a, b
		if strings.Index(compare, b.PublicID) < strings.Index(compare, a.PublicID) {
			survivor, absorbed = b, a
		}
		form := url.Values{"a": {survivor.PublicID}, "b": {absorbed.PublicID}, "w.given_name": {"absorbed"}}
		res := cs.super.PostForm(t, "/merge/preview", form)
		if res.Status != http.StatusOK {
			t.Fatalf("preview: %d", res.Status)
		}
		preview := res.Body[strings.Index(res.Body, `id="merge-preview"`):]
		wantName := survivor.FamilyName + " " + absorbed.GivenName
		bodyHas(t, "preview with the absorbed given name", preview, wantName)
		bodyHas(t, "preview form", res.Body, `name="w.given_name" value="absorbed" checked`)
		if n, _ := cs.srv.Customers.Count(ctx); n != 2 {
			t.Errorf("a preview changed the customers: %d live, want 2", n)
		}

		loc, card := postAndFollow(t, cs.super, "/merge", form)
		if !strings.HasPrefix(loc, "/customers/"+survivor.PublicID+"?ok=merged") {
			t.Errorf("after merging: Location %q, want the survivor's card", loc)
		}
		bodyHas(t, "merged card", card.Body, "Карточки объединены.", wantName, "+7 916 123-45-67", "+7 903 765-43-21",
			"вышивка", "Объединение карточек", `id="merges"`, "Отменить объединение")
		if n, _ := cs.srv.Customers.Count(ctx); n != 1 {
			t.Errorf("live customers after the merge: %d, want 1", n)
		}
		if dups := cs.super.Get(t, "/duplicates"); !strings.Contains(dups.Body, "Похожих карточек не найдено.") {
			t.Errorf("the merged pair is still on the duplicates page")
		}
		// The absorbed card's address opens the survivor.
		bodyHas(t, "absorbed id", cs.agent.Get(t, "/customers/"+absorbed.PublicID).Body, `id="merged-from"`, "+7 903 765-43-21")

		merges, err := cs.srv.Customers.Merges(ctx, survivor.PublicID)
		if err != nil || len(merges) != 1 {
			t.Fatalf("merges: %+v (%v)", merges, err)
		}
		_, card = postAndFollow(t, cs.super, "/merges/"+merges[0].ID+"/undo", url.Values{"customer": {survivor.PublicID}})
		bodyHas(t, "card after undo", card.Body, "Объединение отменено.", survivor.FamilyName+" "+survivor.GivenName)
		bodyLacks(t, "card after undo", card.Body, "+7 903 765-43-21", "Отменить объединение</button>")
		if n, _ := cs.srv.Customers.Count(ctx); n != 2 {
			t.Errorf("live customers after undo: %d, want 2", n)
		}
		if res := cs.super.PostForm(t, "/merges/"+merges[0].ID+"/undo", nil); res.Status != http.StatusConflict {
			t.Errorf("undoing twice: %d, want 409", res.Status)
		}

		// "Not a duplicate" takes the pair off the list.
		res = cs.super.PostForm(t, "/duplicates/dismiss", url.Values{"a": {a.PublicID}, "b": {b.PublicID}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("dismiss: %d", res.Status)
		}
		dups = cs.super.Get(t, res.Header.Get("Location"))
		bodyHas(t, "duplicates after dismissing", dups.Body, "Пара отмечена как разные клиенты.", "Похожих карточек не найдено.")
	})
}

func TestMergeRefusals(t *testing.T) {
	cs := startCustomerSite(t, sqldbtest.SQLite(t))
	a, b := twins(t, cs)
	tests := []struct {
		name string
		form url.Values
		want int
		text string
	}{
		{"no pair", url.Values{}, http.StatusBadRequest, "choose the first customer"},
		{"the same card twice", url.Values{"a": {a.PublicID}, "b": {a.PublicID}}, http.StatusBadRequest, "cannot be merged with itself"},
		{"unknown card", url.Values{"a": {a.PublicID}, "b": {"nosuchcustomer"}}, http.StatusNotFound, "not found"},
		{"bad winner", url.Values{"a": {a.PublicID}, "b": {b.PublicID}, "w.given_name": {"both"}}, http.StatusBadRequest, "must be survivor or absorbed"},
	}
	for _, tt := range tests {
		res := cs.super.PostForm(t, "/merge", tt.form)
		if res.Status != tt.want || !strings.Contains(res.Body, tt.text) {
			t.Errorf("%s: %d, want %d with %q:\n%.600s", tt.name, res.Status, tt.want, tt.text, res.Body)
		}
	}
	if n, _ := cs.srv.Customers.Count(context.Background()); n != 2 {
		t.Errorf("refused merges changed the customers: %d live, want 2", n)
	}
}
