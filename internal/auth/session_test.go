package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"testing"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

func TestLogin(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		ivan := f.user(t, "ivan", vernost.RoleAgent)
		gone := f.user(t, "gone", vernost.RoleAgent)
		if _, err := f.s.UpdateUser(sysCtx, gone.PublicID, auth.UserUpdate{Active: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, login, password string
			code, message         string // "" for success
			action, detail        string // the audit entry written
		}{
			{"right password", "ivan", goodPassword, "", "", "session.login", ""},
			{"login in capitals", " IVAN ", goodPassword, "", "", "session.login", ""},
			{"wrong password", "ivan", goodPassword + "!", vernost.EUnauthorized, "wrong login or password", "session.login_failed", "wrong password"},
			{"unknown login", "nobody", goodPassword, vernost.EUnauthorized, "wrong login or password", "session.login_failed", "unknown login"},
			{"inactive, right password", "gone", goodPassword, vernost.EUnauthorized, "this account is deactivated; ask an administrator", "session.login_failed", "account deactivated"},
			{"inactive, wrong password", "gone", "guess guess guess", vernost.EUnauthorized, "wrong login or password", "session.login_failed", "wrong password"},
			{"empty login", "", goodPassword, vernost.EInvalid, "is required", "", ""},
			{"empty password", "ivan", "", vernost.EInvalid, "is required", "", ""},
		}
		for _, tt := range tests {
			before, _ := f.log.List(ctx, audit.Filter{Limit: 1})
			token, sess, u, err := f.s.Login(ctx, tt.login, tt.password, "192.0.2.7", "Firefox")
			if got := vernost.ErrorCode(err); got != tt.code {
				t.Errorf("%s: error %v, want code %q", tt.name, err, tt.code)
				continue
			}
			if got := vernost.ErrorMessage(err); err != nil && got != tt.message {
				t.Errorf("%s: message %q, want %q", tt.name, got, tt.message)
			}
			if err == nil && (u != ivan || sess.UserID != ivan.ID || token == "") {
				t.Errorf("%s: got user %+v, session %+v; want ivan's", tt.name, u, sess)
			}
			after, _ := f.log.List(ctx, audit.Filter{Limit: 1})
			wrote := len(after) > 0 && (len(before) == 0 || after[0].ID != before[0].ID)
			switch {
			case tt.action == "" && wrote:
				t.Errorf("%s: wrote audit entry %+v, want none", tt.name, after[0])
			case tt.action != "" && !wrote:
				t.Errorf("%s: wrote no audit entry, want %s", tt.name, tt.action)
			case tt.action != "":
				if e := after[0]; e.Action != tt.action || e.Detail != tt.detail || e.IP != "192.0.2.7" {
					t.Errorf("%s: audit entry %+v, want %s %q from 192.0.2.7", tt.name, e, tt.action, tt.detail)
				}
			}
		}
	})
}

