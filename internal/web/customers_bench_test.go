package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// customerBench is a server on SQLite with benchCustomers customers, an
// agent's session, and one card with a long timeline.
type customerBench struct {
	h       http.Handler
	session string
	card    string
}

const benchCustomers = 10_000

var (
	benchFamilies = []string{"Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова", "Фёдорова", "Соколова", "Морозова", "Волкова", "Лебедева"}
	benchGivens   = []string{"Анна", "Мария", "Елена", "Ольга", "Алёна", "Наталья", "Ирина", "Светлана", "Татьяна", "Юлия"}
	benchPatrons  = []string{"Сергеевна", "Ивановна", "Петровна", "Алексеевна", "Дмитриевна"}
)

func newCustomerBench(b *testing.B) customerBench {
	b.Helper()
	ctx := vernost.WithActor(context.Background(), vernost.System)
	db := sqldbtest.SQLite(b)
	deps := testDeps(b, db, vernost.SystemClock{})
	s, err := New(Config{}, deps)
	if err != nil {
		b.Fatal(err)
	}
	const password = "bench-password-1"
	if _, err := deps.Auth.CreateUser(ctx, auth.NewUser{Login: "agent", Name: "Агент", Password: password, Role: vernost.RoleAgent}); err != nil {
		b.Fatal(err)
	}
	session, _, _, err := deps.Auth.Login(ctx, "agent", password, "127.0.0.1", "bench")
	if err != nil {
		b.Fatal(err)
	}
	v, err := deps.Customers.NewValidator(ctx)
	if err != nil {
		b.Fatal(err)
	}
	batch := make([]*customer.Valid, 0, 500)
	for i := range benchCustomers {
		in := customer.Input{
			FamilyName: textOf(benchFamilies[i%len(benchFamilies)]), GivenName: textOf(benchGivens[i/len(benchFamilies)%len(benchGivens)]),
			Patronymic: textOf(benchPatrons[i%len(benchPatrons)]),
			Identities: []customer.IdentityInput{{Kind: "phone", Value: fmt.Sprintf("+7916%07d", i)}},
		}
		ok, err := v.Check(in)
		if err != nil {
			b.Fatal(err)
		}
		if batch = append(batch, ok); len(batch) == cap(batch) || i == benchCustomers-1 {
			if _, err := deps.Customers.UpsertBatch(ctx, batch, customer.BatchOptions{Source: "bench"}); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	c, err := deps.Customers.Lookup(ctx, "phone", "+79160000042")
	if err != nil {
		b.Fatal(err)
	}
	for i := range 60 {
		if _, err := deps.Customers.AddFact(ctx, c.PublicID, customer.FactInput{Kind: "hobby", Text: fmt.Sprintf("факт %d", i)}); err != nil {
			b.Fatal(err)
		}
	}
	return customerBench{h: s.Handler(), session: session, card: c.PublicID}
}

func (cb customerBench) get(b *testing.B, path string) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("GET", path, nil)
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: cb.session})
		w := httptest.NewRecorder()
		cb.h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("%s: status %d: %.300s", path, w.Code, w.Body)
		}
	}
}

// BenchmarkCustomerSearchFragment: one keystroke's request from the search
// box, a two-word prefix query matching 100 of 10,000 customers.
func BenchmarkCustomerSearchFragment(b *testing.B) {
	cb := newCustomerBench(b)
	cb.get(b, "/customers/search?q="+url.QueryEscape("федорова ал"))
}

// BenchmarkCustomerSearchPhone: the search box given a phone number.
func BenchmarkCustomerSearchPhone(b *testing.B) {
	cb := newCustomerBench(b)
	cb.get(b, "/customers/search?q="+url.QueryEscape("8 916 000-00-42"))
}

// BenchmarkCustomersPage: the search page with the first list page of 50.
func BenchmarkCustomersPage(b *testing.B) {
	cb := newCustomerBench(b)
	cb.get(b, "/customers")
}

// BenchmarkCustomerCard: the card with 60 facts and a full timeline page
// (50 events), including the audit row every view writes.
func BenchmarkCustomerCard(b *testing.B) {
	cb := newCustomerBench(b)
	cb.get(b, "/customers/"+cb.card)
}

func textOf(s string) *string { return &s }
