package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
	"github.com/vernost/vernost/internal/web"
	"github.com/vernost/vernost/internal/web/webtest"
)

// sessionFrom turns a sign-in answer into a client holding its cookie.
func sessionFrom(t *testing.T, srv *webtest.Server, res webtest.Response) *webtest.Client {
	t.Helper()
	cookie := findCookie(res, "vernost_session")
	if cookie == nil || cookie.Value == "" {
		t.Fatalf("no session cookie in %d answer: %v", res.Status, res.Header["Set-Cookie"])
	}
	sess, _, err := srv.Auth.Authenticate(context.Background(), cookie.Value)
	if err != nil {
		t.Fatalf("the cookie is not a session: %v", err)
	}
	c := srv.Anonymous()
	c.Session, c.CSRF = cookie.Value, sess.CSRFToken
	return c
}

func TestSignInAndOut(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		srv := webtest.StartServerOn(t, db, web.Config{})
		srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
		anon := srv.Anonymous()

		// A page asked for without a session comes back after signing in.
		res := anon.Get(t, "/admin/audit?action=user.create")
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Fadmin%2Faudit%3Faction%3Duser.create" {
			t.Fatalf("anonymous page: %d to %q", res.Status, res.Header.Get("Location"))
		}
		form := anon.Get(t, res.Header.Get("Location"))
		if form.Status != http.StatusOK || !strings.Contains(form.Body, `name="next" value="/admin/audit?action=user.create"`) {
			t.Fatalf("sign-in form: %d, next not carried:\n%.2000s", form.Status, form.Body)
		}

		res = anon.PostForm(t, "/login", url.Values{"login": {"admin"}, "password": {"wrong-password-1"}})
		if res.Status != http.StatusUnauthorized || !strings.Contains(res.Body, "Неверный логин или пароль") {
			t.Errorf("wrong password: %d, want 401 with the message in Russian", res.Status)
		}
		if findCookie(res, "vernost_session") != nil {
			t.Errorf("wrong password set a session cookie")
		}
		res = anon.PostForm(t, "/login", url.Values{"login": {""}, "password": {""}})
		if res.Status != http.StatusBadRequest || !strings.Contains(res.Body, "Введите логин и пароль") {
			t.Errorf("empty form: %d, want 400 asking for both", res.Status)
		}

		res = anon.PostForm(t, "/login", url.Values{"login": {"Admin"}, "password": {webtest.Password}, "next": {"/admin/audit?action=user.create"}})
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/admin/audit?action=user.create" {
			t.Fatalf("sign in: %d to %q, want 303 to the page asked for", res.Status, res.Header.Get("Location"))
		}
		c := sessionFrom(t, srv, res)
		if res := c.Get(t, "/admin/users"); res.Status != http.StatusOK {
			t.Fatalf("signed in: /admin/users %d", res.Status)
		}
		if res := c.Get(t, "/login"); res.Status != http.StatusSeeOther {
			t.Errorf("sign-in form while signed in: %d, want a redirect", res.Status)
		}

		res = c.PostForm(t, "/logout", nil)
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Fatalf("sign out: %d to %q", res.Status, res.Header.Get("Location"))
		}
		if cookie := findCookie(res, "vernost_session"); cookie == nil || cookie.MaxAge >= 0 {
			t.Errorf("sign out did not delete the cookie: %v", res.Header["Set-Cookie"])
		}
		if res := c.Get(t, "/admin/users"); res.Status != http.StatusSeeOther {
			t.Errorf("old cookie after sign out: %d, want a redirect to sign in", res.Status)
		}
	})
}

func TestSignInNextStaysOnSite(t *testing.T) {
	srv := webtest.StartServer(t)
	srv.CreateUser(t, "anna", webtest.Password, vernost.RoleAgent)
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example"} {
		res := srv.Anonymous().PostForm(t, "/login", url.Values{"login": {"anna"}, "password": {webtest.Password}, "next": {next}})
		if loc := res.Header.Get("Location"); res.Status != http.StatusSeeOther || loc != "/" {
			t.Errorf("next=%q: %d to %q, want 303 to /", next, res.Status, loc)
		}
	}
}

// TestSignInRateLimited: after the allowed failures the form says to wait,
// with 429 and Retry-After, even for the right password.
func TestSignInRateLimited(t *testing.T) {
	srv := webtest.StartServer(t)
	srv.CreateUser(t, "anna", webtest.Password, vernost.RoleAgent)
	for i := range auth.MaxFailuresPerLogin {
		res := srv.Anonymous().PostForm(t, "/login", url.Values{"login": {"anna"}, "password": {"wrong-password-" + strconv.Itoa(i)}})
		if res.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, res.Status)
		}
	}
	req := webtest.NewRequest(t, "POST", "/login", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"login": {"anna"}, "password": {webtest.Password}}.Encode()))
	req.Header.Set("Accept-Language", "en")
	res := srv.Anonymous().Do(t, req)
	if res.Status != http.StatusTooManyRequests {
		t.Fatalf("after %d failures: %d, want 429", auth.MaxFailuresPerLogin, res.Status)
	}
	if !strings.Contains(res.Body, "Too many failed sign-in attempts") {
		t.Errorf("429 page lacks the rate-limit message:\n%.2000s", res.Body)
	}
	retry, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || retry < 1 || retry > int(auth.LoginWindow.Seconds()) {
		t.Errorf("Retry-After = %q, want 1..%d seconds", res.Header.Get("Retry-After"), int(auth.LoginWindow.Seconds()))
	}
	srv.Clock.Advance(auth.LoginWindow)
	res = srv.Anonymous().PostForm(t, "/login", url.Values{"login": {"anna"}, "password": {webtest.Password}})
	if res.Status != http.StatusSeeOther {
		t.Errorf("after the window: %d, want 303", res.Status)
	}
}

