package auth_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/sqldb"
)

// t0 is when every test starts; the fixture's clock moves only when told.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// goodPassword satisfies the password rules.
const goodPassword = "correct horse battery"

// sysCtx acts as the system, as the CLI does.
var sysCtx = vernost.WithActor(context.Background(), vernost.System)

type fixture struct {
	db    *sqldb.DB
	s     *auth.Service
	log   *audit.Log
	clock *vernost.FixedClock
}

func newFixture(t testing.TB, db *sqldb.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	clock := vernost.NewFixedClock(t0)
	log, err := audit.New(ctx, db, clock)
	if err != nil {
		t.Fatalf("audit.New: %v", err)
	}
	t.Cleanup(log.Close)
	s, err := auth.New(ctx, db, clock, log)
	if err != nil {
		t.Fatalf("auth.New: %v", err)
	}
	t.Cleanup(s.Close)
	return &fixture{db: db, s: s, log: log, clock: clock}
}

// setClock moves the clock forward to at.
func (f *fixture) setClock(at time.Time) { f.clock.Advance(at.Sub(f.clock.Now())) }

// user creates an active user with goodPassword.
func (f *fixture) user(t testing.TB, login string, role vernost.Role) auth.User {
	t.Helper()
	u, err := f.s.CreateUser(sysCtx, auth.NewUser{Login: login, Name: "User " + login, Password: goodPassword, Role: role})
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", login, err)
	}
	return u
}

// login signs in with goodPassword from a fixed address, failing the test
// on error.
func (f *fixture) login(t testing.TB, login string) (string, auth.Session) {
	t.Helper()
	token, sess, _, err := f.s.Login(context.Background(), login, goodPassword, "192.0.2.1", "test")
	if err != nil {
		t.Fatalf("Login(%s): %v", login, err)
	}
	return token, sess
}

// actions returns the audit actions recorded for f, oldest first.
func (f *fixture) actions(t testing.TB, filter audit.Filter) []string {
	t.Helper()
	entries, err := f.log.List(context.Background(), filter)
	if err != nil {
		t.Fatalf("audit List: %v", err)
	}
	out := make([]string, len(entries))
	for i, e := range entries {
		out[len(entries)-1-i] = e.Action
	}
	return out
}

// checkCode fails the test unless err carries code.
func checkCode(t testing.TB, what string, err error, code string) {
	t.Helper()
	if got := vernost.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func ptr[T any](v T) *T { return &v }

func fmtUsers(us []auth.User) string {
	s := ""
	for _, u := range us {
		s += fmt.Sprintf("%s/%s/%t ", u.Login, u.Role, u.Active)
	}
	return s
}
