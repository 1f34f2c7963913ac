// Package nps scores customer surveys: the Net Promoter Score (0–10 answers;
// promoters 9–10, passives 7–8, detractors 0–6; NPS = %promoters −
// %detractors, from −100 to +100) and CSAT (share of 4–5 on a 1–5 scale),
// each with its 95% margin of error, moving-average trends and a test of
// whether two periods differ.
package nps

import (
	"fmt"
	"math"

	"github.com/vernost/vernost"
)

// z95 is the two-sided 95% point of the standard normal.
const z95 = 1.959963984540054

// Counts is the number of answers in each NPS group.
type Counts struct {
	Promoters, Passives, Detractors int
}

// Total is the number of answers.
func (c Counts) Total() int { return c.Promoters + c.Passives + c.Detractors }

// Plus adds two tallies.
func (c Counts) Plus(o Counts) Counts {
	return Counts{c.Promoters + o.Promoters, c.Passives + o.Passives, c.Detractors + o.Detractors}
}

func (c Counts) validate() error {
	if c.Promoters < 0 || c.Passives < 0 || c.Detractors < 0 {
		return vernost.Invalid("counts", "negative count in %+v", c)
	}
	return nil
}

// Tally groups 0–10 answers, rejecting any outside the scale.
func Tally(answers []int) (Counts, error) {
	var c Counts
	for i, v := range answers {
		switch {
		case v < 0 || v > 10:
			return Counts{}, vernost.Invalid(fmt.Sprintf("answers[%d]", i), "%d is outside the 0–10 scale", v)
		case v >= 9:
			c.Promoters++
		case v >= 7:
			c.Passives++
		default:
			c.Detractors++
		}
	}
	return c, nil
}

// Score is an NPS with its precision. Shares are in [0, 1]; NPS, StdErr and
// MarginOfError are in points of the −100…+100 scale.
type Score struct {
	N                               int
	Promoters, Passives, Detractors float64
	NPS                             float64
	StdErr                          float64
	// MarginOfError is the half-width of the 95% interval. It comes from
	// the variance of the +1/0/−1 answer, so it is zero when every answer
	// falls in one group; read it with care below about 30 answers.
	MarginOfError float64
}

// Low and High bound the 95% interval, clipped to the scale.
func (s Score) Low() float64  { return math.Max(-100, s.NPS-s.MarginOfError) }
func (s Score) High() float64 { return math.Min(100, s.NPS+s.MarginOfError) }

// FromCounts scores a tally. It needs at least one answer.
func FromCounts(c Counts) (Score, error) {
	if err := c.validate(); err != nil {
		return Score{}, err
	}
	n := c.Total()
	if n == 0 {
		return Score{}, vernost.Invalid("answers", "no answers to score")
	}
	return score(c), nil
}

// score assumes valid counts with n > 0.
func score(c Counts) Score {
	n := float64(c.Total())
	p, d := float64(c.Promoters)/n, float64(c.Detractors)/n
	mean := p - d
	// Variance of one answer scored +1, 0 or −1: E[X²] − E[X]².
	variance := math.Max(0, p+d-mean*mean)
	se := 100 * math.Sqrt(variance/n)
	return Score{
		N:             c.Total(),
		Promoters:     p,
		Passives:      float64(c.Passives) / n,
		Detractors:    d,
		NPS:           100 * mean,
		StdErr:        se,
		MarginOfError: z95 * se,
	}
}

// FromAnswers scores raw 0–10 answers.
func FromAnswers(answers []int) (Score, error) {
	c, err := Tally(answers)
	if err != nil {
		return Score{}, err
	}
	return FromCounts(c)
}

// Comparison is the change in NPS from one period to the next.
type Comparison struct {
	Diff   float64 // later NPS − earlier NPS, in points
	StdErr float64 // of Diff, in points
	Z      float64
	PValue float64 // two-sided
	// Significant is PValue < 0.05.
	Significant bool
}

// Compare tests whether two independent samples' NPS differ: a two-sample
// z test on the difference, whose variance is the sum of the two scores'
// squared standard errors. When both samples have zero variance (every
// answer in one group) any difference counts as certain.
func Compare(earlier, later Counts) (Comparison, error) {
	a, err := FromCounts(earlier)
	if err != nil {
		return Comparison{}, fmt.Errorf("earlier period: %w", err)
	}
	b, err := FromCounts(later)
	if err != nil {
		return Comparison{}, fmt.Errorf("later period: %w", err)
	}
	return compare(b.NPS-a.NPS, math.Hypot(a.StdErr, b.StdErr)), nil
}

func compare(diff, se float64) Comparison {
	c := Comparison{Diff: diff, StdErr: se}
	switch {
	case se > 0:
		c.Z = diff / se
	case diff > 0:
		c.Z = math.Inf(1)
	case diff < 0:
		c.Z = math.Inf(-1)
	}
	c.PValue = math.Erfc(math.Abs(c.Z) / math.Sqrt2)
	c.Significant = c.PValue < 0.05
	return c
}