func TestLanguage(t *testing.T) {
	srv := webtest.StartServer(t)
	srv.CreateUser(t, "anna", webtest.Password, vernost.RoleAdmin)
	get := func(c *webtest.Client, path, acceptLanguage string) webtest.Response {
		req := webtest.NewRequest(t, "GET", path, "", nil)
		req.Header.Set("Accept-Language", acceptLanguage)
		return c.Do(t, req)
	}
	wantLang := func(what string, res webtest.Response, lang, text string) {
		t.Helper()
		if !strings.Contains(res.Body, `<html lang="`+lang+`">`) || !strings.Contains(res.Body, text) {
			t.Errorf("%s: want %s page with %q:\n%.600s", what, lang, text, res.Body)
		}
	}
	anon := srv.Anonymous()
	wantLang("no preference", get(anon, "/login", ""), "ru", "Вход в vernost")
	wantLang("browser prefers English", get(anon, "/login", "en-US,en;q=0.9,ru;q=0.5"), "en", "Sign in to vernost")
	wantLang("browser prefers German, then Russian", get(anon, "/login", "de;q=0.9,ru;q=0.5"), "ru", "Вход в vernost")

	// An anonymous choice is kept in a cookie and beats the browser.
	res := anon.PostForm(t, "/lang", url.Values{"lang": {"ru"}, "next": {"/login"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("switch: %d to %q", res.Status, res.Header.Get("Location"))
	}
	cookie := findCookie(res, "vernost_lang")
	if cookie == nil || cookie.Value != "ru" {
		t.Fatalf("switch set no language cookie: %v", res.Header["Set-Cookie"])
	}
	req := webtest.NewRequest(t, "GET", "/login", "", nil)
	req.Header.Set("Accept-Language", "en")
	req.AddCookie(cookie)
	wantLang("cookie beats the browser", anon.Do(t, req), "ru", "Вход в vernost")

	// A signed-in user's choice is stored in their account.
	c := srv.SignIn(t, "anna", webtest.Password)
	wantLang("user setting beats the browser", get(c, "/admin/users", "en"), "ru", "Пользователи")
	if res := c.PostForm(t, "/lang", url.Values{"lang": {"en"}, "next": {"/admin/users"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("signed-in switch: %d", res.Status)
	}
	if u, err := srv.Auth.UserByLogin(context.Background(), "anna"); err != nil || u.Locale != "en" {
		t.Errorf("user locale = %q (%v), want en", u.Locale, err)
	}
	wantLang("after switching", get(c, "/admin/users", "ru"), "en", "Users")

	if res := c.PostForm(t, "/lang", url.Values{"lang": {"de"}}); res.Status != http.StatusBadRequest {
		t.Errorf("unsupported language: %d, want 400", res.Status)
	}
}

// TestHome: "/" leads to the first section the user may open, or to a
// welcome page when there is none.
func TestHome(t *testing.T) {
	srv := webtest.StartServer(t)
	for _, role := range roles {
		srv.CreateUser(t, string(role), webtest.Password, role)
		c := srv.SignIn(t, string(role), webtest.Password)
		res := c.Get(t, "/")
		switch res.Status {
		case http.StatusSeeOther:
			loc := res.Header.Get("Location")
			if next := c.Get(t, loc); next.Status != http.StatusOK {
				t.Errorf("%s: home sends to %s, which answers %d", role, loc, next.Status)
			}
		case http.StatusOK:
			if !strings.Contains(res.Body, "Добро пожаловать") {
				t.Errorf("%s: home page without the welcome", role)
			}
		default:
			t.Errorf("%s: home %d", role, res.Status)
		}
	}
	if res := srv.SignIn(t, "admin", webtest.Password).Get(t, "/"); res.Status != http.StatusSeeOther {
		t.Errorf("admin: home %d, want a redirect (admins always have sections)", res.Status)
	}
}

// TestNavigationFollowsRoles: the menu shows what the role may open.
func TestNavigationFollowsRoles(t *testing.T) {
	srv := webtest.StartServer(t)
	srv.CreateUser(t, "agent", webtest.Password, vernost.RoleAgent)
	srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
	body := srv.SignIn(t, "admin", webtest.Password).Get(t, "/admin/users").Body
	for _, link := range []string{`href="/admin/users" aria-current="page"`, `href="/admin/audit"`, `href="/admin/tokens"`} {
		if !strings.Contains(body, link) {
			t.Errorf("admin menu lacks %s", link)
		}
	}
	agent := srv.SignIn(t, "agent", webtest.Password)
	res := agent.Get(t, "/no/such/page") // any page renders the menu
	if strings.Contains(res.Body, `href="/admin/`) {
		t.Errorf("agent menu shows administration")
	}
	if !strings.Contains(res.Body, "оператор") {
		t.Errorf("user menu lacks the role name")
	}
}
