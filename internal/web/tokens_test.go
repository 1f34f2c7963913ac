package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
	"github.com/vernost/vernost/internal/web"
	"github.com/vernost/vernost/internal/web/webtest"
)

var plaintextToken = regexp.MustCompile(`<code id="token-plaintext">(vst_[A-Za-z0-9_-]+)</code>`)

// TestTokenLifecycle: an admin creates a token (shown once), an
// integration uses it, the admin revokes it and it stops working.
func TestTokenLifecycle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		srv := webtest.StartServerOn(t, db, web.Config{})
		srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
		agent := srv.CreateUser(t, "anna", webtest.Password, vernost.RoleAgent)
		admin := srv.SignIn(t, "admin", webtest.Password)

		res := admin.PostForm(t, "/admin/tokens", url.Values{"name": {"crm-sync"}, "owner": {agent.PublicID},
			"scope": {auth.ScopeCustomersRead, auth.ScopeCustomersWrite}})
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %d:\n%.1500s", res.Status, res.Body)
		}
		m := plaintextToken.FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("the new token is not shown:\n%.3000s", res.Body)
		}
		plaintext := m[1]
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("the page with the token may be cached: Cache-Control %q", res.Header.Get("Cache-Control"))
		}
		list := admin.Get(t, "/admin/tokens")
		if strings.Contains(list.Body, plaintext) {
			t.Errorf("the token list shows the token again")
		}
		if !strings.Contains(list.Body, "crm-sync") || !strings.Contains(list.Body, "<td>anna</td>") {
			t.Errorf("the token list lacks the new token and its owner")
		}

		integration := srv.Anonymous()
		integration.Token = plaintext
		if res := integration.Get(t, "/api/v1/me"); res.Status != http.StatusOK || !strings.Contains(res.Body, `"login":"anna"`) {
			t.Fatalf("token use: %d %s", res.Status, res.Body)
		}
		tokens, err := srv.Auth.ListTokens(t.Context())
		if err != nil || len(tokens) != 1 {
			t.Fatalf("tokens %v (%v)", tokens, err)
		}
		res = admin.PostForm(t, "/admin/tokens/"+tokens[0].PublicID+"/revoke", nil)
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/admin/tokens?ok=token_revoked" {
			t.Fatalf("revoke: %d to %q", res.Status, res.Header.Get("Location"))
		}
		if res := integration.Get(t, "/api/v1/me"); res.Status != http.StatusUnauthorized {
			t.Errorf("revoked token: %d, want 401", res.Status)
		}
		if res := admin.PostForm(t, "/admin/tokens/nosuchtoken00000/revoke", nil); res.Status != http.StatusNotFound {
			t.Errorf("revoke unknown token: %d, want 404", res.Status)
		}
	})
}

func TestTokenFormMistakes(t *testing.T) {
	srv := webtest.StartServer(t)
	me := srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
	agent := srv.CreateUser(t, "anna", webtest.Password, vernost.RoleAgent)
	admin := srv.SignIn(t, "admin", webtest.Password)
	tests := []struct {
		name string
		form url.Values
		want int
	}{
		{"no scope", url.Values{"name": {"x"}, "owner": {me.PublicID}}, http.StatusBadRequest},
		{"unknown scope", url.Values{"name": {"x"}, "owner": {me.PublicID}, "scope": {"root"}}, http.StatusBadRequest},
		{"unknown owner", url.Values{"name": {"x"}, "owner": {"nosuchuser00000"}, "scope": {auth.ScopeCustomersRead}}, http.StatusBadRequest},
		{"no name", url.Values{"name": {""}, "owner": {me.PublicID}, "scope": {auth.ScopeCustomersRead}}, http.StatusBadRequest},
		{"admin scope for an agent", url.Values{"name": {"x"}, "owner": {agent.PublicID}, "scope": {auth.ScopeAdmin}}, http.StatusBadRequest},
	}
	for _, tt := range tests {
		res := admin.PostForm(t, "/admin/tokens", tt.form)
		if res.Status != tt.want || !strings.Contains(res.Body, `class="error"`) {
			t.Errorf("%s: %d, want %d with the error at the form", tt.name, res.Status, tt.want)
		}
		if plaintextToken.MatchString(res.Body) {
			t.Errorf("%s: a token was issued", tt.name)
		}
	}
	if tokens, _ := srv.Auth.ListTokens(t.Context()); len(tokens) != 0 {
		t.Errorf("%d tokens exist after only mistakes", len(tokens))
	}
}
