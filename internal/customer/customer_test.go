package customer_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/customer"
)

func TestCreateUpsertsOnKnownIdentity(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := mustCreate(t, f, customer.Input{FamilyName: str("Королёва"), GivenName: str("Анна"), Patronymic: str("Сергеевна"),
			PreferredName: str("Анна Сергеевна"), BirthDate: str("14.03.1985"),
			Identities: []customer.IdentityInput{phone("8 (916) 123-45-67"), email("Anna.K@Example.RU")}})
		if c.BirthDate != "1985-03-14" {
			t.Errorf("birth date %q, want 1985-03-14", c.BirthDate)
		}
		if len(c.Identities) != 2 || c.Identities[0].Value != "+79161234567" || c.Identities[0].Raw != "8 (916) 123-45-67" {
			t.Errorf("identities %+v, want normalised phone with raw text kept", c.Identities)
		}
		if c.Persona != "standard" || c.AddressForm != "formal" || c.Language != "ru" {
			t.Errorf("defaults persona=%q form=%q lang=%q", c.Persona, c.AddressForm, c.Language)
		}
		// The same person again, with the phone typed differently: no twin.
		again, out, err := f.svc.Create(f.ctx, customer.Input{Pronunciation: str("КоролЁва"),
			Identities: []customer.IdentityInput{phone("+7 916 123 45 67")}})
		if err != nil {
			t.Fatal(err)
		}
		if out != customer.Updated || again.PublicID != c.PublicID || again.Pronunciation != "КоролЁва" {
			t.Errorf("second create: outcome %s id %s pron %q; want updated %s", out, again.PublicID, again.Pronunciation, c.PublicID)
		}
		// Repeating it changes nothing.
		_, out, err = f.svc.Create(f.ctx, customer.Input{Pronunciation: str("КоролЁва"), Identities: []customer.IdentityInput{phone("89161234567")}})
		if err != nil || out != customer.Unchanged {
			t.Errorf("repeat: outcome %s, err %v; want unchanged", out, err)
		}
		n, _ := f.svc.Count(f.ctx)
		if n != 1 {
			t.Errorf("count %d, want 1", n)
		}
	})
}

func TestInvalidInputNamesEveryField(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		_, _, err := f.svc.Create(f.ctx, customer.Input{BirthDate: str("31.02.1990"), Persona: str("vip"),
			QuietFrom: str("25:00"), Identities: []customer.IdentityInput{phone("12"), email("not-an-email")}})
		var fe vernost.FieldErrors
		if !errors.As(err, &fe) {
			t.Fatalf("err = %v, want field errors", err)
		}
		got := map[string]bool{}
		for _, e := range fe {
			got[e.Field] = true
		}
		for _, want := range []string{"birth_date", "persona", "quiet_from", "identities[0].value", "identities[1].value"} {
			if !got[want] {
				t.Errorf("no error for %s; got %v", want, fe)
			}
		}
		if vernost.ErrorCode(err) != vernost.EInvalid {
			t.Errorf("code %s, want invalid", vernost.ErrorCode(err))
		}
		if n, _ := f.svc.Count(f.ctx); n != 0 {
			t.Errorf("a rejected input stored %d customers", n)
		}
	})
}

func TestUpdateConflictsAndTimeline(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		a := mustCreate(t, f, customer.Input{FamilyName: str("Иванов"), GivenName: str("Пётр"), Identities: []customer.IdentityInput{phone("+79031112233")}})
		b := mustCreate(t, f, customer.Input{FamilyName: str("Smith"), GivenName: str("John"), Identities: []customer.IdentityInput{email("john@example.com")}})
		_, err := f.svc.Update(f.ctx, b.PublicID, customer.Input{Identities: []customer.IdentityInput{phone("8 903 111-22-33")}})
		var ve *vernost.Error
		if !errors.As(err, &ve) || ve.Code != vernost.EConflict || !strings.Contains(ve.Message, a.PublicID) {
			t.Fatalf("conflicting identity: %v; want a conflict naming %s", err, a.PublicID)
		}
		_, err = f.svc.Update(f.ctx, a.PublicID, customer.Input{GivenName: str("Петр"), Version: a.Version + 5})
		if vernost.ErrorCode(err) != vernost.EConflict {
			t.Errorf("stale version: %v, want conflict", err)
		}
		f.clock.Advance(60e9)
		up, err := f.svc.Update(f.ctx, a.PublicID, customer.Input{GivenName: str("Петя"), Version: a.Version})
		if err != nil {
			t.Fatal(err)
		}
		if up.Version != a.Version+1 {
			t.Errorf("version %d, want %d", up.Version, a.Version+1)
		}
		if _, err := f.svc.AddFact(f.ctx, a.PublicID, customer.FactInput{Kind: "hobby", Text: "рыбалка на Волге"}); err != nil {
			t.Fatal(err)
		}
		events, err := f.svc.Timeline(f.ctx, a.PublicID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range events {
			kinds = append(kinds, e.Kind)
		}
		want := []string{"fact_added", "updated", "created"}
		if len(kinds) != len(want) {
			t.Fatalf("timeline %v, want %v", kinds, want)
		}
		for i := range want {
			if kinds[i] != want[i] {
				t.Fatalf("timeline %v, want %v", kinds, want)
			}
		}
		ch := events[1].Data.Changes
		if len(ch) != 1 || ch[0].Field != "given_name" || ch[0].Old != "Пётр" || ch[0].New != "Петя" {
			t.Errorf("change %+v, want given_name Пётр → Петя", ch)
		}
	})
}

