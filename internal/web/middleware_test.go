package web_test

import (
	"encoding/json"
	"io"
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

// TestSecurityHeaders: every kind of answer (page, API, error, static file,
// redirect) carries the headers that stop framing, sniffing and inline script.
func TestSecurityHeaders(t *testing.T) {
	srv := webtest.StartServer(t)
	for _, path := range []string{"/login", "/api/v1/me", "/no/such/page", "/static/app.css", "/healthz", "/admin/users"} {
		res := srv.Anonymous().Get(t, path)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP %q, want default-src 'self' and nothing unsafe", path, csp)
		}
		for name, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"} {
			if got := h.Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", path, name, got, want)
			}
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS sent although SecureCookies is off", path)
		}
	}
}

// inlineCode finds what the CSP would block: script elements without src,
// event-handler attributes and style attributes.
var inlineCode = regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]|<script>|\son[a-z]+\s*=|\sstyle\s*=`)

// TestPagesHaveNoInlineCode renders every page an admin sees and checks it
// works under the CSP: no inline script, handlers or styles.
func TestPagesHaveNoInlineCode(t *testing.T) {
	srv := webtest.StartServer(t)
	admin := srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
	c := srv.SignIn(t, "admin", webtest.Password)
	pages := []string{"/admin/users", "/admin/users/" + admin.PublicID, "/admin/tokens", "/admin/audit", "/no/such/page"}
	for _, p := range pages {
		res := c.Get(t, p)
		if !strings.Contains(res.Body, "<html") {
			t.Errorf("%s: %d, not a page", p, res.Status)
			continue
		}
		if m := inlineCode.FindString(res.Body); m != "" {
			t.Errorf("%s: inline code %q would be blocked by the CSP", p, m)
		}
	}
	res := srv.Anonymous().Get(t, "/login")
	if m := inlineCode.FindString(res.Body); m != "" {
		t.Errorf("/login: inline code %q would be blocked by the CSP", m)
	}
}

// TestCrossOriginRefused: a state-changing request from another site is
// refused even with the right CSRF token (a token leaked into another page
// must not be enough), while the same request from this site passes.
func TestCrossOriginRefused(t *testing.T) {
	srv := webtest.StartServer(t)
	srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
	c := srv.SignIn(t, "admin", webtest.Password)
	tests := []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"no browser headers (a script or old client)", nil, http.StatusSeeOther},
		{"same origin", map[string]string{"Origin": srv.URL}, http.StatusSeeOther},
		{"sec-fetch-site same-origin", map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusSeeOther},
		{"foreign origin", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, http.StatusForbidden},
		{"same-site but other origin", map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"lang": {"en"}, "next": {"/admin/users"}, "csrf": {c.CSRF}}
			req := webtest.NewRequest(t, "POST", "/lang", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			if res := c.Do(t, req); res.Status != tt.want {
				t.Errorf("status = %d, want %d", res.Status, tt.want)
			}
		})
	}
}

// TestCSRFHeaderForFetch: the page's JavaScript sends the token in
// X-CSRF-Token with a JSON body.
func TestCSRFHeaderForFetch(t *testing.T) {
	srv := webtest.StartServer(t)
	srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
	c := srv.SignIn(t, "admin", webtest.Password)
	body := `{"login":"olga","name":"Ольга","password":"` + webtest.Password + `","role":"agent"}`
	if res := c.SendJSON(t, "POST", "/api/v1/users", body); res.Status != http.StatusCreated {
		t.Fatalf("with the header: %d %s, want 201", res.Status, res.Body)
	}
	// The same call without the header: the cookie alone must not do.
	req := webtest.NewRequest(t, "POST", "/api/v1/users", "application/json", strings.NewReader(strings.Replace(body, "olga", "olga2", 1)))
	if res := c.Do(t, req); res.Status != http.StatusForbidden {
		t.Errorf("without the header: %d, want 403", res.Status)
	}
}

func TestSessionCookie(t *testing.T) {
	for _, secure := range []bool{false, true} {
		srv := webtest.StartServerOn(t, sqldbtest.SQLite(t), web.Config{SecureCookies: secure})
		srv.CreateUser(t, "anna", webtest.Password, vernost.RoleAgent)
		res := srv.Anonymous().PostForm(t, "/login", url.Values{"login": {"anna"}, "password": {webtest.Password}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("secure=%v: login %d, want 303", secure, res.Status)
		}
		cookie := findCookie(res, "vernost_session")
		if cookie == nil {
			t.Fatalf("secure=%v: no session cookie in %v", secure, res.Header["Set-Cookie"])
		}
		if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" || cookie.Secure != secure {
			t.Errorf("secure=%v: cookie HttpOnly=%v SameSite=%v Path=%q Secure=%v, want HttpOnly Lax / Secure=%v",
				secure, cookie.HttpOnly, cookie.SameSite, cookie.Path, cookie.Secure, secure)
		}
		if cookie.MaxAge <= 0 || cookie.MaxAge > int(auth.MaxSessionAge.Seconds()) {
			t.Errorf("secure=%v: cookie MaxAge %d, want within the session's life", secure, cookie.MaxAge)
		}
		if hsts := res.Header.Get("Strict-Transport-Security") != ""; hsts != secure {
			t.Errorf("secure=%v: HSTS present = %v", secure, hsts)
		}
	}
}

func findCookie(res webtest.Response, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// TestBodyLimit: a body over the limit is refused with 413, as JSON on the
// API and as a page otherwise, whether or not it declares its length.
func TestBodyLimit(t *testing.T) {
	srv := webtest.StartServerOn(t, sqldbtest.SQLite(t), web.Config{MaxBodyBytes: 1024})
	admin := srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
	token := srv.CreateToken(t, admin, auth.ScopeAdmin)
	session := srv.SignIn(t, "admin", webtest.Password)
	big := `{"login":"x","name":"` + strings.Repeat("я", 2000) + `","password":"p","role":"agent"}`

	res := token.SendJSON(t, "POST", "/api/v1/users", big)
	wantTooLarge(t, "API with Content-Length", res, true)

	// Without a length the limit bites while reading.
	req := webtest.NewRequest(t, "POST", "/api/v1/users", "application/json", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	wantTooLarge(t, "API streamed", token.Do(t, req), true)

	form := url.Values{"login": {"x"}, "name": {strings.Repeat("я", 2000)}, "csrf": {session.CSRF}}
	req = webtest.NewRequest(t, "POST", "/admin/users", "application/x-www-form-urlencoded", io.MultiReader(strings.NewReader(form.Encode())))
	req.ContentLength = -1
	wantTooLarge(t, "form streamed", session.Do(t, req), false)

	if res := token.SendJSON(t, "POST", "/api/v1/users", `{"login":"small","name":"S","password":"`+webtest.Password+`","role":"agent"}`); res.Status != http.StatusCreated {
		t.Errorf("a body under the limit: %d %s, want 201", res.Status, res.Body)
	}
}

func wantTooLarge(t *testing.T, what string, res webtest.Response, api bool) {
	t.Helper()
	if res.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("%s: status %d, want 413:\n%.300s", what, res.Status, res.Body)
		return
	}
	if api {
		var body struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal([]byte(res.Body), &body); err != nil || body.Error.Code != "too_large" || !strings.Contains(body.Error.Message, "1 KiB") {
			t.Errorf("%s: body %s, want code too_large naming the 1 KiB limit", what, res.Body)
		}
	} else if !strings.Contains(res.Body, "<html") {
		t.Errorf("%s: body is not a page:\n%.300s", what, res.Body)
	}
}

func TestNotFound(t *testing.T) {
	srv := webtest.StartServer(t)
	tests := []struct {
		path, method, wantType string
	}{
		{"/no/such/page", "GET", "text/html"},
		{"/api/v1/no-such-thing", "GET", "application/json"},
		{"/static/nope.css", "GET", "text/html"},
		{"/healthz", "DELETE", "text/html"}, // a known path with another method
	}
	for _, tt := range tests {
		res := srv.Anonymous().Do(t, webtest.NewRequest(t, tt.method, tt.path, "", nil))
		if res.Status != http.StatusNotFound || !strings.HasPrefix(res.Header.Get("Content-Type"), tt.wantType) {
			t.Errorf("%s %s: %d %s, want 404 %s", tt.method, tt.path, res.Status, res.Header.Get("Content-Type"), tt.wantType)
		}
	}
}

func TestHealthz(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		srv := webtest.StartServerOn(t, db, web.Config{})
		res := srv.Anonymous().Get(t, "/healthz")
		if res.Status != http.StatusOK || !strings.Contains(res.Body, `"status":"ok"`) {
			t.Fatalf("healthy: %d %s", res.Status, res.Body)
		}
		db.R.Close()
		if res := srv.Anonymous().Get(t, "/healthz"); res.Status != http.StatusServiceUnavailable {
			t.Errorf("reader pool closed: %d, want 503", res.Status)
		}
	})
}

// TestMetrics: requests are counted by route pattern, not by path; /metrics
// is open to an admin session and to the configured scrape token only.
func TestMetrics(t *testing.T) {
	srv := webtest.StartServerOn(t, sqldbtest.SQLite(t), web.Config{MetricsToken: "scrape-secret"})
	srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
	srv.CreateUser(t, "sup", webtest.Password, vernost.RoleSupervisor)
	admin := srv.SignIn(t, "admin", webtest.Password)
	for _, id := range []string{"aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc"} {
		admin.Get(t, "/admin/users/"+id)
	}
	res := admin.Get(t, "/metrics")
	if res.Status != http.StatusOK {
		t.Fatalf("admin: %d", res.Status)
	}
	want := `vernost_http_requests_total{code="404",route="GET /admin/users/{id}"} 3`
	if !strings.Contains(res.Body, want) {
		t.Errorf("metrics lack %q", want)
	}
	if !strings.Contains(res.Body, `vernost_http_request_duration_seconds_count{route="GET /admin/users/{id}"} 3`) {
		t.Errorf("metrics lack the duration histogram for the route")
	}
	scraper := srv.Anonymous()
	scraper.Token = "scrape-secret"
	if res := scraper.Get(t, "/metrics"); res.Status != http.StatusOK {
		t.Errorf("scrape token: %d, want 200", res.Status)
	}
	scraper.Token = "scrape-secreT"
	if res := scraper.Get(t, "/metrics"); res.Status == http.StatusOK {
		t.Errorf("wrong scrape token: 200, want refused")
	}
	if res := srv.SignIn(t, "sup", webtest.Password).Get(t, "/metrics"); res.Status != http.StatusForbidden {
		t.Errorf("supervisor: %d, want 403", res.Status)
	}
	// The scrape token opens /metrics only.
	scraper.Token = "scrape-secret"
	if res := scraper.Get(t, "/api/v1/me"); res.Status != http.StatusUnauthorized {
		t.Errorf("scrape token on the API: %d, want 401", res.Status)
	}
}

// TestBearerOnPageKeepsSession: a bearer header on a page neither signs in
// nor hides the session cookie sent with it.
func TestBearerOnPageKeepsSession(t *testing.T) {
	srv := webtest.StartServer(t)
	admin := srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
	c := srv.SignIn(t, "admin", webtest.Password)
	c.Token = srv.CreateToken(t, admin, auth.ScopeAdmin).Token
	if res := c.Get(t, "/admin/users"); res.Status != http.StatusOK {
		t.Errorf("page with cookie and bearer: %d, want 200", res.Status)
	}
	// On the API the explicit token decides, even with a bad token.
	c.Token = "vst_not-a-token"
	if res := c.Get(t, "/api/v1/me"); res.Status != http.StatusUnauthorized {
		t.Errorf("API with a bad bearer and a good cookie: %d, want 401", res.Status)
	}
}
