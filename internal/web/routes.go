package web

import (
	"net/http"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
)

// Permission is the least a caller needs to reach a route: nobody, or a
// signed-in user whose role is at least the named one.
type Permission int

const (
	Public     Permission = iota // anyone, signed in or not
	Agent                        // any signed-in user
	Supervisor                   // supervisors and admins
	Admin                        // admins only
)

// Role returns the least role the permission asks for ("" for Public).
func (p Permission) Role() vernost.Role {
	switch p {
	case Agent:
		return vernost.RoleAgent
	case Supervisor:
		return vernost.RoleSupervisor
	case Admin:
		return vernost.RoleAdmin
	}
	return ""
}

func (p Permission) String() string {
	if p == Public {
		return "public"
	}
	return string(p.Role())
}

// handlerFunc is a handler that returns its failure instead of writing it,
// so that every error reaches the one mapper in errors.go.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// route is one line of the route table. Everything a request goes through
// before its handler (authentication, role, scope, CSRF, body limit) is
// decided by these fields.
type route struct {
	Method  string
	Pattern string // net/http ServeMux pattern without the method
	Perm    Permission
	Scope   string // API routes: the token scope required ("" = any valid token)
	API     bool   // JSON in and out, errors as JSON, bearer tokens accepted
	Handler handlerFunc
	Summary string
	MaxBody int64 // overrides Config.MaxBodyBytes (imports)
	Scrape  bool  // accepts Config.MetricsToken as a bearer token

	// OpenAPI declarations, for API routes: the JSON body read and written,
	// the success status (200 when 0) and the query parameters.
	Request  any
	Response any
	Status   int
	Query    []param
}

// param is a query parameter of an API route, for the OpenAPI document.
type param struct {
	Name, Type, Doc string // Type: "string", "integer", "date"
}

// routes is the route table: the whole access model, top to bottom. Add an
// area by adding its lines here and its handlers in a file of its own.
func (s *Server) routes() []route {
	return []route{
		// Signing in and out, language, health.
		{Method: "GET", Pattern: "/{$}", Perm: Agent, Handler: s.home, Summary: "home: the first section the user may open"},
		{Method: "GET", Pattern: "/login", Perm: Public, Handler: s.loginPage, Summary: "sign-in form"},
		{Method: "POST", Pattern: "/login", Perm: Public, Handler: s.login, Summary: "sign in"},
		{Method: "POST", Pattern: "/logout", Perm: Agent, Handler: s.logout, Summary: "sign out"},
		{Method: "POST", Pattern: "/lang", Perm: Public, Handler: s.switchLanguage, Summary: "switch the interface language"},
		{Method: "GET", Pattern: "/healthz", Perm: Public, Handler: s.healthz, Summary: "liveness and database check"},
		{Method: "GET", Pattern: "/metrics", Perm: Admin, Scrape: true, Handler: s.metricsPage, Summary: "Prometheus metrics"},
		{Method: "GET", Pattern: "/static/", Perm: Public, Handler: s.static, Summary: "CSS, JavaScript, images"},

		// Administration.
		{Method: "GET", Pattern: "/admin/users", Perm: Admin, Handler: s.usersPage, Summary: "list users, form to add one"},
		{Method: "POST", Pattern: "/admin/users", Perm: Admin, Handler: s.createUser, Summary: "add a user"},
		{Method: "GET", Pattern: "/admin/users/{id}", Perm: Admin, Handler: s.userPage, Summary: "edit a user"},
		{Method: "POST", Pattern: "/admin/users/{id}", Perm: Admin, Handler: s.updateUser, Summary: "save a user's role, status, language"},
		{Method: "POST", Pattern: "/admin/users/{id}/password", Perm: Admin, Handler: s.resetPassword, Summary: "set a user's password"},
		{Method: "GET", Pattern: "/admin/tokens", Perm: Admin, Handler: s.tokensPage, Summary: "list API tokens"},
		{Method: "POST", Pattern: "/admin/tokens", Perm: Admin, Handler: s.createToken, Summary: "create an API token (shown once)"},
		{Method: "POST", Pattern: "/admin/tokens/{id}/revoke", Perm: Admin, Handler: s.revokeToken, Summary: "revoke an API token"},
		{Method: "GET", Pattern: "/admin/audit", Perm: Admin, Handler: s.auditPage, Summary: "audit log with filters"},
		{Method: "GET", Pattern: "/admin/audit.csv", Perm: Admin, Handler: s.auditCSV, Summary: "audit log export as CSV"},

		// JSON API.
		{Method: "GET", Pattern: "/api/openapi.json", Perm: Public, Handler: s.openAPIDocument, Summary: "this API's OpenAPI 3.1 document"},
		{Method: "GET", Pattern: "/api/v1/me", Perm: Agent, API: true, Handler: s.apiMe, Summary: "the signed-in user or the token's owner",
			Response: apiMe{}},
		{Method: "GET", Pattern: "/api/v1/users", Perm: Admin, Scope: auth.ScopeAdmin, API: true, Handler: s.apiListUsers, Summary: "list users",
			Response: apiUserList{}},
		{Method: "POST", Pattern: "/api/v1/users", Perm: Admin, Scope: auth.ScopeAdmin, API: true, Handler: s.apiCreateUser, Summary: "create a user",
			Request: apiNewUser{}, Response: apiUser{}, Status: http.StatusCreated},
		{Method: "GET", Pattern: "/api/v1/users/{id}", Perm: Admin, Scope: auth.ScopeAdmin, API: true, Handler: s.apiGetUser, Summary: "one user by public id",
			Response: apiUser{}},
		{Method: "GET", Pattern: "/api/v1/audit", Perm: Admin, Scope: auth.ScopeAdmin, API: true, Handler: s.apiAudit, Summary: "audit log entries, newest first",
			Response: apiAuditPage{}, Query: auditQuery},
	}
}

// RouteInfo describes one route of the table, for tests and documentation.
type RouteInfo struct {
	Method, Pattern string
	Perm            Permission
	Scope           string
	API             bool
	Summary         string
}

// Routes returns the route table in order.
func (s *Server) Routes() []RouteInfo {
	out := make([]RouteInfo, len(s.table))
	for i, rt := range s.table {
		out[i] = RouteInfo{Method: rt.Method, Pattern: rt.Pattern, Perm: rt.Perm, Scope: rt.Scope, API: rt.API, Summary: rt.Summary}
	}
	return out
}
