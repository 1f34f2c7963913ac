// Package webtest runs the real vernost web server for tests: on a fresh
// database, on a real port, with helpers to create users, sign in, call the
// API, and drive a real Chromium through chromedp.
//
//	srv := webtest.StartServer(t)
//	srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
//	admin := srv.SignIn(t, "admin", webtest.Password)
//	res := admin.PostForm(t, "/admin/users", url.Values{"login": {"anna"}, …})
package webtest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/importer"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
	"github.com/vernost/vernost/internal/web"
)

// Password is a password that satisfies the rules, for test users.
const Password = "correct-horse-battery"

// Start is where the server's clock stands when a test begins.
var Start = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// Server is a running vernost web server and the services behind it.
type Server struct {
	URL       string // "http://127.0.0.1:port"
	DB        *sqldb.DB
	Auth      *auth.Service
	Audit     *audit.Log
	Customers *customer.Service
	Imports   *importer.Jobs
	Web       *web.Server
	Clock     *vernost.FixedClock
}

// StartServer starts the server on a fresh SQLite database.
func StartServer(t testing.TB) *Server {
	t.Helper()
	return StartServerOn(t, sqldbtest.SQLite(t), web.Config{})
}

// StartServerOn starts the server on db (from sqldbtest.Each or Open) with
// cfg; an empty cfg.BaseURL becomes the server's own address. Everything
// stops when the test ends.
func StartServerOn(t testing.TB, db *sqldb.DB, cfg web.Config) *Server {
	t.Helper()
	ctx := context.Background()
	clock := vernost.NewFixedClock(Start)
	log, err := audit.New(ctx, db, clock)
	if err != nil {
		t.Fatalf("audit.New: %v", err)
	}
	t.Cleanup(log.Close)
	svc, err := auth.New(ctx, db, clock, log)
	if err != nil {
		t.Fatalf("auth.New: %v", err)
	}
	t.Cleanup(svc.Close)
	customers, err := customer.New(ctx, db, clock, log, customer.Config{})
	if err != nil {
		t.Fatalf("customer.New: %v", err)
	}
	t.Cleanup(customers.Close)
	imports, err := importer.NewJobs(ctx, db, customers, log, clock)
	if err != nil {
		t.Fatalf("importer.NewJobs: %v", err)
	}
	t.Cleanup(imports.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	base := "http://" + ln.Addr().String()
	if cfg.BaseURL == "" {
		cfg.BaseURL = base
	}
	ws, err := web.New(cfg, web.Deps{DB: db, Auth: svc, Audit: log, Customers: customers, Imports: imports, Clock: clock, Logger: testLogger(t)})
	if err != nil {
		ln.Close()
		t.Fatalf("web.New: %v", err)
	}
	hs := &http.Server{Handler: ws.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
	})
	return &Server{URL: base, DB: db, Auth: svc, Audit: log, Customers: customers, Imports: imports, Web: ws, Clock: clock}
}

// testLogger shows warnings and errors in the test's output only.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// CreateUser adds an active user with the given role.
func (s *Server) CreateUser(t testing.TB, login, password string, role vernost.Role) auth.User {
	t.Helper()
	ctx := vernost.WithActor(context.Background(), vernost.System)
	u, err := s.Auth.CreateUser(ctx, auth.NewUser{Login: login, Name: "Test " + login, Password: password, Role: role})
	if err != nil {
		t.Fatalf("create user %s: %v", login, err)
	}
	return u
}

// CreateToken issues an API token for user with scopes and returns a client
// that sends it.
func (s *Server) CreateToken(t testing.TB, user auth.User, scopes ...string) *Client {
	t.Helper()
	ctx := vernost.WithActor(context.Background(), vernost.System)
	plain, _, err := s.Auth.CreateToken(ctx, user.ID, "test-"+user.Login, scopes)
	if err != nil {
		t.Fatalf("create token for %s: %v", user.Login, err)
	}
	return &Client{srv: s, Token: plain}
}

// SignIn starts a session for login, as the sign-in form would, and
// returns a client that sends its cookie and CSRF token.
func (s *Server) SignIn(t testing.TB, login, password string) *Client {
	t.Helper()
	token, sess, _, err := s.Auth.Login(context.Background(), login, password, "127.0.0.1", "webtest")
	if err != nil {
		t.Fatalf("sign in %s: %v", login, err)
	}
	return &Client{srv: s, Session: token, CSRF: sess.CSRFToken}
}

// Anonymous returns a client with no credentials.
func (s *Server) Anonymous() *Client { return &Client{srv: s} }

// Client sends requests to the server as one identity. It does not follow
// redirects, so tests see them.
type Client struct {
	srv     *Server
	Session string // session cookie value
	CSRF    string // the session's CSRF token, added to forms by PostForm
	Token   string // API token, sent as a bearer token
}

// Response is an answer with its body read.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

var noRedirects = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Do sends req with the client's credentials (cookie or bearer token),
// adding the server's address when req's URL is a bare path.
func (c *Client) Do(t testing.TB, req *http.Request) Response {
	t.Helper()
	if req.URL.Host == "" {
		u, err := url.Parse(c.srv.URL + req.URL.String())
		if err != nil {
			t.Fatalf("url %s: %v", req.URL, err)
		}
		req.URL, req.Host = u, u.Host
	}
	if c.Session != "" {
		req.AddCookie(&http.Cookie{Name: "vernost_session", Value: c.Session})
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := noRedirects.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL.Path, err)
	}
	return Response{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

// Get fetches path.
func (c *Client) Get(t testing.TB, path string) Response {
	t.Helper()
	return c.Do(t, NewRequest(t, http.MethodGet, path, "", nil))
}

// PostForm posts form to path, with the session's CSRF token added.
func (c *Client) PostForm(t testing.TB, path string, form url.Values) Response {
	t.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	if c.CSRF != "" && f.Get("csrf") == "" {
		f.Set("csrf", c.CSRF)
	}
	return c.Do(t, NewRequest(t, http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(f.Encode())))
}

// SendJSON sends a JSON body (already encoded) with the session's CSRF
// header when there is a session.
func (c *Client) SendJSON(t testing.TB, method, path, body string) Response {
	t.Helper()
	req := NewRequest(t, method, path, "application/json", strings.NewReader(body))
	if c.CSRF != "" {
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	return c.Do(t, req)
}

// NewRequest builds a request for a bare path; Do adds the server address.
func NewRequest(t testing.TB, method, path, contentType string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, path, body)
	if err != nil {
		t.Fatalf("new request %s %s: %v", method, path, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}
