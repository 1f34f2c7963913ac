package churn

import (
	"fmt"
	"math"

	"github.com/vernost/vernost"
)

// Kind says how a column is read: as a quantity or as a label.
type Kind int

const (
	Numeric Kind = iota + 1
	Categorical
)

func (k Kind) String() string {
	switch k {
	case Numeric:
		return "numeric"
	case Categorical:
		return "categorical"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// MarshalText writes the kind by name, so model files stay readable.
func (k Kind) MarshalText() ([]byte, error) {
	if k != Numeric && k != Categorical {
		return nil, fmt.Errorf("unknown column kind %d", int(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText reads a kind written by MarshalText.
func (k *Kind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "numeric":
		*k = Numeric
	case "categorical":
		*k = Categorical
	default:
		return fmt.Errorf("unknown column kind %q (want numeric or categorical)", b)
	}
	return nil
}

// Column is one named column of a Dataset. A numeric column keeps its values
// in Num (NaN where missing), a categorical one in Cat ("" where missing).
type Column struct {
	Name string
	Kind Kind
	Num  []float64
	Cat  []string
}

// NumericColumn returns a numeric column; NaN marks a missing value.
func NumericColumn(name string, values []float64) Column {
	return Column{Name: name, Kind: Numeric, Num: values}
}

// CategoricalColumn returns a categorical column; "" marks a missing value.
func CategoricalColumn(name string, values []string) Column {
	return Column{Name: name, Kind: Categorical, Cat: values}
}

// Len returns the number of rows in the column.
func (c *Column) Len() int {
	if c.Kind == Numeric {
		return len(c.Num)
	}
	return len(c.Cat)
}

// Dataset is a table of customers (rows) by named columns.
type Dataset struct {
	Columns []Column
	// Lines optionally holds the source line of each row, so that messages
	// point into the file the rows came from.
	Lines []int
}

// Rows returns the number of rows.
func (d *Dataset) Rows() int {
	if len(d.Columns) == 0 {
		return 0
	}
	return d.Columns[0].Len()
}

// Column returns the column with the given name.
func (d *Dataset) Column(name string) (*Column, bool) {
	for i := range d.Columns {
		if d.Columns[i].Name == name {
			return &d.Columns[i], true
		}
	}
	return nil, false
}

// Validate checks that the table is rectangular, its column names unique and
// its numbers finite (NaN aside, which means missing).
func (d *Dataset) Validate() error {
	if len(d.Columns) == 0 {
		return vernost.Invalid("data", "no columns")
	}
	n := d.Rows()
	seen := make(map[string]bool, len(d.Columns))
	for i := range d.Columns {
		c := &d.Columns[i]
		switch {
		case c.Name == "":
			return vernost.Invalid("data", "column %d has no name", i+1)
		case seen[c.Name]:
			return vernost.Invalid(c.Name, "column name used twice")
		case c.Kind != Numeric && c.Kind != Categorical:
			return vernost.Invalid(c.Name, "unknown column kind %d", int(c.Kind))
		case c.Len() != n:
			return vernost.Invalid(c.Name, "has %d rows, column %s has %d", c.Len(), d.Columns[0].Name, n)
		}
		seen[c.Name] = true
		for r, v := range c.Num {
			if math.IsInf(v, 0) {
				return vernost.Invalid(d.where(r), "column %s: infinite value", c.Name)
			}
		}
	}
	if d.Lines != nil && len(d.Lines) != n {
		return vernost.Invalid("data", "%d line numbers for %d rows", len(d.Lines), n)
	}
	return nil
}

// Subset returns a new Dataset holding the given rows, in that order.
func (d *Dataset) Subset(rows []int) *Dataset {
	out := &Dataset{Columns: make([]Column, len(d.Columns))}
	for i, c := range d.Columns {
		s := Column{Name: c.Name, Kind: c.Kind}
		if c.Kind == Numeric {
			s.Num = make([]float64, len(rows))
			for j, r := range rows {
				s.Num[j] = c.Num[r]
			}
		} else {
			s.Cat = make([]string, len(rows))
			for j, r := range rows {
				s.Cat[j] = c.Cat[r]
			}
		}
		out.Columns[i] = s
	}
	if d.Lines != nil {
		out.Lines = make([]int, len(rows))
		for j, r := range rows {
			out.Lines[j] = d.Lines[r]
		}
	}
	return out
}

// where names row i for a message: its source line when known.
func (d *Dataset) where(i int) string {
	if d.Lines != nil && i < len(d.Lines) {
		return fmt.Sprintf("line %d", d.Lines[i])
	}
	return fmt.Sprintf("row %d", i+1)
}
