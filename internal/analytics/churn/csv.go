package churn

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/vernost/vernost"
)

// CSVOptions adjusts how ReadCSV types the columns.
type CSVOptions struct {
	// Kinds forces the kind of the named columns; the others are numeric
	// when every non-blank value is a finite number, categorical otherwise.
	// Forcing is how a 0/1 code is read as a category, and how scoring data
	// is read exactly as the model was trained.
	Kinds map[string]Kind
}

// ReadCSV reads a CSV file with a header line into a Dataset. Values are
// trimmed; a blank value is missing. Rows are numbered by their line in the
// input so that every error can point at one.
func ReadCSV(r io.Reader, opt CSVOptions) (*Dataset, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, vernost.Invalid("data", "empty input: no header line")
	}
	if err != nil {
		return nil, csvError(err, 0, 0)
	}
	names, err := headerNames(header)
	if err != nil {
		return nil, err
	}
	for name, k := range opt.Kinds {
		if !slices.Contains(names, name) {
			return nil, vernost.Invalid(name, "no such column in the header")
		}
		if k != Numeric && k != Categorical {
			return nil, vernost.Invalid(name, "unknown column kind %d", int(k))
		}
	}

	cells := make([][]string, len(names))
	var lines []int
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err, len(rec), len(names))
		}
		line, _ := cr.FieldPos(0)
		lines = append(lines, line)
		for j, v := range rec {
			cells[j] = append(cells[j], strings.TrimSpace(v))
		}
	}
	if len(lines) == 0 {
		return nil, vernost.Invalid("data", "no data rows after the header")
	}

	ds := &Dataset{Columns: make([]Column, len(names)), Lines: lines}
	for j, name := range names {
		col, err := typeColumn(name, cells[j], opt.Kinds[name], lines)
		if err != nil {
			return nil, err
		}
		ds.Columns[j] = col
	}
	return ds, nil
}

// headerNames checks the header: every column named, no name twice.
func headerNames(header []string) ([]string, error) {
	names := make([]string, len(header))
	seen := make(map[string]bool, len(header))
	for j, h := range header {
		if j == 0 {
			h = strings.TrimPrefix(h, "\uFEFF") // a byte-order mark from spreadsheet exports
		}
		h = strings.TrimSpace(h)
		if h == "" {
			return nil, vernost.Invalid("line 1", "column %d has no name", j+1)
		}
		if seen[h] {
			return nil, vernost.Invalid("line 1", "column %q appears twice", h)
		}
		seen[h] = true
		names[j] = h
	}
	return names, nil
}

// typeColumn turns one column's text into a numeric column when forced or
// when every non-blank value parses, and into a categorical one otherwise.
func typeColumn(name string, values []string, forced Kind, lines []int) (Column, error) {
	if forced == Categorical {
		return CategoricalColumn(name, values), nil
	}
	nums := make([]float64, len(values))
	for i, v := range values {
		if v == "" {
			nums[i] = math.NaN()
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			if forced == Numeric {
				return Column{}, vernost.Invalid(fmt.Sprintf("line %d", lines[i]), "column %s: %q is not a number", name, v)
			}
			return CategoricalColumn(name, values), nil
		}
		nums[i] = x
	}
	return NumericColumn(name, nums), nil
}

// csvError turns a CSV syntax error into one that names the line; got and
// want are the field counts when the record has the wrong number.
func csvError(err error, got, want int) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return vernost.Invalid("data", "%v", err)
	}
	field := fmt.Sprintf("line %d", pe.Line)
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		return vernost.Invalid(field, "%d fields, the header has %d", got, want)
	}
	return vernost.Invalid(field, "%v", pe.Err)
}
