package web_test

import (
	"context"
	"net/http"
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

var roles = []vernost.Role{vernost.RoleAgent, vernost.RoleSupervisor, vernost.RoleAdmin}

// wildcard matches {id}, {path...} and {$} in a ServeMux pattern.
var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// concretePath fills a pattern's wildcards with an id that matches nothing,
// so that allowed requests end in 404 or 400, never in a change.
func concretePath(pattern string) string {
	return wildcard.ReplaceAllStringFunc(pattern, func(w string) string {
		if w == "{$}" {
			return ""
		}
		return "zzzzzzzzzzzzzzzz"
	})
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// authzRequest builds a request for rt with a harmless body: an empty form
// for pages, an empty JSON object for the API.
func authzRequest(t *testing.T, rt web.RouteInfo, csrf string) *http.Request {
	path := concretePath(rt.Pattern)
	if !unsafeMethod(rt.Method) {
		return webtest.NewRequest(t, rt.Method, path, "", nil)
	}
	if rt.API {
		req := webtest.NewRequest(t, rt.Method, path, "application/json", strings.NewReader("{}"))
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		return req
	}
	body := ""
	if csrf != "" {
		body = "csrf=" + csrf
	}
	return webtest.NewRequest(t, rt.Method, path, "application/x-www-form-urlencoded", strings.NewReader(body))
}

// TestAuthorization walks the whole route table, so that a route added
// later is checked without anyone writing a test for it. For each route:
// anonymous callers are sent to sign in (pages) or get 401 (API); each role
// is let through exactly when the route's permission allows it; a session
// request that changes state without the CSRF token is refused; an API token
// is refused without the route's scope or with too low a role; a bearer
// token counts for nothing on a page.
func TestAuthorization(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		srv := webtest.StartServerOn(t, db, web.Config{})
		users := map[vernost.Role]auth.User{}
		for _, role := range roles {
			users[role] = srv.CreateUser(t, string(role), webtest.Password, role)
		}
		sessions := map[vernost.Role]*webtest.Client{}
		// session returns a live session for role, signing in again when a
		// route (sign-out) ended the previous one.
		session := func(role vernost.Role) *webtest.Client {
			c := sessions[role]
			if c != nil {
				if _, _, err := srv.Auth.Authenticate(context.Background(), c.Session); err == nil {
					return c
				}
			}
			c = srv.SignIn(t, string(role), webtest.Password)
			sessions[role] = c
			return c
		}
		// One admin token per scope: the admin role passes every route, so
		// only the scope decides.
		tokens := map[string]*webtest.Client{}
		for _, sc := range auth.Scopes {
			tokens[sc] = srv.CreateToken(t, users[vernost.RoleAdmin], sc)
		}
		agentToken := srv.CreateToken(t, users[vernost.RoleAgent], auth.ScopeCustomersWrite)

		checked := 0
		for _, rt := range srv.Web.Routes() {
			t.Run(rt.Method+" "+rt.Pattern, func(t *testing.T) {
				checked++
				anon := srv.Anonymous().Do(t, authzRequest(t, rt, ""))
				switch {
				case rt.Perm == web.Public:
					wantAllowed(t, "anonymous", anon)
				case rt.API:
					wantStatus(t, "anonymous", anon, http.StatusUnauthorized)
				default:
					wantLoginRedirect(t, "anonymous", anon)
				}

				for _, role := range roles {
					c := session(role)
					res := c.Do(t, authzRequest(t, rt, c.CSRF))
					if rt.Perm == web.Public || role.AtLeast(rt.Perm.Role()) {
						wantAllowed(t, string(role), res)
					} else {
						wantStatus(t, string(role), res, http.StatusForbidden)
					}
				}

				if unsafeMethod(rt.Method) {
					admin := session(vernost.RoleAdmin)
					res := admin.Do(t, authzRequest(t, rt, ""))
					wantStatus(t, "admin without CSRF token", res, http.StatusForbidden)
					res = admin.Do(t, authzRequest(t, rt, "wrong-token"))
					wantStatus(t, "admin with a wrong CSRF token", res, http.StatusForbidden)
				}

				if !rt.API {
					if rt.Perm != web.Public {
						res := tokens[auth.ScopeAdmin].Do(t, authzRequest(t, rt, ""))
						wantLoginRedirect(t, "bearer token on a page", res)
					}
					return
				}
				// API tokens are exempt from CSRF: they are not ambient.
				res := tokens[auth.ScopeAdmin].Do(t, authzRequest(t, rt, ""))
				wantAllowed(t, "admin token with the admin scope", res)
				if rt.Scope != "" {
					lacking := ""
					for _, sc := range auth.Scopes {
						if !(auth.Token{Scopes: []string{sc}}).HasScope(rt.Scope) {
							lacking = sc
							break
						}
					}
					if lacking != "" {
						res := tokens[lacking].Do(t, authzRequest(t, rt, ""))
						wantStatus(t, "token with only "+lacking, res, http.StatusForbidden)
					}
				}
				if rt.Perm > web.Agent {
					res := agentToken.Do(t, authzRequest(t, rt, ""))
					wantStatus(t, "agent's token", res, http.StatusForbidden)
				}
			})
		}
		if checked < 20 {
			t.Errorf("checked %d routes; the table looks truncated", checked)
		}
	})
}

