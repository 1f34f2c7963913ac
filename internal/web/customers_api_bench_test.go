package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/demo"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
	"github.com/vernost/vernost/internal/web"
	"github.com/vernost/vernost/internal/web/webtest"
)

// benchCustomers is the size of the base the lookup runs against.
const benchCustomers = 100_000

// BenchmarkLookupHTTP is the call a phone system makes on every incoming
// call: GET /api/v1/customers/lookup?phone= with a token, over a real
// socket, against a SQLite base of benchCustomers generated people, with
// the phone as they typed it. It reports the median and the 99th
// percentile of the request time as the client sees it.
func BenchmarkLookupHTTP(b *testing.B) {
	srv := webtest.StartServerOn(b, sqldbtest.SQLite(b), web.Config{})
	known, unknown := fillBenchCustomers(b, srv, benchCustomers)
	// Measure the steady state of a base loaded long ago, not the moment
	// after a bulk load: the load's WAL checkpointed, its garbage collected.
	if _, err := srv.DB.W.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	user := srv.CreateUser(b, "pbx", webtest.Password, vernost.RoleAgent)
	token := srv.CreateToken(b, user, auth.ScopeCustomersRead).Token
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	b.Cleanup(client.CloseIdleConnections)

	for _, tc := range []struct {
		name   string
		phones []string
		status int
	}{
		{"known", known, http.StatusOK},
		{"unknown", unknown, http.StatusNotFound},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var took []time.Duration
			i := 0
			for b.Loop() {
				phone := tc.phones[i%len(tc.phones)]
				i++
				start := time.Now()
				req, err := http.NewRequest("GET", srv.URL+"/api/v1/customers/lookup?phone="+url.QueryEscape(phone), nil)
				if err != nil {
					b.Fatal(err)
				}
				req.Header.Set("Authorization", "Bearer "+token)
				res, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				took = append(took, time.Since(start))
				if err != nil || res.StatusCode != tc.status {
					b.Fatalf("%s: status %d (%v), want %d", phone, res.StatusCode, err, tc.status)
				}
			}
			slices.Sort(took)
			b.ReportMetric(durationQuantileMicros(took, 0.50), "p50-µs")
			b.ReportMetric(durationQuantileMicros(took, 0.99), "p99-µs")
		})
	}
}

// durationQuantileMicros is the q-quantile of sorted durations, in microseconds.
func durationQuantileMicros(sorted []time.Duration, q float64) float64 {
	return float64(sorted[int(q*float64(len(sorted)-1))]) / float64(time.Microsecond)
}

// fillBenchCustomers stores n generated people through UpsertBatch, as the
// demo and imports do, and returns phones of stored people as they were
// typed and phones of people never stored (the generator's next ones).
func fillBenchCustomers(b *testing.B, srv *webtest.Server, n int) (known, unknown []string) {
	b.Helper()
	ctx := vernost.WithActor(context.Background(), vernost.System)
	v, err := srv.Customers.NewValidator(ctx)
	if err != nil {
		b.Fatal(err)
	}
	gen := demo.Generator{Seed: 2026}
	var batch []*customer.Valid
	flush := func() {
		res, err := srv.Customers.UpsertBatch(ctx, batch, customer.BatchOptions{Source: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
		batch = batch[:0]
	}
	for range n {
		p := gen.Next()
		valid, err := v.Check(benchInput(p))
		if err != nil {
			b.Fatalf("person %d: %v", p.Seq, err)
		}
		if phone := firstPhone(p); phone != "" && len(known) < 10_000 {
			known = append(known, phone)
		}
		if batch = append(batch, valid); len(batch) == 1000 {
			flush()
		}
	}
	if len(batch) > 0 {
		flush()
	}
	for len(unknown) < 1000 {
		if phone := firstPhone(gen.Next()); phone != "" {
			unknown = append(unknown, phone)
		}
	}
	return known, unknown
}

func firstPhone(p demo.Person) string {
	for _, id := range p.Identities {
		if id.Kind == "phone" {
			return id.Raw
		}
	}
	return ""
}

// benchInput is a generated person as a customer input: names, birth
// date, persona, identities and facts, so cards are as full as real ones.
func benchInput(p demo.Person) customer.Input {
	birth := p.BirthDate.Format("2006-01-02")
	in := customer.Input{FamilyName: &p.FamilyName, GivenName: &p.GivenName, Patronymic: &p.Patronymic,
		PreferredName: &p.PreferredName, Pronunciation: &p.Pronunciation, BirthDate: &birth, Persona: &p.Persona,
		PreferredChannel: &p.PreferredChannel, Language: &p.Language, Wish: &p.Wish}
	for _, id := range p.Identities {
		in.Identities = append(in.Identities, customer.IdentityInput{Kind: id.Kind, Value: id.Raw})
	}
	for _, f := range p.Facts {
		in.Facts = append(in.Facts, customer.FactInput{Kind: f.Kind, Text: f.Text})
	}
	for _, ch := range p.Consents {
		in.Consents = append(in.Consents, customer.ConsentInput{Channel: ch, Purpose: "marketing", Granted: true, Source: "bench"})
	}
	return in
}