func TestLoginSessionTokens(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.user(t, "ivan", vernost.RoleAgent)
		token1, s1 := f.login(t, "ivan")
		token2, s2 := f.login(t, "ivan")
		for _, tok := range []string{token1, token2, s1.CSRFToken, s2.CSRFToken} {
			if b, err := base64.RawURLEncoding.DecodeString(tok); err != nil || len(b) != 32 {
				t.Errorf("token %q is not 32 bytes of base64url (%v)", tok, err)
			}
		}
		if token1 == token2 || s1.CSRFToken == s2.CSRFToken || s1.CSRFToken == token1 {
			t.Errorf("tokens not distinct: sessions %q %q, csrf %q %q", token1, token2, s1.CSRFToken, s2.CSRFToken)
		}
		if !s1.CreatedAt.Equal(t0) || !s1.ExpiresAt.Equal(t0.Add(auth.IdleTimeout)) {
			t.Errorf("session %+v, want created %v, expiring after the idle timeout", s1, t0)
		}
		// Only the hash of the cookie value is stored.
		sum := sha256.Sum256([]byte(token1))
		for _, tt := range []struct {
			key  string
			want int
		}{{token1, 0}, {hex.EncodeToString(sum[:]), 1}} {
			var n int
			if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE id_hash = $1`, tt.key).Scan(&n); err != nil || n != tt.want {
				t.Errorf("sessions keyed %q: %d (%v), want %d", tt.key, n, err, tt.want)
			}
		}
		got, _, err := f.s.Authenticate(ctx, token2)
		if err != nil || got.CSRFToken != s2.CSRFToken {
			t.Errorf("Authenticate(token2) = %+v, %v; want session 2 with its CSRF token", got, err)
		}
	})
}

func TestCheckCSRF(t *testing.T) {
	s := auth.Session{CSRFToken: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
	tests := []struct {
		token string
		want  bool
	}{
		{s.CSRFToken, true},
		{"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFH", false},
		{s.CSRFToken[:42], false},
		{"", false},
	}
	for _, tt := range tests {
		if got := s.CheckCSRF(tt.token); got != tt.want {
			t.Errorf("CheckCSRF(%q) = %t, want %t", tt.token, got, tt.want)
		}
	}
	if (auth.Session{}).CheckCSRF("") {
		t.Error("a session without a CSRF token accepted the empty token")
	}
}

func TestSessionSlidingExpiry(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.user(t, "ivan", vernost.RoleAgent)
		token, _ := f.login(t, "ivan")
		steps := []struct {
			advance    time.Duration
			ok         bool
			wantExpiry time.Time // when ok
		}{
			{30 * time.Second, true, t0.Add(auth.IdleTimeout)},               // too soon to write
			{30 * time.Second, true, t0.Add(time.Minute + auth.IdleTimeout)}, // a minute on: slides
			{11 * time.Hour, true, t0.Add(11*time.Hour + time.Minute + auth.IdleTimeout)},
			{11 * time.Hour, true, t0.Add(22*time.Hour + time.Minute + auth.IdleTimeout)}, // past the first 12 h
			{auth.IdleTimeout, false, time.Time{}},                                        // idle exactly 12 h
		}
		for i, st := range steps {
			f.clock.Advance(st.advance)
			sess, _, err := f.s.Authenticate(ctx, token)
			if st.ok != (err == nil) {
				t.Fatalf("step %d (+%v): Authenticate error %v, want ok=%t", i, st.advance, err, st.ok)
			}
			if !st.ok {
				checkCode(t, "idle session", err, vernost.EUnauthorized)
				continue
			}
			if !sess.ExpiresAt.Equal(st.wantExpiry) {
				t.Errorf("step %d: expires %v, want %v", i, sess.ExpiresAt, st.wantExpiry)
			}
		}
	})
}

func TestSessionAbsoluteExpiry(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.user(t, "ivan", vernost.RoleAgent)
		token, _ := f.login(t, "ivan")
		// Busy every 10 hours for a week: never idle, yet the session ends.
		for f.clock.Now().Before(t0.Add(auth.MaxSessionAge - 10*time.Hour)) {
			f.clock.Advance(10 * time.Hour)
			sess, _, err := f.s.Authenticate(ctx, token)
			if err != nil {
				t.Fatalf("at %v: %v", f.clock.Now(), err)
			}
			if limit := t0.Add(auth.MaxSessionAge); sess.ExpiresAt.After(limit) {
				t.Fatalf("at %v: expires %v, past the absolute limit %v", f.clock.Now(), sess.ExpiresAt, limit)
			}
		}
		f.clock.Advance(t0.Add(auth.MaxSessionAge).Sub(f.clock.Now()) - time.Second)
		sess, _, err := f.s.Authenticate(ctx, token)
		if err != nil || !sess.ExpiresAt.Equal(t0.Add(auth.MaxSessionAge)) {
			t.Fatalf("a second before the limit: %+v, %v; want valid until %v", sess, err, t0.Add(auth.MaxSessionAge))
		}
		f.clock.Advance(time.Second)
		_, _, err = f.s.Authenticate(ctx, token)
		checkCode(t, "session at its absolute limit", err, vernost.EUnauthorized)
	})
}

func TestAuthenticateRejectsBadTokens(t *testing.T) {
	db := sqldbtest.SQLite(t)
	f := newFixture(t, db)
	f.user(t, "ivan", vernost.RoleAgent)
	token, _ := f.login(t, "ivan")
	for _, bad := range []string{"", "x", token[:42], token + "A", "A" + token[1:], "vst_" + token} {
		if bad == token {
			continue
		}
		_, _, err := f.s.Authenticate(context.Background(), bad)
		checkCode(t, "Authenticate("+bad+")", err, vernost.EUnauthorized)
	}
}

func TestLogout(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		ivan := f.user(t, "ivan", vernost.RoleAgent)
		token, _ := f.login(t, "ivan")
		other, _ := f.login(t, "ivan")
		reqCtx := vernost.WithActor(ctx, vernost.Actor{IP: "192.0.2.9"})
		if err := f.s.Logout(reqCtx, token); err != nil {
			t.Fatal(err)
		}
		_, _, err := f.s.Authenticate(ctx, token)
		checkCode(t, "after logout", err, vernost.EUnauthorized)
		if _, _, err := f.s.Authenticate(ctx, other); err != nil {
			t.Errorf("the other session ended too: %v", err)
		}
		for _, again := range []string{token, "", "garbage"} {
			if err := f.s.Logout(ctx, again); err != nil {
				t.Errorf("Logout(%q) = %v, want nil", again, err)
			}
		}
		entries, _ := f.log.List(ctx, audit.Filter{Action: "session.logout"})
		if len(entries) != 1 || entries[0].ActorID != ivan.ID || entries[0].ActorName != "ivan" || entries[0].IP != "192.0.2.9" {
			t.Errorf("logout entries %+v, want one by ivan from 192.0.2.9", entries)
		}
	})
}

func TestPurgeExpired(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.user(t, "ivan", vernost.RoleAgent)
		stale, _ := f.login(t, "ivan") // attempt 1 (ok), session 1
		_, _, _, _ = f.s.Login(ctx, "ivan", "wrong wrong wrong", "192.0.2.1", "")
		f.clock.Advance(20 * time.Hour) // session 1 idle past 12 h; attempts 20 h old
		fresh, _ := f.login(t, "ivan")  // attempt 3, session 2
		f.clock.Advance(5 * time.Hour)  // attempts 1, 2 now 25 h old; session 2 idle 5 h

		n, err := f.s.PurgeExpired(ctx)
		if err != nil || n != 3 {
			t.Errorf("PurgeExpired = %d, %v; want 3 (one session, two attempts)", n, err)
		}
		if _, _, err := f.s.Authenticate(ctx, fresh); err != nil {
			t.Errorf("live session purged: %v", err)
		}
		_, _, err = f.s.Authenticate(ctx, stale)
		checkCode(t, "expired session", err, vernost.EUnauthorized)
		var attempts int
		if err := db.R.QueryRowContext(ctx, `SELECT count(*) FROM login_attempts`).Scan(&attempts); err != nil || attempts != 1 {
			t.Errorf("%d attempts left (%v), want the recent one", attempts, err)
		}
		if n, err := f.s.PurgeExpired(ctx); err != nil || n != 0 {
			t.Errorf("second PurgeExpired = %d, %v; want 0", n, err)
		}
	})
}
