package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// The OpenAPI document is generated from the route table and the Go types
// each API route declares, so it cannot drift from what the handlers do; a
// test checks table and document against each other.

func (s *Server) openAPIDocument(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, err := w.Write(s.openapi)
	return err
}

// pathParam finds {name} and {name...} in a ServeMux pattern.
var pathParam = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(\.\.\.)?\}`)

func (s *Server) buildOpenAPI() ([]byte, error) {
	sg := &schemaGen{components: map[string]any{}}
	sg.errorRef = sg.schema(reflect.TypeFor[errorBody]())
	paths := map[string]map[string]any{}
	for _, rt := range s.table {
		if !rt.API {
			continue
		}
		p := openAPIPath(rt.Pattern)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(rt.Method)] = sg.operation(rt)
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "vernost API",
			"version":     "1",
			"description": "Customer-retention platform API. Authenticate with an API token (Authorization: Bearer vst_…) created by an admin; each route names the token scope it needs. Errors are {\"error\":{\"code\",\"message\",\"field\"}}.",
		},
		"paths": paths,
		"components": map[string]any{
			"schemas": sg.components,
			"securitySchemes": map[string]any{
				"token":   map[string]any{"type": "http", "scheme": "bearer", "description": "API token from the admin pages"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie, "description": "browser session; state-changing calls also need the X-CSRF-Token header"},
			},
		},
	}
	if s.cfg.BaseURL != "" {
		doc["servers"] = []any{map[string]any{"url": strings.TrimSuffix(s.cfg.BaseURL, "/")}}
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("web: openapi: %w", err)
	}
	return b, nil
}

// openAPIPath turns "/api/v1/users/{id}" patterns into OpenAPI paths
// (the same, but without ServeMux's "..." and "{$}").
func openAPIPath(pattern string) string {
	p := strings.ReplaceAll(pattern, "{$}", "")
	return pathParam.ReplaceAllString(p, "{$1}")
}

func (sg *schemaGen) operation(rt route) map[string]any {
	status := rt.Status
	if status == 0 {
		status = http.StatusOK
	}
	errRef := map[string]any{"content": map[string]any{"application/json": map[string]any{"schema": sg.errorRef}}}
	responses := map[string]any{
		fmt.Sprint(status): map[string]any{
			"description": http.StatusText(status),
			"content":     map[string]any{"application/json": map[string]any{"schema": sg.schema(reflect.TypeOf(rt.Response))}},
		},
		"default": withDescription(errRef, "an error; see code"),
	}
	op := map[string]any{
		"summary":     rt.Summary,
		"operationId": operationID(rt),
		"responses":   responses,
		"security":    []any{map[string]any{"token": []string{}}, map[string]any{"session": []string{}}},
	}
	desc := "Needs the " + rt.Perm.String() + " role"
	if rt.Scope != "" {
		desc += "; API tokens need the " + rt.Scope + " scope"
	}
	op["description"] = desc + "."
	if rt.Scope != "" {
		op["security"] = []any{map[string]any{"token": []string{rt.Scope}}, map[string]any{"session": []string{}}}
	}
	var params []any
	for _, m := range pathParam.FindAllStringSubmatch(rt.Pattern, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	for _, q := range rt.Query {
		sch := map[string]any{"type": q.Type}
		if q.Type == "date" {
			sch = map[string]any{"type": "string", "format": "date"}
		}
		params = append(params, map[string]any{"name": q.Name, "in": "query", "description": q.Doc, "schema": sch})
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	if rt.Request != nil {
		op["requestBody"] = map[string]any{
			"required": true,
			"content":  map[string]any{"application/json": map[string]any{"schema": sg.schema(reflect.TypeOf(rt.Request))}},
		}
	}
	return op
}

func withDescription(m map[string]any, d string) map[string]any {
	out := map[string]any{"description": d}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// operationID is "get_api_v1_users_id"-like: unique because method and
// pattern are.
func operationID(rt route) string {
	id := strings.ToLower(rt.Method) + strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '_'
	}, openAPIPath(rt.Pattern))
	return strings.TrimRight(id, "_")
}

// schemaGen writes JSON Schemas for Go types, putting named structs into
// components so that each appears once.
type schemaGen struct {
	components map[string]any
	errorRef   map[string]any // the schema of every error answer
}

var timeType = reflect.TypeFor[time.Time]()

func (sg *schemaGen) schema(t reflect.Type) map[string]any {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Pointer:
		inner := sg.schema(t.Elem())
		return map[string]any{"oneOf": []any{inner, map[string]any{"type": "null"}}}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": sg.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": sg.schema(t.Elem())}
	case reflect.Struct:
		name := schemaName(t)
		if _, done := sg.components[name]; !done {
			sg.components[name] = map[string]any{} // placeholder: stops recursion
			sg.components[name] = sg.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	panic(fmt.Sprintf("web: openapi: no schema for %s", t))
}

// object describes a struct by its json tags; fields without omitempty are
// required. Tags enum:"a|b" and doc:"…" add to the schema.
func (sg *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	required := []string{}
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		p := sg.schema(f.Type)
		if e := f.Tag.Get("enum"); e != "" {
			p = map[string]any{"type": "string", "enum": strings.Split(e, "|")}
		}
		if d := f.Tag.Get("doc"); d != "" {
			if _, isRef := p["$ref"]; isRef {
				p = map[string]any{"allOf": []any{p}, "description": d}
			} else {
				p = withDescription(p, d)
			}
		}
		props[name] = p
		if !strings.Contains(opts, "omitempty") {
			required = append(required, name)
		}
	}
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

// schemaName turns apiNewUser into NewUser and errorBody into Error.
func schemaName(t reflect.Type) string {
	n := strings.TrimSuffix(strings.TrimPrefix(t.Name(), "api"), "Body")
	if n == "" {
		return "Object"
	}
	return strings.ToUpper(n[:1]) + n[1:]
}
