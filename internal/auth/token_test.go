package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

func TestTokenLifecycle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		crm := f.user(t, "crm", vernost.RoleSupervisor)
		plain, tok, err := f.s.CreateToken(sysCtx, crm.ID, " 1C export ", []string{auth.ScopeCustomersWrite, auth.ScopeCustomersRead, auth.ScopeCustomersRead})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(plain, "vst_") || len(plain) != 47 {
			t.Errorf("plaintext %q, want vst_ and 43 random characters", plain)
		}
		want := auth.Token{ID: tok.ID, PublicID: tok.PublicID, Name: "1C export", UserID: crm.ID,
			Scopes: []string{auth.ScopeCustomersRead, auth.ScopeCustomersWrite}, CreatedAt: t0}
		if fmtToken(tok) != fmtToken(want) {
			t.Errorf("CreateToken =\n %s\nwant\n %s", fmtToken(tok), fmtToken(want))
		}
		// Only the hash is stored.
		sum := sha256.Sum256([]byte(plain))
		var stored string
		if err := db.R.QueryRowContext(ctx, `SELECT token_hash FROM api_tokens`).Scan(&stored); err != nil || stored != hex.EncodeToString(sum[:]) {
			t.Errorf("stored %q (%v), want the SHA-256 of the plaintext", stored, err)
		}

		// Use: last use is written at most once a minute.
		uses := []struct {
			advance  time.Duration
			wantUsed time.Time
		}{
			{0, t0},
			{30 * time.Second, t0},
			{30 * time.Second, t0.Add(time.Minute)},
		}
		for i, use := range uses {
			f.clock.Advance(use.advance)
			got, u, err := f.s.AuthenticateToken(ctx, plain)
			if err != nil {
				t.Fatalf("use %d: %v", i, err)
			}
			if u != crm || got.ID != tok.ID || got.LastUsedAt == nil || !got.LastUsedAt.Equal(use.wantUsed) {
				t.Errorf("use %d: token %s, user %s; want crm's token last used %v", i, fmtToken(got), u.Login, use.wantUsed)
			}
		}
		list, err := f.s.ListTokens(ctx)
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(t0.Add(time.Minute)) {
			t.Errorf("ListTokens = %v, %v; want the token last used at %v", list, err, t0.Add(time.Minute))
		}

		if err := f.s.RevokeToken(sysCtx, tok.PublicID); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.s.AuthenticateToken(ctx, plain)
		checkCode(t, "revoked token", err, vernost.EUnauthorized)
		if err := f.s.RevokeToken(sysCtx, tok.PublicID); err != nil {
			t.Errorf("revoking twice: %v, want nil", err)
		}
		checkCode(t, "revoke unknown", f.s.RevokeToken(sysCtx, "nosuchtoken"), vernost.ENotFound)
		list, _ = f.s.ListTokens(ctx)
		if len(list) != 1 || list[0].RevokedAt == nil || !list[0].RevokedAt.Equal(t0.Add(time.Minute)) {
			t.Errorf("after revoke ListTokens = %v, want revoked at %v", list, t0.Add(time.Minute))
		}
		if got := f.actions(t, audit.Filter{ObjectType: "token"}); strings.Join(got, ",") != "token.create,token.revoke" {
			t.Errorf("token audit actions %v, want create then one revoke", got)
		}
	})
}

func fmtToken(t auth.Token) string {
	var used, revoked string
	if t.LastUsedAt != nil {
		used = t.LastUsedAt.String()
	}
	if t.RevokedAt != nil {
		revoked = t.RevokedAt.String()
	}
	return strings.Join([]string{t.PublicID, t.Name, strings.Join(t.Scopes, " "), t.CreatedAt.String(), used, revoked}, "|")
}

func TestCreateTokenRejectsBadInput(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.user(t, "root", vernost.RoleAdmin)
		agent := f.user(t, "ivan", vernost.RoleAgent)
		gone := f.user(t, "gone", vernost.RoleAdmin)
		if _, err := f.s.UpdateUser(sysCtx, gone.PublicID, auth.UserUpdate{Active: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		read := []string{auth.ScopeCustomersRead}
		tests := []struct {
			name   string
			user   int64
			token  string
			scopes []string
			code   string
			field  string
		}{
			{"blank name", admin.ID, "  ", read, vernost.EInvalid, "name"},
			{"long name", admin.ID, strings.Repeat("я", 101), read, vernost.EInvalid, "name"},
			{"no scopes", admin.ID, "x", nil, vernost.EInvalid, "scopes"},
			{"unknown scope", admin.ID, "x", []string{"customers:delete"}, vernost.EInvalid, "scopes"},
			{"admin scope for an agent", agent.ID, "x", []string{auth.ScopeAdmin}, vernost.EInvalid, "scopes"},
			{"deactivated user", gone.ID, "x", read, vernost.EInvalid, "user"},
			{"unknown user", 99999, "x", read, vernost.ENotFound, ""},
		}
		for _, tt := range tests {
			_, _, err := f.s.CreateToken(sysCtx, tt.user, tt.token, tt.scopes)
			if vernost.ErrorCode(err) != tt.code || vernost.ErrorField(err) != tt.field {
				t.Errorf("%s: %v (field %q), want %s %q", tt.name, err, vernost.ErrorField(err), tt.code, tt.field)
			}
		}
		if _, _, err := f.s.CreateToken(sysCtx, admin.ID, "admin tool", []string{auth.ScopeAdmin}); err != nil {
			t.Errorf("admin scope for an admin: %v", err)
		}
	})
}

func TestAuthenticateTokenRejects(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.user(t, "root", vernost.RoleAdmin)
		u := f.user(t, "crm", vernost.RoleAgent)
		plain, _, err := f.s.CreateToken(sysCtx, u.ID, "crm", []string{auth.ScopeCustomersRead})
		if err != nil {
			t.Fatal(err)
		}
		session, _ := f.login(t, "crm")
		for name, bad := range map[string]string{
			"empty":          "",
			"no prefix":      plain[4:],
			"wrong prefix":   "vsx_" + plain[4:],
			"truncated":      plain[:46],
			"one char off":   plain[:46] + string(plain[46]^1),
			"session cookie": session,
		} {
			_, _, err := f.s.AuthenticateToken(ctx, bad)
			checkCode(t, name, err, vernost.EUnauthorized)
		}
		if _, err := f.s.UpdateUser(sysCtx, u.PublicID, auth.UserUpdate{Active: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.s.AuthenticateToken(ctx, plain)
		checkCode(t, "token of a deactivated user", err, vernost.EUnauthorized)
	})
}

func TestTokenHasScope(t *testing.T) {
	tests := []struct {
		have  []string
		scope string
		want  bool
	}{
		{[]string{auth.ScopeCustomersRead}, auth.ScopeCustomersRead, true},
		{[]string{auth.ScopeCustomersRead}, auth.ScopeCustomersWrite, false},
		{[]string{auth.ScopeCustomersWrite}, auth.ScopeCustomersRead, true},
		{[]string{auth.ScopeCustomersWrite}, auth.ScopeAdmin, false},
		{[]string{auth.ScopeAdmin}, auth.ScopeCustomersWrite, true},
		{nil, auth.ScopeCustomersRead, false},
		{[]string{auth.ScopeCustomersRead}, "", false},
	}
	for _, tt := range tests {
		if got := (auth.Token{Scopes: tt.have}).HasScope(tt.scope); got != tt.want {
			t.Errorf("Token%v.HasScope(%q) = %t, want %t", tt.have, tt.scope, got, tt.want)
		}
	}
}