func TestSearchByNameAndIdentity(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		anna := mustCreate(t, f, customer.Input{FamilyName: str("Иванова"), GivenName: str("Анна"), Patronymic: str("Сергеевна"), Identities: []customer.IdentityInput{phone("+79161234567")}})
		mustCreate(t, f, customer.Input{FamilyName: str("Иванов"), GivenName: str("Сергей"), Patronymic: str("Петрович")})
		fedor := mustCreate(t, f, customer.Input{FamilyName: str("Фёдоров"), GivenName: str("Алёна"), Identities: []customer.IdentityInput{email("alena@example.ru"), {Kind: "external", Value: "1c:000123"}}})
		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"ив серг", nil}, // both Ивановы have "серг…": checked by count below
			{"сергеевна ив", []string{anna.PublicID}},
			{"ИВАНОВА", []string{anna.PublicID}},
			{"федоров", []string{fedor.PublicID}},
			{"алена", []string{fedor.PublicID}},
			{"ivanova", []string{anna.PublicID}},
			{"8 916 123-45-67", []string{anna.PublicID}},
			{"ALENA@example.ru", []string{fedor.PublicID}},
			{"1c:000123", []string{fedor.PublicID}},
			{"нет-такого", []string{}},
		} {
			got, err := f.svc.Search(f.ctx, tc.q, 10)
			if err != nil {
				t.Fatalf("search %q: %v", tc.q, err)
			}
			if tc.want == nil {
				if len(got) != 2 {
					t.Errorf("search %q: %d hits, want 2", tc.q, len(got))
				}
				continue
			}
			var ids []string
			for _, s := range got {
				ids = append(ids, s.PublicID)
			}
			if len(ids) != len(tc.want) || len(ids) > 0 && ids[0] != tc.want[0] {
				t.Errorf("search %q: %v, want %v", tc.q, ids, tc.want)
			}
		}
		c, err := f.svc.Lookup(f.ctx, "phone", "89161234567")
		if err != nil || c.PublicID != anna.PublicID {
			t.Errorf("lookup: %v %v, want %s", c, err, anna.PublicID)
		}
		if _, err := f.svc.Lookup(f.ctx, "phone", "+79990000000"); vernost.ErrorCode(err) != vernost.ENotFound {
			t.Errorf("lookup unknown: %v, want not found", err)
		}
	})
}

// A name index that a migration recreated empty is rebuilt from the cards
// when the service starts; merged cards stay out of it.
func TestServiceRebuildsAnEmptySearchIndex(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		kept := mustCreate(t, f, customer.Input{FamilyName: str("Ёлкина"), GivenName: str("Алёна"), Patronymic: str("Петровна")})
		absorbed := mustCreate(t, f, customer.Input{FamilyName: str("Ёлкина"), GivenName: str("Алёна")})
		if _, err := f.svc.Merge(f.ctx, kept.PublicID, absorbed.PublicID, nil); err != nil {
			t.Fatal(err)
		}
		other := mustCreate(t, f, customer.Input{FamilyName: str("O'Neil"), GivenName: str("Mary")})
		if _, err := f.db.W.ExecContext(f.ctx, "DELETE FROM customer_search"); err != nil {
			t.Fatal(err)
		}
		svc, err := customer.New(f.ctx, f.db, f.clock, f.audit, customer.Config{})
		if err != nil {
			t.Fatal(err)
		}
		defer svc.Close()
		for q, want := range map[string]string{"елк ал петр": kept.PublicID, "elkina": kept.PublicID, "oneil m": other.PublicID} {
			hits, err := svc.Search(f.ctx, q, 10)
			if err != nil || len(hits) != 1 || hits[0].PublicID != want {
				t.Errorf("search %q after the rebuild: %+v, %v; want %s alone", q, hits, err, want)
			}
		}
	})
}
