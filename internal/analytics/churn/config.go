package churn

import (
	"math"
	"strconv"
	"strings"

	"github.com/vernost/vernost"
)

// DefaultLambda is the L2 penalty the CLI uses unless told otherwise: on the
// summed log loss it matches the common C=1 of other toolkits, light enough
// not to bias a few thousand rows, firm enough to tame collinear one-hot
// levels.
const DefaultLambda = 1.0

// Config says what to learn from a Dataset and how hard to regularise.
type Config struct {
	Target string   // the 0/1 column to predict: Yes/No, 1/0 or true/false
	ID     string   // optional: the customer id column, never a feature
	Drop   []string // further columns that are not features

	// Lambda is the L2 penalty on the standardised weights. Zero fits an
	// unpenalised model, which fails on full one-hot coding (the levels of a
	// category sum to the intercept); use DefaultLambda unless you know better.
	Lambda float64
	// MaxIter bounds the Newton iterations; zero means 100.
	MaxIter int
	// MaxLevels bounds the distinct values of one categorical feature, so an
	// identifier left in by mistake is an error, not a model with thousands
	// of weights; zero means 100.
	MaxLevels int
}

func (c Config) maxIter() int {
	if c.MaxIter <= 0 {
		return 100
	}
	return c.MaxIter
}

func (c Config) maxLevels() int {
	if c.MaxLevels <= 0 {
		return 100
	}
	return c.MaxLevels
}

// features checks the configuration against ds and returns the indexes of
// the feature columns, in table order.
func (c Config) features(ds *Dataset) ([]int, error) {
	if err := ds.Validate(); err != nil {
		return nil, err
	}
	if math.IsNaN(c.Lambda) || math.IsInf(c.Lambda, 0) || c.Lambda < 0 {
		return nil, vernost.Invalid("lambda", "must be a finite number ≥ 0, got %v", c.Lambda)
	}
	if c.Target == "" {
		return nil, vernost.Invalid("target", "no target column given")
	}
	named := map[string]string{c.Target: "target"}
	if c.ID != "" {
		if c.ID == c.Target {
			return nil, vernost.Invalid("id", "column %s is already the target", c.ID)
		}
		named[c.ID] = "id"
	}
	for _, d := range c.Drop {
		named[d] = "drop"
	}
	for name, role := range named {
		if _, ok := ds.Column(name); !ok {
			return nil, vernost.Invalid(role, "no column %q in the data (columns: %s)", name, columnList(ds))
		}
	}
	var idx []int
	for i := range ds.Columns {
		if _, skip := named[ds.Columns[i].Name]; !skip {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil, vernost.Invalid("data", "no feature columns left after target, id and dropped columns")
	}
	return idx, nil
}

func columnList(ds *Dataset) string {
	names := make([]string, len(ds.Columns))
	for i, c := range ds.Columns {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// Labels reads the target column as churned (true) or stayed (false). It
// accepts Yes/No, 1/0 and true/false in any case; anything else, including
// a blank, is an error naming the row.
func Labels(ds *Dataset, target string) ([]bool, error) {
	col, ok := ds.Column(target)
	if !ok {
		return nil, vernost.Invalid("target", "no column %q in the data (columns: %s)", target, columnList(ds))
	}
	y := make([]bool, col.Len())
	for i := range y {
		var v bool
		var ok bool
		if col.Kind == Numeric {
			v, ok = col.Num[i] == 1, col.Num[i] == 0 || col.Num[i] == 1
		} else {
			v, ok = parseLabel(col.Cat[i])
		}
		if !ok {
			return nil, vernost.Invalid(ds.where(i), "target %s: %s is not Yes/No, 1/0 or true/false", target, labelText(col, i))
		}
		y[i] = v
	}
	return y, nil
}

var labelWords = map[string]bool{"yes": true, "no": false, "1": true, "0": false, "true": true, "false": false}

func parseLabel(s string) (churned, ok bool) {
	churned, ok = labelWords[strings.ToLower(strings.TrimSpace(s))]
	return churned, ok
}

func labelText(col *Column, i int) string {
	if col.Kind == Numeric {
		if math.IsNaN(col.Num[i]) {
			return "a blank"
		}
		return "the value " + formatNumber(col.Num[i])
	}
	if strings.TrimSpace(col.Cat[i]) == "" {
		return "a blank"
	}
	return "the value " + strconv.Quote(col.Cat[i])
}

// checkClasses refuses a target with one class: no model can separate
// churners from stayers without seeing both.
func checkClasses(y []bool, target string) (positives int, err error) {
	if len(y) == 0 {
		return 0, vernost.Invalid("data", "no rows to learn from")
	}
	positives = countTrue(y)
	if positives == 0 || positives == len(y) {
		class := "stayed"
		if positives > 0 {
			class = "churned"
		}
		return 0, vernost.Invalid("target", "all %d rows of %s %s: a churn model needs both classes", len(y), target, class)
	}
	return positives, nil
}

func countTrue(y []bool) int {
	n := 0
	for _, v := range y {
		if v {
			n++
		}
	}
	return n
}

// formatNumber writes x as briefly as it round-trips.
func formatNumber(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
