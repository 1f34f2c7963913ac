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
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// newTestServer builds a server on a fresh SQLite database for the tests
// of this package that need its internals; tests of behaviour over HTTP
// use webtest instead.
func newTestServer(t testing.TB, cfg Config) (*Server, *auth.Service) {
	t.Helper()
	db := sqldbtest.SQLite(t)
	ctx := context.Background()
	clock := vernost.NewFixedClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	log, err := audit.New(ctx, db, clock)
	if err != nil {
		t.Fatalf("audit.New: %v", err)
	}
	svc, err := auth.New(ctx, db, clock, log)
	if err != nil {
		t.Fatalf("auth.New: %v", err)
	}
	s, err := New(cfg, Deps{DB: db, Auth: svc, Audit: log, Clock: clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, svc
}
