package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// benchServer is a server on SQLite with the wall clock (so session
// touches and token last-use writes happen as in production), an admin
// session, an admin API token and 20 users.
type benchServer struct {
	h       http.Handler
	session string
	token   string
}

func newBenchServer(b *testing.B) benchServer {
	b.Helper()
	ctx := vernost.WithActor(context.Background(), vernost.System)
	db := sqldbtest.SQLite(b)
	deps := testDeps(b, db, vernost.SystemClock{})
	svc := deps.Auth
	s, err := New(Config{}, deps)
	if err != nil {
		b.Fatal(err)
	}
	const password = "bench-password-1"
	var admin auth.User
	for i := range 20 {
		role, login := vernost.RoleAgent, "agent"+string(rune('a'+i))
		if i == 0 {
			role, login = vernost.RoleAdmin, "admin"
		}
		u, err := svc.CreateUser(ctx, auth.NewUser{Login: login, Name: "Пользователь " + login, Password: password, Role: role})
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			admin = u
		}
	}
	session, _, _, err := svc.Login(ctx, "admin", password, "127.0.0.1", "bench")
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := svc.CreateToken(ctx, admin.ID, "bench", []string{auth.ScopeAdmin})
	if err != nil {
		b.Fatal(err)
	}
	return benchServer{h: s.Handler(), session: session, token: token}
}

func (bs benchServer) run(b *testing.B, newReq func() *http.Request, wantStatus int) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		bs.h.ServeHTTP(w, newReq())
		if w.Code != wantStatus {
			b.Fatalf("status %d, want %d: %.300s", w.Code, wantStatus, w.Body)
		}
	}
}

// BenchmarkUsersPage: a full page for a session (authenticate, layout,
// 20-row table, two languages' catalogue lookups).
func BenchmarkUsersPage(b *testing.B) {
	bs := newBenchServer(b)
	bs.run(b, func() *http.Request {
		r := httptest.NewRequest("GET", "/admin/users", nil)
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: bs.session})
		return r
	}, http.StatusOK)
}

// BenchmarkAPIMe: the smallest authenticated API call with a bearer token.
func BenchmarkAPIMe(b *testing.B) {
	bs := newBenchServer(b)
	bs.run(b, func() *http.Request {
		r := httptest.NewRequest("GET", "/api/v1/me", nil)
		r.Header.Set("Authorization", "Bearer "+bs.token)
		return r
	}, http.StatusOK)
}

// BenchmarkAPIUsersList: JSON list of 20 users with a bearer token.
func BenchmarkAPIUsersList(b *testing.B) {
	bs := newBenchServer(b)
	bs.run(b, func() *http.Request {
		r := httptest.NewRequest("GET", "/api/v1/users", nil)
		r.Header.Set("Authorization", "Bearer "+bs.token)
		return r
	}, http.StatusOK)
}

// BenchmarkStatic: the middleware cost alone, on an anonymous static file.
func BenchmarkStatic(b *testing.B) {
	bs := newBenchServer(b)
	bs.run(b, func() *http.Request { return httptest.NewRequest("GET", "/static/app.css?v=x", nil) }, http.StatusOK)
}

func BenchmarkDecodeJSON(b *testing.B) {
	body := `{"login":"anna","name":"Анна Смирнова","email":"anna@example.com","password":"correct-horse-battery","role":"agent","locale":"ru"}`
	b.ReportAllocs()
	for b.Loop() {
		var v apiNewUser
		if err := decodeJSONFrom(strings.NewReader(body), &v); err != nil {
			b.Fatal(err)
		}
	}
}
