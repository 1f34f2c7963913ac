package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// A token that authenticated is trusted for a few seconds without being
// read again, but revoking it or changing its user through the service
// takes effect at once, and a change behind the service's back (another
// process) within those seconds.
func TestTokenCache(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		use := func(plain string) error { _, _, err := f.s.AuthenticateToken(ctx, plain); return err }

		crm := f.user(t, "crm", vernost.RoleSupervisor)
		revoked, tok, err := f.s.CreateToken(sysCtx, crm.ID, "revoked", []string{auth.ScopeCustomersRead})
		if err != nil {
			t.Fatal(err)
		}
		if err := use(revoked); err != nil {
			t.Fatal(err)
		}
		if err := f.s.RevokeToken(sysCtx, tok.PublicID); err != nil {
			t.Fatal(err)
		}
		checkCode(t, "a token revoked a moment after use", use(revoked), vernost.EUnauthorized)

		pbx := f.user(t, "pbx", vernost.RoleAgent)
		plain, _, err := f.s.CreateToken(sysCtx, pbx.ID, "pbx", []string{auth.ScopeCustomersRead})
		if err != nil {
			t.Fatal(err)
		}
		if err := use(plain); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.UpdateUser(sysCtx, pbx.PublicID, auth.UserUpdate{Active: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		checkCode(t, "the token of a user deactivated a moment after use", use(plain), vernost.EUnauthorized)
		if _, err := f.s.UpdateUser(sysCtx, pbx.PublicID, auth.UserUpdate{Active: ptr(true)}); err != nil {
			t.Fatal(err)
		}

		// Revoked by another process: trusted until the cache lets it go.
		if err := use(plain); err != nil {
			t.Fatal(err)
		}
		if _, err := db.W.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1`, t0); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Second)
		if err := use(plain); err != nil {
			t.Errorf("a second later, from the cache: %v", err)
		}
		f.clock.Advance(5 * time.Second)
		checkCode(t, "six seconds after another process revoked it", use(plain), vernost.EUnauthorized)
	})
}
