package customer_test

import (
	"context"
	"testing"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// fixture is a customer service over a fresh database with a real audit log.
type fixture struct {
	db    *sqldb.DB
	svc   *customer.Service
	audit *audit.Log
	clock *vernost.FixedClock
	ctx   context.Context
}

func newFixture(t testing.TB, db *sqldb.DB) *fixture {
	t.Helper()
	ctx := vernost.WithActor(context.Background(), vernost.Actor{UserID: 0, Name: "tester", Role: vernost.RoleAdmin, IP: "127.0.0.1"})
	clock := vernost.NewFixedClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	log, err := audit.New(ctx, db, clock)
	if err != nil {
		t.Fatalf("audit: %v", err)
	}
	t.Cleanup(log.Close) // before the database closes: cleanups run last first
	svc, err := customer.New(ctx, db, clock, log, customer.Config{})
	if err != nil {
		t.Fatalf("customer service: %v", err)
	}
	t.Cleanup(svc.Close)
	return &fixture{db: db, svc: svc, audit: log, clock: clock, ctx: ctx}
}

func str(s string) *string { return &s }

// each runs fn on every engine with a fresh fixture.
func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) { fn(t, newFixture(t, db)) })
}

func mustCreate(t *testing.T, f *fixture, in customer.Input) *customer.Customer {
	t.Helper()
	c, out, err := f.svc.Create(f.ctx, in)
	if err != nil {
		t.Fatalf("create %+v: %v", in, err)
	}
	if out != customer.Created {
		t.Fatalf("create: outcome %s, want created", out)
	}
	return c
}

func phone(v string) customer.IdentityInput { return customer.IdentityInput{Kind: "phone", Value: v} }
func email(v string) customer.IdentityInput { return customer.IdentityInput{Kind: "email", Value: v} }
