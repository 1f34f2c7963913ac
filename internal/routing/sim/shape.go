package sim

import (
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/vernost/vernost"
)

// checkShape walks a generically decoded document (maps, slices, scalars)
// against the Go type it will be decoded into and reports the first unknown
// key or wrong kind of value with its path, e.g.
// "queues[1].arrivals.per_intervall: unknown key".
//
// The strict decoders (yaml KnownFields, json DisallowUnknownFields) would
// reject the same documents, but they name a line or a Go type instead of the
// path a planner wrote, so this runs first to give the better message.
func checkShape(v any, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil { // null or ~: the zero value, which validation judges
		return nil
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		if _, ok := v.(string); !ok {
			return vernost.Invalid(path, "want a string, got %s", describe(v))
		}
		return decodeText(t, v.(string), path)
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := asMap(v)
		if !ok {
			return vernost.Invalid(path, "want a mapping of keys, got %s", describe(v))
		}
		fields := keyFields(t)
		for _, k := range sortedKeys(m) {
			f, ok := fields[k]
			if !ok {
				return vernost.Invalid(join(path, k), "unknown key (known: %s)", knownKeys(fields))
			}
			if err := checkShape(m[k], f.Type, join(path, k)); err != nil {
				return err
			}
		}
	case reflect.Map:
		m, ok := asMap(v)
		if !ok {
			return vernost.Invalid(path, "want a mapping, got %s", describe(v))
		}
		for _, k := range sortedKeys(m) {
			if err := checkShape(m[k], t.Elem(), join(path, k)); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		s, ok := v.([]any)
		if !ok {
			return vernost.Invalid(path, "want a list, got %s", describe(v))
		}
		if t.Kind() == reflect.Array && len(s) != t.Len() {
			return vernost.Invalid(path, "want a list of %d, got %d", t.Len(), len(s))
		}
		for i, e := range s {
			if err := checkShape(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			return vernost.Invalid(path, "want a string, got %s", describe(v))
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return vernost.Invalid(path, "want true or false, got %s", describe(v))
		}
	case reflect.Int, reflect.Int64, reflect.Uint64:
		f, ok := number(v)
		if !ok || f != math.Trunc(f) || math.IsInf(f, 0) {
			return vernost.Invalid(path, "want a whole number, got %s", describe(v))
		}
		if t.Kind() == reflect.Uint64 && (f < 0 || f >= 1<<64) {
			return vernost.Invalid(path, "want a whole number from 0 to 2^64-1, got %s", describe(v))
		}
		if t.Kind() != reflect.Uint64 && math.Abs(f) > 1<<53 {
			return vernost.Invalid(path, "want a whole number of at most 2^53, got %s", describe(v))
		}
	case reflect.Float64:
		if _, ok := number(v); !ok {
			return vernost.Invalid(path, "want a number, got %s", describe(v))
		}
	}
	return nil
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// decodeText runs the type's own parser so that "4 minutes" is reported at
// its path rather than deep inside the decoder.
func decodeText(t reflect.Type, s, path string) error {
	p := reflect.New(t).Interface().(encoding.TextUnmarshaler)
	if err := p.UnmarshalText([]byte(s)); err != nil {
		return vernost.Invalid(path, "%v", err)
	}
	return nil
}

// keyFields maps each document key of struct t to its field; the yaml and
// json tags of scenario types always agree, so the yaml tag is enough.
func keyFields(t reflect.Type) map[string]reflect.StructField {
	fields := make(map[string]reflect.StructField, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		fields[name] = f
	}
	return fields
}

func knownKeys(fields map[string]reflect.StructField) string {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// asMap accepts the map types both decoders produce. YAML keys that are
// not strings (a bare 1: or true:) are turned into text so they can be
// named in the error.
func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, e := range m {
			out[fmt.Sprint(k)] = e
		}
		return out, true
	}
	return nil, false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// number reads the numeric types of both decoders: YAML gives int, uint64
// and float64; JSON (with UseNumber) gives json.Number.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case uint64:
		return float64(n), true
	case float64:
		return n, !math.IsNaN(n)
	case json.Number:
		f, err := n.Float64()
		return f, err == nil && !math.IsNaN(f)
	}
	return 0, false
}

// describe names a decoded value for an error message.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("the text %q", x)
	case bool:
		return fmt.Sprintf("%t", x)
	case []any:
		return "a list"
	case map[string]any, map[any]any:
		return "a mapping"
	}
	if f, ok := number(v); ok {
		return fmt.Sprintf("the number %g", f)
	}
	return fmt.Sprintf("%v", v)
}

// join appends a key to a path. A key that would make the path ambiguous
// (empty, or holding dots, brackets, spaces or quotes) is quoted.
func join(path, key string) string {
	if key == "" || strings.ContainsAny(key, ".[]\" \t\r\n") {
		key = strconv.Quote(key)
	}
	if path == "" {
		return key
	}
	return path + "." + key
}
