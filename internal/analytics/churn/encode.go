package churn

import (
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/vernost/vernost"
)

// Encoder turns feature columns into the numeric design the model sees. It
// is learnt from training rows only (see the package comment) and saved with
// the model, so scoring codes new rows exactly as training did.
type Encoder struct {
	Columns []ColumnCode `json:"columns"`
}

// ColumnCode is how one feature column is coded.
type ColumnCode struct {
	Name string `json:"name"`
	Kind Kind   `json:"kind"`

	// Numeric: a missing value becomes Median, then (x-Mean)/SD is the
	// feature. MissingRate > 0 (training rows had blanks) adds a 0/1 feature
	// "name=missing" whose training mean is MissingRate.
	Median      float64 `json:"median,omitempty"`
	Mean        float64 `json:"mean,omitempty"`
	SD          float64 `json:"sd,omitempty"`
	MissingRate float64 `json:"missing_rate,omitempty"`

	// Categorical: one 0/1 feature per training level ("" is the blank
	// level), and the share of training rows at each level.
	Levels     []string  `json:"levels,omitempty"`
	LevelRates []float64 `json:"level_rates,omitempty"`
}

// missingLevel is how a blank categorical value is named in feature names.
const missingLevel = "(missing)"

// width returns the number of features the column codes to.
func (c *ColumnCode) width() int {
	if c.Kind == Categorical {
		return len(c.Levels)
	}
	if c.MissingRate > 0 {
		return 2
	}
	return 1
}

// fitEncoder learns the coding of the given columns of ds.
func fitEncoder(ds *Dataset, cols []int, maxLevels int) (*Encoder, error) {
	enc := &Encoder{Columns: make([]ColumnCode, 0, len(cols))}
	for _, j := range cols {
		col := &ds.Columns[j]
		var code ColumnCode
		var err error
		if col.Kind == Numeric {
			code = fitNumeric(col)
		} else if code, err = fitCategorical(ds, col, maxLevels); err != nil {
			return nil, err
		}
		enc.Columns = append(enc.Columns, code)
	}
	return enc, nil
}

func fitNumeric(col *Column) ColumnCode {
	present := make([]float64, 0, len(col.Num))
	for _, v := range col.Num {
		if !math.IsNaN(v) {
			present = append(present, v)
		}
	}
	code := ColumnCode{Name: col.Name, Kind: Numeric, SD: 1}
	if len(present) == 0 {
		// Nothing to learn from: every row codes to 0 and the weight stays 0.
		code.MissingRate = 1
		return code
	}
	code.Median = median(present)
	n := float64(len(col.Num))
	missing := float64(len(col.Num) - len(present))
	code.MissingRate = missing / n
	// Moments of the imputed column, as the model will see it.
	var sum float64
	for _, v := range present {
		sum += v
	}
	code.Mean = (sum + missing*code.Median) / n
	ss := missing * (code.Median - code.Mean) * (code.Median - code.Mean)
	for _, v := range present {
		ss += (v - code.Mean) * (v - code.Mean)
	}
	if sd := math.Sqrt(ss / n); sd > 1e-12*math.Max(1, math.Abs(code.Mean)) {
		code.SD = sd
	} // else the column is constant: it codes to 0 and SD stays 1.
	return code
}

func fitCategorical(ds *Dataset, col *Column, maxLevels int) (ColumnCode, error) {
	counts := map[string]int{}
	for _, v := range col.Cat {
		counts[v]++
	}
	if len(counts) > maxLevels {
		if i, ok := strayText(col.Cat); ok {
			return ColumnCode{}, vernost.Invalid(col.Name, "%d distinct values, too many for a category; the column is mostly numbers but %s holds %q, which made it text: fix that value or drop the column", len(counts), ds.where(i), col.Cat[i])
		}
		return ColumnCode{}, vernost.Invalid(col.Name, "%d distinct values, more than the %d allowed for a category; if it is an identifier, pass it as the id or drop it", len(counts), maxLevels)
	}
	code := ColumnCode{Name: col.Name, Kind: Categorical}
	for v := range counts {
		code.Levels = append(code.Levels, v)
	}
	sort.Strings(code.Levels)
	n := float64(len(col.Cat))
	for _, v := range code.Levels {
		code.LevelRates = append(code.LevelRates, float64(counts[v])/n)
	}
	return code, nil
}

