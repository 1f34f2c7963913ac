package churn

import (
	"math"
	"slices"
)

// Score is one customer's churn probability and what drove it.
type Score struct {
	Probability float64  `json:"churn_probability"`
	Reasons     []Reason `json:"reasons"`
}

// Reason is one column's share of a customer's risk: how far it moves the
// log-odds of churn away from those of an average training customer.
// Positive effects raise the risk.
type Reason struct {
	Column string  `json:"column"`
	Value  string  `json:"value"` // the customer's value, "(missing)" when blank
	Effect float64 `json:"effect"`
}

// Score returns each row's churn probability with its top reasons (at most
// top of them): the columns with the largest effects, either way. Effects sum over a column's
// coded features (a category's levels, a number and its missing flag), each
// measured from the feature's training mean, so that together they add up to
// the row's log-odds minus the log-odds of the average customer.
func (m *Model) Score(ds *Dataset, top int) ([]Score, error) {
	x, err := m.design(ds)
	if err != nil {
		return nil, err
	}
	means := m.Encoder.means()
	cols := make([]*Column, len(m.Encoder.Columns))
	for j, c := range m.Encoder.Columns {
		cols[j], _ = ds.Column(c.Name) // present: design checked it
	}
	out := make([]Score, x.rows)
	effects := make([]Reason, len(cols))
	for i := range out {
		r := x.row(i)
		k := 0
		for j, c := range m.Encoder.Columns {
			var e float64
			for range c.width() {
				e += m.Coefficients[k] * (r[k] - means[k])
				k++
			}
			effects[j] = Reason{Column: c.Name, Value: cellText(cols[j], i), Effect: e}
		}
		ranked := slices.Clone(effects)
		slices.SortStableFunc(ranked, func(a, b Reason) int {
			return cmpFloat(math.Abs(b.Effect), math.Abs(a.Effect))
		})
		out[i] = Score{Probability: sigmoid(m.logit(r)), Reasons: ranked[:max(0, min(top, len(ranked)))]}
	}
	return out, nil
}

// cellText shows a row's value of a column as it was given.
func cellText(c *Column, i int) string {
	if c.Kind == Numeric {
		if math.IsNaN(c.Num[i]) {
			return missingLevel
		}
		return formatNumber(c.Num[i])
	}
	return levelName(c.Cat[i])
}
