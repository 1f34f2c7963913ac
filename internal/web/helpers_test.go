package web

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/importer"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// newTestServer builds a server on a fresh SQLite database for the tests
// of this package that need its internals; tests of behaviour over HTTP
// use webtest instead.
func newTestServer(t testing.TB, cfg Config) (*Server, *auth.Service) {
	t.Helper()
	db := sqldbtest.SQLite(t)
	clock := vernost.NewFixedClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	deps := testDeps(t, db, clock)
	s, err := New(cfg, deps)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, deps.Auth
}

// testDeps builds every service the server needs over db.
func testDeps(t testing.TB, db *sqldb.DB, clock vernost.Clock) Deps {
	t.Helper()
	ctx := vernost.WithActor(context.Background(), vernost.System)
	log, err := audit.New(ctx, db, clock)
	if err != nil {
		t.Fatalf("audit.New: %v", err)
	}
	t.Cleanup(log.Close)
	svc, err := auth.New(ctx, db, clock, log)
	if err != nil {
		t.Fatalf("auth.New: %v", err)
	}
	customers, err := customer.New(ctx, db, clock, log, customer.Config{})
	if err != nil {
		t.Fatalf("customer.New: %v", err)
	}
	t.Cleanup(customers.Close)
	imports, err := importer.NewJobs(ctx, db, customers, log, clock)
	if err != nil {
		t.Fatalf("importer.NewJobs: %v", err)
	}
	return Deps{DB: db, Auth: svc, Audit: log, Customers: customers, Imports: imports, Clock: clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}