// strayText finds the first value that is not a number in a column whose
// non-blank values are at least 90% numbers: the likely typo that turned a
// numeric column into a category.
func strayText(values []string) (row int, ok bool) {
	row = -1
	numbers, present := 0, 0
	for i, v := range values {
		if v == "" {
			continue
		}
		present++
		if x, err := strconv.ParseFloat(v, 64); err == nil && finite(x) {
			numbers++
		} else if row < 0 {
			row = i
		}
	}
	return row, row >= 0 && numbers*10 >= present*9
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// Features returns the names of the coded features, in design order:
// "tenure", "TotalCharges=missing", "Contract=Two year".
func (e *Encoder) Features() []string {
	var names []string
	for _, c := range e.Columns {
		if c.Kind == Numeric {
			names = append(names, c.Name)
			if c.MissingRate > 0 {
				names = append(names, c.Name+"="+missingLevel)
			}
			continue
		}
		for _, l := range c.Levels {
			names = append(names, c.Name+"="+levelName(l))
		}
	}
	return names
}

func levelName(l string) string {
	if l == "" {
		return missingLevel
	}
	return l
}

// means returns the training mean of each feature: the baseline against
// which a row's contributions are measured.
func (e *Encoder) means() []float64 {
	var m []float64
	for _, c := range e.Columns {
		if c.Kind == Numeric {
			m = append(m, 0) // standardised
			if c.MissingRate > 0 {
				m = append(m, c.MissingRate)
			}
			continue
		}
		m = append(m, c.LevelRates...)
	}
	return m
}

// width returns the number of features.
func (e *Encoder) width() int {
	w := 0
	for i := range e.Columns {
		w += e.Columns[i].width()
	}
	return w
}

// matrix is a dense row-major table of coded features.
type matrix struct {
	rows, cols int
	data       []float64
}

func (m matrix) row(i int) []float64 { return m.data[i*m.cols : (i+1)*m.cols] }

// transform codes the rows of ds. ds must hold every column the encoder
// knows, of the same kind; other columns are ignored.
func (e *Encoder) transform(ds *Dataset) (matrix, error) {
	n := ds.Rows()
	x := matrix{rows: n, cols: e.width()}
	x.data = make([]float64, n*x.cols)
	at := 0
	for _, c := range e.Columns {
		col, ok := ds.Column(c.Name)
		if !ok {
			return matrix{}, vernost.Invalid(c.Name, "column missing from the data; the model needs it")
		}
		if col.Kind != c.Kind {
			return matrix{}, vernost.Invalid(c.Name, "the model reads it as %s, the data has it %s", c.Kind, col.Kind)
		}
		if c.Kind == Numeric {
			for i, v := range col.Num {
				r := x.row(i)
				if math.IsNaN(v) {
					v = c.Median
					if c.MissingRate > 0 {
						r[at+1] = 1
					}
				}
				r[at] = (v - c.Mean) / c.SD
			}
		} else {
			pos := make(map[string]int, len(c.Levels))
			for k, l := range c.Levels {
				pos[l] = k
			}
			for i, v := range col.Cat {
				if k, ok := pos[v]; ok {
					x.row(i)[at+k] = 1
				} // an unseen level codes as all zeros
			}
		}
		at += c.width()
	}
	return x, nil
}

// validate checks an encoder read from a model file.
func (e *Encoder) validate() error {
	if len(e.Columns) == 0 {
		return vernost.Invalid("model", "encoder has no columns")
	}
	seen := map[string]bool{}
	for _, c := range e.Columns {
		if c.Name == "" || seen[c.Name] {
			return vernost.Invalid("model", "encoder column %q is unnamed or repeated", c.Name)
		}
		seen[c.Name] = true
		switch c.Kind {
		case Numeric:
			if !finite(c.Median, c.Mean, c.SD, c.MissingRate) || c.SD <= 0 || c.MissingRate < 0 || c.MissingRate > 1 {
				return vernost.Invalid("model", "encoder column %s: bad numeric coding", c.Name)
			}
		case Categorical:
			if len(c.Levels) == 0 || len(c.LevelRates) != len(c.Levels) || !finite(c.LevelRates...) {
				return vernost.Invalid("model", "encoder column %s: bad levels", c.Name)
			}
			levels := map[string]bool{}
			for _, l := range c.Levels {
				if levels[l] {
					return vernost.Invalid("model", "encoder column %s: level %q repeated", c.Name, l)
				}
				levels[l] = true
			}
		default:
			return vernost.Invalid("model", "encoder column %s: unknown kind", c.Name)
		}
	}
	return nil
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
