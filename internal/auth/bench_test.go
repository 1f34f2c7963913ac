package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// BenchmarkCheckPassword is the cost of one sign-in's password check, and so
// also what one guess costs an attacker holding the hash.
func BenchmarkCheckPassword(b *testing.B) {
	hash, err := auth.HashPassword(goodPassword)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, err := auth.CheckPassword(hash, goodPassword); !ok || err != nil {
			b.Fatalf("CheckPassword = %t, %v", ok, err)
		}
	}
}

// BenchmarkAuthenticate is the per-request cost of resolving a session
// cookie. The clock stands still, so this is the read path every request
// takes; the once-a-minute write is not in it.
func BenchmarkAuthenticate(b *testing.B) {
	for _, engine := range sqldbtest.Engines() {
		b.Run(engine, func(b *testing.B) {
			f := newFixture(b, sqldbtest.Open(b, engine))
			f.user(b, "ivan", vernost.RoleAgent)
			token, _ := f.login(b, "ivan")
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				if _, _, err := f.s.Authenticate(ctx, token); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoginFailure compares a wrong password for a real login with an
// unknown login: the two must cost the same, or the timing tells an
// attacker which logins exist.
func BenchmarkLoginFailure(b *testing.B) {
	for _, tt := range []struct{ name, login string }{{"wrong_password", "ivan"}, {"unknown_login", "nobody"}} {
		b.Run(tt.name, func(b *testing.B) {
			f := newFixture(b, sqldbtest.SQLite(b))
			f.user(b, "ivan", vernost.RoleAgent)
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				// Four minutes apart: never more than four failures in the
				// window, so the rate limit never answers instead.
				f.clock.Advance(4 * time.Minute)
				if _, _, _, err := f.s.Login(ctx, tt.login, "not the password", "192.0.2.1", ""); vernost.ErrorCode(err) != vernost.EUnauthorized {
					b.Fatalf("Login = %v, want unauthorized", err)
				}
			}
		})
	}
}
