package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/vernost/vernost"
)

// decodeJSON reads exactly one JSON value from the request body into v.
// Strict on purpose: an unknown field is a client's typo that would
// otherwise be silently dropped, and trailing data means a broken client.
// A body over the route's limit comes back as a too-large error (413).
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return vernost.Invalid("body", "send JSON with Content-Type: application/json, not %q", ct)
		}
	}
	return decodeJSONFrom(r.Body, v)
}

// decodeJSONFrom is decodeJSON on any reader, so the rules are testable and
// fuzzable without HTTP.
func decodeJSONFrom(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil && isTooLarge(err) {
			return err
		}
		return vernost.Invalid("body", "unexpected data after the JSON value")
	}
	return nil
}

// jsonError says what was wrong with a body, naming the field when the
// decoder knows it.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case isTooLarge(err):
		return err
	case errors.Is(err, io.EOF):
		return vernost.Invalid("body", "the body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return vernost.Invalid("body", "the JSON ends too early")
	case errors.As(err, &syntax):
		return vernost.Invalid("body", "malformed JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return vernost.Invalid("body", "expected %s, got %s", jsonType(typ.Type.Kind().String()), typ.Value)
		}
		return vernost.Invalid(typ.Field, "expected %s, got %s", jsonType(typ.Type.Kind().String()), typ.Value)
	}
	// The decoder has no typed error for unknown fields, only this text.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if name = strings.Trim(name, `"`); name == "" {
			return vernost.Invalid("body", `unknown field ""`)
		}
		return vernost.Invalid(name, "unknown field")
	}
	return vernost.Invalid("body", "the JSON cannot be read")
}

// jsonType names a Go kind the way a JSON client thinks of it.
func jsonType(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"):
		return "an integer"
	case strings.HasPrefix(kind, "float"):
		return "a number"
	case kind == "bool":
		return "true or false"
	case kind == "string":
		return "a string"
	case kind == "slice", kind == "array":
		return "an array"
	case kind == "struct", kind == "map":
		return "an object"
	}
	return kind
}