func wantAllowed(t *testing.T, who string, res webtest.Response) {
	t.Helper()
	if res.Status == http.StatusUnauthorized || res.Status == http.StatusForbidden || isLoginRedirect(res) {
		t.Errorf("%s: got %d (Location %q), want access", who, res.Status, res.Header.Get("Location"))
	}
	if res.Status >= 500 {
		t.Errorf("%s: got %d, want no server error:\n%.500s", who, res.Status, res.Body)
	}
}

func wantStatus(t *testing.T, who string, res webtest.Response, want int) {
	t.Helper()
	if res.Status != want {
		t.Errorf("%s: got %d, want %d:\n%.300s", who, res.Status, want, res.Body)
	}
}

// isLoginRedirect recognises the answer to a request without a session:
// "/login", or "/login?next=…" for a page. (Signing out lands on
// "/login?ok=signed_out", which is not a refusal.)
func isLoginRedirect(res webtest.Response) bool {
	loc := res.Header.Get("Location")
	return res.Status == http.StatusSeeOther && (loc == "/login" || strings.HasPrefix(loc, "/login?next="))
}

func wantLoginRedirect(t *testing.T, who string, res webtest.Response) {
	t.Helper()
	if !isLoginRedirect(res) {
		t.Errorf("%s: got %d (Location %q), want 303 to /login", who, res.Status, res.Header.Get("Location"))
	}
}

// publicRoutes are the only routes anyone may call without signing in.
// Making a route public is a decision to take on purpose, here.
var publicRoutes = map[string]bool{
	"GET /login":            true,
	"POST /login":           true,
	"POST /lang":            true,
	"GET /healthz":          true,
	"GET /static/":          true,
	"GET /api/openapi.json": true,
}

// TestAccessModel pins the parts of the access model that a typo in the
// table would silently open: the public routes, and administration.
func TestAccessModel(t *testing.T) {
	srv := webtest.StartServer(t)
	seen := map[string]bool{}
	for _, rt := range srv.Web.Routes() {
		key := rt.Method + " " + rt.Pattern
		seen[key] = true
		if (rt.Perm == web.Public) != publicRoutes[key] {
			t.Errorf("%s is %v; the public routes are exactly %v", key, rt.Perm, publicRoutes)
		}
		if strings.HasPrefix(rt.Pattern, "/admin/") && rt.Perm != web.Admin {
			t.Errorf("%s is %v, want admin: everything under /admin/ is for admins", key, rt.Perm)
		}
		if rt.API && rt.Perm == web.Admin && rt.Scope != auth.ScopeAdmin {
			t.Errorf("%s needs the admin role but token scope %q, want %q", key, rt.Scope, auth.ScopeAdmin)
		}
		if key == "GET /metrics" && rt.Perm != web.Admin {
			t.Errorf("%s is %v, want admin (scrapers use Config.MetricsToken)", key, rt.Perm)
		}
	}
	for key := range publicRoutes {
		if !seen[key] {
			t.Errorf("public route %s is not in the table", key)
		}
	}
}
