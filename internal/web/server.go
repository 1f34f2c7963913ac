// Package web is vernost's HTTP face: server-rendered pages in Russian and
// English and the /api/v1 JSON API, over one route table in routes.go that
// states who may call what. Handlers return errors; one function in errors.go
// (statusOf) turns them into statuses.
//
// Adding an area (customers, say) takes:
//   - its lines in the table in routes.go, each with its permission, and for
//     API routes the token scope and the Request/Response types that the
//     OpenAPI document is built from;
//   - its handlers in a file of its own (customers.go), which read input
//     with parseForm or decodeJSON, call the domain service from Deps, and
//     answer with s.render(w, r, status, "customers", data), writeJSON or
//     redirect — or return the error;
//   - its pages in templates/<name>.html, each defining "title" and
//     "content", with every text from i18n/ru.json and i18n/en.json through
//     {{T "key"}}.
//
// The authorization test walks the table, and the menu shows an area once
// its page is in the table, so neither needs editing.
package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/importer"
	"github.com/vernost/vernost/internal/sqldb"
)

// DefaultMaxBodyBytes bounds a request body unless the route says otherwise.
const DefaultMaxBodyBytes = 1 << 20

// Config is how the server is deployed.
type Config struct {
	// BaseURL is the public address ("https://crm.example.com"). Its origin
	// is trusted for state-changing requests when a proxy rewrites Host, and
	// it is the server in the OpenAPI document. Optional.
	BaseURL string
	// SecureCookies marks the session cookie Secure and adds HSTS; set it
	// whenever users reach the server over HTTPS.
	SecureCookies bool
	// MaxBodyBytes bounds request bodies (default 1 MiB); routes that take
	// files (imports) declare their own larger limit in the route table.
	MaxBodyBytes int64
	// MetricsToken, if set, lets a Prometheus scraper read /metrics with
	// "Authorization: Bearer <MetricsToken>"; otherwise /metrics needs an
	// admin session.
	MetricsToken string
}

// Deps are the services the handlers call.
type Deps struct {
	DB        *sqldb.DB
	Auth      *auth.Service
	Audit     *audit.Log
	Customers *customer.Service
	Imports   *importer.Jobs
	Clock     vernost.Clock
	Logger    *slog.Logger
}

// Server serves the pages and the API.
type Server struct {
	cfg       Config
	db        *sqldb.DB
	auth      *auth.Service
	customers *customer.Service
	imports   *importer.Jobs
	audit     *audit.Log
	clock     vernost.Clock
	log       *slog.Logger
	table     []route
	perms     map[string]Permission // "GET /path" → permission, for the navigation
	pages     pageSet
	catalog   catalog
	assets    *assets
	metrics   *metrics
	openapi   []byte
	origin    *http.CrossOriginProtection
	handler   http.Handler
}

// New checks the configuration and the route table and builds the server.
func New(cfg Config, deps Deps) (*Server, error) {
	switch {
	case deps.DB == nil:
		return nil, errors.New("web: Deps.DB is nil")
	case deps.Auth == nil:
		return nil, errors.New("web: Deps.Auth is nil")
	case deps.Audit == nil:
		return nil, errors.New("web: Deps.Audit is nil")
	case deps.Customers == nil:
		return nil, errors.New("web: Deps.Customers is nil")
	case deps.Imports == nil:
		return nil, errors.New("web: Deps.Imports is nil")
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxBodyBytes < 0 {
		return nil, vernost.Invalid("max_body_bytes", "must be positive, got %d", cfg.MaxBodyBytes)
	}
	s := &Server{cfg: cfg, db: deps.DB, auth: deps.Auth, customers: deps.Customers, imports: deps.Imports, audit: deps.Audit, clock: deps.Clock, log: deps.Logger}
	if s.clock == nil {
		s.clock = vernost.SystemClock{}
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.origin = http.NewCrossOriginProtection()
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, vernost.Invalid("base_url", "%q is not an absolute http(s) URL", cfg.BaseURL)
		}
		if err := s.origin.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			return nil, vernost.Invalid("base_url", "%v", err)
		}
	}

	s.table = s.routes()
	if err := checkTable(s.table); err != nil {
		return nil, err
	}
	s.perms = make(map[string]Permission, len(s.table))
	for _, rt := range s.table {
		s.perms[rt.Method+" "+rt.Pattern] = rt.Perm
	}
	var err error
	if s.catalog, err = loadCatalog(); err != nil {
		return nil, err
	}
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parsePages(); err != nil {
		return nil, err
	}
	if s.openapi, err = s.buildOpenAPI(); err != nil {
		return nil, err
	}
	s.metrics = newMetrics()

	mux := http.NewServeMux()
	for _, rt := range s.table {
		mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
	// Whatever no line matches (including a known path with another
	// method) gets the same headers, logging and error pages as the rest.
	mux.Handle("/", s.wrap(route{Pattern: "/", Perm: Public, Handler: notFound}))
	s.handler = mux
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// checkTable refuses a route table that would behave surprisingly: a line
// twice, an API route outside /api/v1, a scope on a page, an API route that
// does not declare its response for the OpenAPI document.
func checkTable(table []route) error {
	seen := map[string]bool{}
	for i, rt := range table {
		key := rt.Method + " " + rt.Pattern
		switch {
		case rt.Method == "" || rt.Handler == nil || rt.Summary == "":
			return fmt.Errorf("web: route %d (%s) needs a method, a handler and a summary", i, key)
		case seen[key]:
			return fmt.Errorf("web: route %s is in the table twice", key)
		case rt.API != strings.HasPrefix(rt.Pattern, "/api/v1/"):
			return fmt.Errorf("web: route %s: API routes, and only they, live under /api/v1/", key)
		case rt.Scope != "" && !rt.API:
			return fmt.Errorf("web: route %s: only API routes take token scopes", key)
		case rt.API && rt.Response == nil:
			return fmt.Errorf("web: route %s: API routes declare their Response for the OpenAPI document", key)
		case rt.Perm < Public || rt.Perm > Admin:
			return fmt.Errorf("web: route %s: unknown permission %d", key, rt.Perm)
		}
		seen[key] = true
	}
	return nil
}

func notFound(w http.ResponseWriter, r *http.Request) error {
	return vernost.Errorf(vernost.ENotFound, "there is no page at %s", r.URL.Path)
}
