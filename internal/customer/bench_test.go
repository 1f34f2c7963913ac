package customer_test

import (
	"testing"

	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/demo"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// benchFixture fills a fresh database with n generated customers and
// returns their phones as people type them.
func benchFixture(b *testing.B, engine string, n int) (*fixture, []string) {
	f := newFixture(b, sqldbtest.Open(b, engine))
	v, err := f.svc.NewValidator(f.ctx)
	if err != nil {
		b.Fatal(err)
	}
	g := demo.Generator{Seed: 1}
	var phones []string
	var batch []*customer.Valid
	for i := 0; i < n; i++ {
		p := g.Next()
		in := customer.Input{FamilyName: &p.FamilyName, GivenName: &p.GivenName, Patronymic: &p.Patronymic}
		for _, id := range p.Identities {
			in.Identities = append(in.Identities, customer.IdentityInput{Kind: id.Kind, Value: id.Raw})
			if id.Kind == "phone" {
				phones = append(phones, id.Raw)
			}
		}
		valid, err := v.Check(in)
		if err != nil {
			b.Fatal(err)
		}
		if batch = append(batch, valid); len(batch) == 1000 || i == n-1 {
			if _, err := f.svc.UpsertBatch(f.ctx, batch, customer.BatchOptions{Source: "bench"}); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	return f, phones
}

// BenchmarkLookup is the call a phone system makes on every incoming call:
// normalise the number, find its owner, load the card, audit the access.
func BenchmarkLookup(b *testing.B) {
	for _, engine := range sqldbtest.Engines() {
		b.Run(engine, func(b *testing.B) {
			f, phones := benchFixture(b, engine, 20_000)
			i := 0
			for b.Loop() {
				if _, err := f.svc.Lookup(f.ctx, "phone", phones[i%len(phones)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkSearch is a two-word prefix search as operators type it.
func BenchmarkSearch(b *testing.B) {
	for _, engine := range sqldbtest.Engines() {
		b.Run(engine, func(b *testing.B) {
			f, _ := benchFixture(b, engine, 20_000)
			queries := []string{"ив ал", "смир ан", "кузн сер", "пет ма", "соко ел", "иванова", "ivan", "фёд ол"}
			i := 0
			for b.Loop() {
				if _, err := f.svc.Search(f.ctx, queries[i%len(queries)], 20); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkMatchDuplicates is a whole matching pass over the base; it
// grows with the number of cards, so it reports the cost per card.
func BenchmarkMatchDuplicates(b *testing.B) {
	for _, engine := range sqldbtest.Engines() {
		b.Run(engine, func(b *testing.B) {
			const cards = 50_000
			f, _ := benchFixture(b, engine, cards)
			for b.Loop() {
				if _, err := f.svc.MatchDuplicates(f.ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/cards, "µs/card")
		})
	}
}
