package importer

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/tabular"
)

// record is one row with its values grouped by field.
type record struct {
	line   int
	values map[string][]string
	raw    []string
}

// source reads rows of one format.
type source interface {
	next() (record, error)
	header() []string
	columns() map[string]string
	ignored() []string
	encoding() string
	delimiter() string
}

func openSource(r io.Reader, opt Options) (source, error) {
	switch opt.Format {
	case "", "csv":
		return openCSV(r, opt)
	case "jsonl", "ndjson":
		return &jsonlSource{r: tabular.NewJSONLines(r), mapping: opt.Mapping, seen: map[string]string{}}, nil
	}
	return nil, vernost.Invalid("format", "unknown format %q (want csv or jsonl)", opt.Format)
}

type csvSource struct {
	r     *tabular.Reader
	field map[int]string // column index → field
}

func openCSV(r io.Reader, opt Options) (*csvSource, error) {
	tr, err := tabular.Open(r, tabular.Options{Encoding: opt.Encoding, Delimiter: opt.Delimiter})
	if err != nil {
		return nil, vernost.Invalid("file", "%s", err.Error())
	}
	hdr := tr.Header()
	field := tabular.GuessColumns(hdr, Fields)
	for i, title := range hdr {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(title)), "attr:") {
			field[i] = "attr:" + strings.TrimSpace(title)[5:]
		}
	}
	for col, f := range opt.Mapping {
		i := slices.IndexFunc(hdr, func(h string) bool { return strings.EqualFold(strings.TrimSpace(h), col) })
		if i < 0 {
			return nil, vernost.Invalid("mapping", "the file has no column %q (columns: %s)", col, strings.Join(hdr, ", "))
		}
		if f == "" || f == "-" {
			delete(field, i)
		} else {
			field[i] = f
		}
	}
	if len(field) == 0 {
		return nil, vernost.Invalid("file", "no column could be matched to a customer field (columns: %s); give a mapping", strings.Join(hdr, ", "))
	}
	return &csvSource{r: tr, field: field}, nil
}

func (s *csvSource) next() (record, error) {
	rec, err := s.r.Next()
	if err != nil {
		return record{}, err
	}
	out := record{line: rec.Line, raw: rec.Fields, values: make(map[string][]string, len(s.field))}
	for i, f := range s.field {
		if i < len(rec.Fields) {
			out.values[f] = append(out.values[f], rec.Fields[i])
		}
	}
	return out, nil
}

func (s *csvSource) header() []string { return s.r.Header() }
func (s *csvSource) encoding() string { return s.r.Encoding() }
func (s *csvSource) delimiter() string {
	if s.r.Delimiter() == '\t' {
		return "tab"
	}
	return string(s.r.Delimiter())
}

func (s *csvSource) columns() map[string]string {
	out := map[string]string{}
	for i, f := range s.field {
		out[s.r.Header()[i]] = f
	}
	return out
}

func (s *csvSource) ignored() []string {
	var out []string
	for i, h := range s.r.Header() {
		if _, ok := s.field[i]; !ok {
			out = append(out, h)
		}
	}
	return out
}

// jsonlSource reads objects whose keys are field names (or mapped to them);
// a value may be a string, a number or an array of them.
type jsonlSource struct {
	r       *tabular.JSONLinesReader
	mapping map[string]string
	seen    map[string]string
	skipped []string
}

func (s *jsonlSource) next() (record, error) {
	obj, err := s.r.Next()
	if err != nil {
		return record{}, err
	}
	out := record{line: obj.Line, values: map[string][]string{}}
	keys := make([]string, 0, len(obj.Values))
	for k := range obj.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := k
		if m, ok := s.mapping[k]; ok {
			f = m
		}
		if f == "" || f == "-" || !isField(f) {
			if !slices.Contains(s.skipped, k) {
				s.skipped = append(s.skipped, k)
			}
			continue
		}
		s.seen[k] = f
		vals, err := flatten(obj.Values[k])
		if err != nil {
			return record{}, &tabular.LineError{Line: obj.Line, Reason: fmt.Sprintf("%s: %v", k, err)}
		}
		out.values[f] = append(out.values[f], vals...)
		out.raw = append(out.raw, k+"="+strings.Join(vals, "|"))
	}
	return out, nil
}

func flatten(v any) ([]string, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return []string{x}, nil
	case bool:
		return []string{fmt.Sprint(x)}, nil
	case []any:
		var out []string
		for _, e := range x {
			s, err := flatten(e)
			if err != nil {
				return nil, err
			}
			out = append(out, s...)
		}
		return out, nil
	}
	if s, ok := v.(fmt.Stringer); ok { // json.Number
		return []string{s.String()}, nil
	}
	return nil, errors.New("want a string, a number or a list of them")
}

func (s *jsonlSource) header() []string           { return []string{"object"} }
func (s *jsonlSource) columns() map[string]string { return s.seen }
func (s *jsonlSource) ignored() []string          { return s.skipped }
func (s *jsonlSource) encoding() string           { return "utf-8" }
func (s *jsonlSource) delimiter() string          { return "" }
