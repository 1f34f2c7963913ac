package auth_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// checkRateLimited fails the test unless err is a rate limit lifting at want
// and its message names that time.
func checkRateLimited(t *testing.T, what string, err error, want time.Time) {
	t.Helper()
	if vernost.ErrorCode(err) != vernost.ERateLimited {
		t.Errorf("%s: %v, want rate limited", what, err)
		return
	}
	if at, ok := auth.RetryAt(err); !ok || !at.Equal(want) {
		t.Errorf("%s: RetryAt = %v, %t; want %v", what, at, ok, want)
	}
	if msg := vernost.ErrorMessage(err); !strings.Contains(msg, want.Format("15:04:05")) {
		t.Errorf("%s: message %q does not say to retry after %s", what, msg, want.Format("15:04:05"))
	}
}

func TestLoginRateLimitPerLogin(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.user(t, "ivan", vernost.RoleAgent)
		fail := func(ip string) error {
			_, _, _, err := f.s.Login(ctx, "ivan", "not the password", ip, "")
			return err
		}
		// Five failures a minute apart, from different addresses.
		for i := range auth.MaxFailuresPerLogin {
			checkCode(t, fmt.Sprint("failure ", i+1), fail(fmt.Sprint("192.0.2.", i+1)), vernost.EUnauthorized)
			f.clock.Advance(time.Minute)
		}
		// Now blocked until the first failure leaves the window, even with the
		// right password and from a new address.
		_, _, _, err := f.s.Login(ctx, "ivan", goodPassword, "198.51.100.1", "")
		checkRateLimited(t, "sixth attempt", err, t0.Add(auth.LoginWindow))
		if !strings.Contains(vernost.ErrorMessage(err), "in 10 min") {
			t.Errorf("message %q, want it to say 10 min", vernost.ErrorMessage(err))
		}
		// Attempts while blocked are not counted, so hammering does not
		// extend the block.
		f.clock.Advance(5 * time.Minute)
		checkRateLimited(t, "while blocked", fail("192.0.2.1"), t0.Add(auth.LoginWindow))
		// Other logins are not affected.
		f.user(t, "anna", vernost.RoleAgent)
		if _, _, _, err := f.s.Login(ctx, "anna", goodPassword, "192.0.2.1", ""); err != nil {
			t.Errorf("another login from the same address: %v", err)
		}

		f.setClock(t0.Add(auth.LoginWindow))
		if _, _, _, err := f.s.Login(ctx, "ivan", goodPassword, "192.0.2.1", ""); err != nil {
			t.Fatalf("after the window: %v", err)
		}
		f.clock.Advance(time.Second)
		// The success clears the count: four failures are allowed again
		// although the earlier ones are still inside the window.
		for i := range auth.MaxFailuresPerLogin - 1 {
			checkCode(t, fmt.Sprint("failure after success ", i+1), fail("192.0.2.1"), vernost.EUnauthorized)
		}
		checkCode(t, "fifth failure after success", fail("192.0.2.1"), vernost.EUnauthorized)
		checkRateLimited(t, "blocked again", fail("192.0.2.1"), t0.Add(2*auth.LoginWindow+time.Second))
	})
}

func TestLoginRateLimitPerAddress(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.user(t, "ivan", vernost.RoleAgent)
		// Twenty failures for twenty unknown logins from one IPv6 /64, each
		// from a different address inside it.
		for i := range auth.MaxFailuresPerIP {
			_, _, _, err := f.s.Login(ctx, fmt.Sprint("ghost", i), goodPassword, fmt.Sprintf("2001:db8::%x", i+1), "")
			checkCode(t, fmt.Sprint("ghost ", i), err, vernost.EUnauthorized)
			f.clock.Advance(10 * time.Second)
		}
		_, _, _, err := f.s.Login(ctx, "ivan", goodPassword, "2001:db8::ffff:1", "")
		checkRateLimited(t, "same /64", err, t0.Add(auth.LoginWindow))
		if _, _, _, err := f.s.Login(ctx, "ivan", goodPassword, "2001:db8:0:1::1", ""); err != nil {
			t.Errorf("a neighbouring /64 was blocked too: %v", err)
		}
		if _, _, _, err := f.s.Login(ctx, "ivan", goodPassword, "192.0.2.1", ""); err != nil {
			t.Errorf("an IPv4 address was blocked: %v", err)
		}
		// A success from the blocked network does not clear its count.
		f.setClock(t0.Add(auth.LoginWindow))
		if _, _, _, err := f.s.Login(ctx, "ivan", goodPassword, "2001:db8::1", ""); err != nil {
			t.Fatalf("after the first failure left the window: %v", err)
		}
		_, _, _, err = f.s.Login(ctx, "ghost99", goodPassword, "2001:db8::2", "")
		checkCode(t, "one more failure", err, vernost.EUnauthorized)
		_, _, _, err = f.s.Login(ctx, "ivan", goodPassword, "2001:db8::3", "")
		checkRateLimited(t, "full again", err, t0.Add(auth.LoginWindow+10*time.Second))
	})
}
