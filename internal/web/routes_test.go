package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vernost/vernost"
)

func TestCheckTable(t *testing.T) {
	h := func(http.ResponseWriter, *http.Request) error { return nil }
	ok := route{Method: "GET", Pattern: "/x", Perm: Agent, Handler: h, Summary: "x"}
	api := route{Method: "GET", Pattern: "/api/v1/x", Perm: Agent, API: true, Handler: h, Summary: "x", Response: apiMe{}}
	tests := []struct {
		name    string
		table   []route
		wantErr string // substring; "" for no error
	}{
		{"good", []route{ok, api}, ""},
		{"twice", []route{ok, ok}, "twice"},
		{"no summary", []route{{Method: "GET", Pattern: "/y", Handler: h}}, "summary"},
		{"no handler", []route{{Method: "GET", Pattern: "/y", Summary: "y"}}, "handler"},
		{"api outside /api/v1", []route{{Method: "GET", Pattern: "/y", API: true, Handler: h, Summary: "y", Response: apiMe{}}}, "/api/v1/"},
		{"page under /api/v1", []route{{Method: "GET", Pattern: "/api/v1/y", Handler: h, Summary: "y"}}, "/api/v1/"},
		{"scope on a page", []route{{Method: "GET", Pattern: "/y", Scope: "admin", Handler: h, Summary: "y"}}, "scopes"},
		{"api without response", []route{{Method: "GET", Pattern: "/api/v1/y", API: true, Handler: h, Summary: "y"}}, "Response"},
		{"unknown permission", []route{{Method: "GET", Pattern: "/y", Perm: 7, Handler: h, Summary: "y"}}, "permission"},
	}
	for _, tt := range tests {
		err := checkTable(tt.table)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: %v, want no error", tt.name, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: %v, want an error mentioning %q", tt.name, err, tt.wantErr)
		}
	}
}

func TestPermissionRoles(t *testing.T) {
	tests := []struct {
		p    Permission
		role vernost.Role
		name string
	}{
		{Public, "", "public"}, {Agent, vernost.RoleAgent, "agent"}, {Supervisor, vernost.RoleSupervisor, "supervisor"}, {Admin, vernost.RoleAdmin, "admin"},
	}
	for _, tt := range tests {
		if tt.p.Role() != tt.role || tt.p.String() != tt.name {
			t.Errorf("Permission %d: role %q name %q, want %q %q", tt.p, tt.p.Role(), tt.p.String(), tt.role, tt.name)
		}
	}
}

// TestRouteBodyLimit: a route may raise the body limit (imports); others
// keep the configured one.
func TestRouteBodyLimit(t *testing.T) {
	s, _ := newTestServer(t, Config{MaxBodyBytes: 1024})
	read := func(w http.ResponseWriter, r *http.Request) error {
		if err := parseForm(r); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	small := s.wrap(route{Method: "POST", Pattern: "/small", Perm: Public, Summary: "s", Handler: read})
	large := s.wrap(route{Method: "POST", Pattern: "/large", Perm: Public, Summary: "l", Handler: read, MaxBody: 8192})
	tests := []struct {
		name string
		h    http.Handler
		size int
		want int
	}{
		{"default limit, under", small, 900, 204},
		{"default limit, over", small, 2000, 413},
		{"raised limit, over the default", large, 2000, 204},
		{"raised limit, over", large, 9000, 413},
	}
	for _, tt := range tests {
		body := "a=" + strings.Repeat("x", tt.size-2)
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		tt.h.ServeHTTP(w, r)
		if w.Code != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, w.Code, tt.want)
		}
	}
}
