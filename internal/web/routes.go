package web

import (
	"net/http"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/customer"
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

		// Customers. Agents read and edit cards; supervisors review
		// duplicates, merge and import; admins export and erase personal data.
		{Method: "GET", Pattern: "/customers", Perm: Agent, Handler: s.customersPage, Summary: "customer search, filtered list with paging"},
		{Method: "GET", Pattern: "/customers/search", Perm: Agent, Handler: s.customersSearch, Summary: "search results fragment for the search box"},
		{Method: "GET", Pattern: "/customers/new", Perm: Agent, Handler: s.newCustomerPage, Summary: "new customer form"},
		{Method: "POST", Pattern: "/customers", Perm: Agent, Handler: s.createCustomer, Summary: "create a customer (a known identity updates its card)"},
		{Method: "GET", Pattern: "/customers/{id}", Perm: Agent, Handler: s.customerCard, Summary: "the customer card (audited view)"},
		{Method: "GET", Pattern: "/customers/{id}/edit", Perm: Agent, Handler: s.editCustomerPage, Summary: "edit form of a card"},
		{Method: "POST", Pattern: "/customers/{id}", Perm: Agent, Handler: s.updateCustomer, Summary: "save an edited card"},
		{Method: "POST", Pattern: "/customers/{id}/facts", Perm: Agent, Handler: s.addFact, Summary: "add a fact"},
		{Method: "POST", Pattern: "/customers/{id}/facts/{fact}/pin", Perm: Agent, Handler: s.pinFact, Summary: "pin or unpin a fact"},
		{Method: "POST", Pattern: "/customers/{id}/facts/{fact}/delete", Perm: Agent, Handler: s.deleteFact, Summary: "delete a fact"},
		{Method: "POST", Pattern: "/customers/{id}/notes", Perm: Agent, Handler: s.addNote, Summary: "add a note to the timeline"},
		{Method: "POST", Pattern: "/customers/{id}/consents", Perm: Agent, Handler: s.setConsent, Summary: "record a consent decision"},
		{Method: "POST", Pattern: "/customers/{id}/tags", Perm: Agent, Handler: s.addTags, Summary: "add tags"},
		{Method: "POST", Pattern: "/customers/{id}/tags/remove", Perm: Agent, Handler: s.removeTag, Summary: "remove a tag"},
		{Method: "POST", Pattern: "/customers/{id}/identities/remove", Perm: Agent, Handler: s.removeIdentity, Summary: "remove an identity the customer gave up"},
		{Method: "GET", Pattern: "/customers/{id}/export", Perm: Admin, Handler: s.exportCustomer, Summary: "download the customer's personal data as JSON (audited)"},
		{Method: "POST", Pattern: "/customers/{id}/erase", Perm: Admin, Handler: s.eraseCustomer, Summary: "erase the customer's personal data (reason and confirmation)"},
		{Method: "GET", Pattern: "/duplicates", Perm: Supervisor, Handler: s.duplicatesPage, Summary: "likely duplicate pairs for review"},
		{Method: "POST", Pattern: "/duplicates/dismiss", Perm: Supervisor, Handler: s.dismissDuplicate, Summary: "mark a pair as not duplicates"},
		{Method: "GET", Pattern: "/merge", Perm: Supervisor, Handler: s.mergePage, Summary: "two cards side by side with the merged preview"},
		{Method: "POST", Pattern: "/merge/preview", Perm: Supervisor, Handler: s.previewMerge, Summary: "preview a merge with the chosen fields (changes nothing)"},
		{Method: "POST", Pattern: "/merge", Perm: Supervisor, Handler: s.mergeCustomers, Summary: "merge two cards"},
		{Method: "POST", Pattern: "/merges/{id}/undo", Perm: Supervisor, Handler: s.undoMerge, Summary: "undo a merge"},
		{Method: "GET", Pattern: "/import", Perm: Supervisor, Handler: s.importPage, Summary: "customer import: upload form and recent imports"},
		{Method: "POST", Pattern: "/import/preview", Perm: Supervisor, Handler: s.previewImport, Summary: "how the columns of a file's start would be read (changes nothing)"},
		{Method: "POST", Pattern: "/import", Perm: Supervisor, Handler: s.startImport, Summary: "upload a file and start importing it", MaxBody: pageImportMaxBody},
		{Method: "GET", Pattern: "/import/{id}", Perm: Supervisor, Handler: s.importJobPage, Summary: "an import's progress, then its report"},
		{Method: "GET", Pattern: "/import/{id}/status", Perm: Supervisor, Handler: s.importJobStatus, Summary: "an import's progress as JSON, for the progress bar"},
		{Method: "GET", Pattern: "/import/{id}/rejects.csv", Perm: Supervisor, Handler: s.importRejects, Summary: "download an import's rejected rows as CSV"},

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

		// Customers API. Agents read and edit cards, add identities, facts,
		// notes and consents, and look customers up; supervisors review
		// duplicates, merge and import; admins define attributes, export and
		// erase personal data. Tokens: customers:read to read,
		// customers:write to change, admin for personal data wholesale.
		{Method: "GET", Pattern: "/api/v1/customers", Perm: Agent, Scope: auth.ScopeCustomersRead, API: true, Handler: s.apiListCustomers, Summary: "list customers by tag, manager or persona with a cursor, or search them with q",
			Response: apiCustomerPage{}, Query: apiCustomerListQuery},
		{Method: "POST", Pattern: "/api/v1/customers", Perm: Agent, Scope: auth.ScopeCustomersWrite, API: true, Handler: s.apiCreateCustomer, Summary: "create a customer; an identity already known updates its owner instead (200)",
			Request: customer.Input{}, Response: apiSavedCustomer{}, Status: http.StatusCreated},
		{Method: "GET", Pattern: "/api/v1/customers/lookup", Perm: Agent, Scope: auth.ScopeCustomersRead, API: true, Handler: s.apiLookupCustomer, Summary: "the customer owning one identity, e.g. the caller's phone (audited; 404 when nobody)",
			Response: customer.Customer{}, Query: apiLookupQuery},
		{Method: "GET", Pattern: "/api/v1/customers/{id}", Perm: Agent, Scope: auth.ScopeCustomersRead, API: true, Handler: s.apiGetCustomer, Summary: "the customer card (audited view)",
			Response: customer.Customer{}},
		{Method: "PATCH", Pattern: "/api/v1/customers/{id}", Perm: Agent, Scope: auth.ScopeCustomersWrite, API: true, Handler: s.apiUpdateCustomer, Summary: "change the fields given; version, if given, must be the card's current one (else 409)",
			Request: customer.Input{}, Response: customer.Customer{}},
		{Method: "GET", Pattern: "/api/v1/customers/{id}/timeline", Perm: Agent, Scope: auth.ScopeCustomersRead, API: true, Handler: s.apiTimeline, Summary: "the customer's timeline, newest first",
			Response: apiTimeline{}, Query: apiTimelineQuery},
		{Method: "POST", Pattern: "/api/v1/customers/{id}/identities", Perm: Agent, Scope: auth.ScopeCustomersWrite, API: true, Handler: s.apiAddIdentity, Summary: "add a phone, email, messenger or external id (409 if another customer has it)",
			Request: customer.IdentityInput{}, Response: customer.Customer{}},
		{Method: "DELETE", Pattern: "/api/v1/customers/{id}/identities", Perm: Agent, Scope: auth.ScopeCustomersWrite, API: true, Handler: s.apiRemoveIdentity, Summary: "remove an identity given by kind and value (query or JSON body)",
			Response: customer.Customer{}, Query: apiIdentityQuery},
		{Method: "POST", Pattern: "/api/v1/customers/{id}/facts", Perm: Agent, Scope: auth.ScopeCustomersWrite, API: true, Handler: s.apiAddFact, Summary: "add a fact: a hobby, family, a favourite, a promise",
			Request: customer.FactInput{}, Response: customer.Fact{}, Status: http.StatusCreated},
		{Method: "DELETE", Pattern: "/api/v1/customers/{id}/facts/{fact}", Perm: Agent, Scope: auth.ScopeCustomersWrite, API: true, Handler: s.apiDeleteFact, Summary: "delete a fact (the timeline keeps it)",
			Response: customer.Customer{}},
		{Method: "POST", Pattern: "/api/v1/customers/{id}/notes", Perm: Agent, Scope: auth.ScopeCustomersWrite, API: true, Handler: s.apiAddNote, Summary: "put a note on the timeline; answers with the newest events",
			Request: apiNewNote{}, Response: apiTimeline{}, Status: http.StatusCreated},
		{Method: "POST", Pattern: "/api/v1/customers/{id}/consents", Perm: Agent, Scope: auth.ScopeCustomersWrite, API: true, Handler: s.apiSetConsent, Summary: "record a consent decision with its source",
			Request: customer.ConsentInput{}, Response: customer.Customer{}},
		{Method: "GET", Pattern: "/api/v1/customers/{id}/export", Perm: Admin, Scope: auth.ScopeAdmin, API: true, Handler: s.apiExportCustomer, Summary: "everything stored about the customer, for a personal-data request (audited)",
			Response: customer.PersonalData{}},
		{Method: "POST", Pattern: "/api/v1/customers/{id}/erase", Perm: Admin, Scope: auth.ScopeAdmin, API: true, Handler: s.apiEraseCustomer, Summary: "erase the customer's personal data, giving the reason (audited)",
			Request: apiEraseRequest{}, Response: customer.Customer{}},
		{Method: "GET", Pattern: "/api/v1/duplicates", Perm: Supervisor, Scope: auth.ScopeCustomersRead, API: true, Handler: s.apiDuplicates, Summary: "likely duplicate pairs, for those who may merge them",
			Response: apiDuplicateList{}, Query: apiLimitQuery},
		{Method: "POST", Pattern: "/api/v1/merges/preview", Perm: Supervisor, Scope: auth.ScopeCustomersRead, API: true, Handler: s.apiPreviewMerge, Summary: "the card a merge would make (changes nothing, hence the read scope)",
			Request: apiMergeRequest{}, Response: customer.Customer{}},
		{Method: "POST", Pattern: "/api/v1/merges", Perm: Supervisor, Scope: auth.ScopeCustomersWrite, API: true, Handler: s.apiMerge, Summary: "merge the absorbed card into the survivor",
			Request: apiMergeRequest{}, Response: customer.MergeRecord{}, Status: http.StatusCreated},
		{Method: "POST", Pattern: "/api/v1/merges/{id}/undo", Perm: Supervisor, Scope: auth.ScopeCustomersWrite, API: true, Handler: s.apiUndoMerge, Summary: "undo a merge, restoring both cards (body empty or {})",
			Request: apiNoBody{}, Response: apiMergeUndone{}},
		{Method: "GET", Pattern: "/api/v1/attributes", Perm: Agent, Scope: auth.ScopeCustomersRead, API: true, Handler: s.apiAttributes, Summary: "custom attribute definitions",
			Response: apiAttributeList{}},
		{Method: "POST", Pattern: "/api/v1/attributes", Perm: Admin, Scope: auth.ScopeAdmin, API: true, Handler: s.apiDefineAttribute, Summary: "define or change a custom attribute",
			Request: customer.AttributeDef{}, Response: customer.AttributeDef{}},
		{Method: "GET", Pattern: "/api/v1/personas", Perm: Agent, Scope: auth.ScopeCustomersRead, API: true, Handler: s.apiPersonas, Summary: "personas with guidance for operators",
			Response: apiPersonaList{}},
		{Method: "POST", Pattern: "/api/v1/imports", Perm: Supervisor, Scope: auth.ScopeCustomersWrite, API: true, Handler: s.apiStartImport, Summary: "import customers from the body, a CSV or JSON Lines file; runs in the background (202)",
			Request: apiImportFile(""), Response: apiImportJob{}, Status: http.StatusAccepted, Query: apiImportQuery, MaxBody: importMaxBody},
		{Method: "GET", Pattern: "/api/v1/imports", Perm: Supervisor, Scope: auth.ScopeCustomersRead, API: true, Handler: s.apiListImports, Summary: "the latest imports, newest first",
			Response: apiImportJobList{}, Query: apiLimitQuery},
		{Method: "GET", Pattern: "/api/v1/imports/{id}", Perm: Supervisor, Scope: auth.ScopeCustomersRead, API: true, Handler: s.apiGetImport, Summary: "an import's progress and, once ended, its report",
			Response: apiImportJob{}},
		{Method: "GET", Pattern: "/api/v1/imports/{id}/rejects", Perm: Supervisor, Scope: auth.ScopeCustomersRead, API: true, Handler: s.apiImportRejects, Summary: "the rejected rows as CSV: line, reason, the row as read (once the import has ended)",
			Response: apiRejectsCSV("")},
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
