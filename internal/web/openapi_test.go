package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/vernost/vernost/internal/web/webtest"
)

// openAPIDoc is the part of the document the tests read.
type openAPIDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]json.RawMessage `json:"schemas"`
	} `json:"components"`
}

type openAPIOperation struct {
	Summary     string          `json:"summary"`
	OperationID string          `json:"operationId"`
	Responses   map[string]any  `json:"responses"`
	Security    []any           `json:"security"`
	RequestBody json.RawMessage `json:"requestBody"`
	Parameters  []struct {
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
}

func fetchOpenAPI(t *testing.T, srv *webtest.Server) (openAPIDoc, string) {
	t.Helper()
	res := srv.Anonymous().Get(t, "/api/openapi.json")
	if res.Status != http.StatusOK {
		t.Fatalf("GET /api/openapi.json: %d", res.Status)
	}
	var doc openAPIDoc
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatalf("document is not JSON: %v", err)
	}
	return doc, res.Body
}

var pathParams = regexp.MustCompile(`\{([^}.]+)(\.\.\.)?\}`)

// TestOpenAPIMatchesRouteTable: every API route of the table is in the
// document, and every path and method of the document is an API route of
// the table, with its path parameters declared.
func TestOpenAPIMatchesRouteTable(t *testing.T) {
	srv := webtest.StartServer(t)
	doc, _ := fetchOpenAPI(t, srv)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	inTable := map[string]bool{}
	for _, rt := range srv.Web.Routes() {
		if !rt.API {
			continue
		}
		path := pathParams.ReplaceAllString(rt.Pattern, "{$1}")
		key := strings.ToLower(rt.Method) + " " + path
		inTable[key] = true
		raw, ok := doc.Paths[path][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("route %s %s is missing from the document", rt.Method, rt.Pattern)
			continue
		}
		var op openAPIOperation
		if err := json.Unmarshal(raw, &op); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		if op.Summary != rt.Summary {
			t.Errorf("%s: summary %q, want %q from the table", key, op.Summary, rt.Summary)
		}
		if len(op.Responses) < 2 || op.Responses["default"] == nil {
			t.Errorf("%s: responses %v, want a success and the default error", key, op.Responses)
		}
		if len(op.Security) == 0 {
			t.Errorf("%s: no security requirement", key)
		}
		declared := map[string]bool{}
		for _, p := range op.Parameters {
			if p.In == "path" {
				declared[p.Name] = true
			}
		}
		for _, m := range pathParams.FindAllStringSubmatch(rt.Pattern, -1) {
			if !declared[m[1]] {
				t.Errorf("%s: path parameter %s is not declared", key, m[1])
			}
		}
		if rt.Method == http.MethodPost && len(op.RequestBody) == 0 {
			t.Errorf("%s: a POST without a request body schema", key)
		}
	}
	if len(inTable) == 0 {
		t.Fatal("the table has no API routes")
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !inTable[method+" "+path] {
				t.Errorf("document has %s %s, which is not an API route of the table", method, path)
			}
		}
	}
}

// TestOpenAPIReferencesResolve: every $ref names a schema in components, so
// generated clients build.
func TestOpenAPIReferencesResolve(t *testing.T) {
	srv := webtest.StartServer(t)
	doc, body := fetchOpenAPI(t, srv)
	refs := regexp.MustCompile(`"\$ref":\s*"#/components/schemas/([^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(refs) == 0 {
		t.Fatal("no $ref in the document")
	}
	for _, m := range refs {
		if _, ok := doc.Components.Schemas[m[1]]; !ok {
			t.Errorf("$ref to %s, which components.schemas lacks", m[1])
		}
	}
	for _, name := range []string{"User", "NewUser", "Error", "AuditPage"} {
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("components.schemas lacks %s", name)
		}
	}
	var newUser struct {
		Required             []string       `json:"required"`
		Properties           map[string]any `json:"properties"`
		AdditionalProperties *bool          `json:"additionalProperties"`
	}
	if err := json.Unmarshal(doc.Components.Schemas["NewUser"], &newUser); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(newUser.Required, ","); got != "login,name,password,role" {
		t.Errorf("NewUser required = %s, want login,name,password,role (email and locale are optional)", got)
	}
	if newUser.AdditionalProperties == nil || *newUser.AdditionalProperties {
		t.Errorf("NewUser must forbid additional properties, as the decoder does")
	}
}
