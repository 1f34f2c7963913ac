package nps

import (
	"fmt"
	"math"

	"github.com/vernost/vernost"
)

// CSATCounts is a tally of 1–5 satisfaction answers.
type CSATCounts struct {
	Satisfied int // answers of 4 or 5
	Total     int
}

// Plus adds two tallies.
func (c CSATCounts) Plus(o CSATCounts) CSATCounts {
	return CSATCounts{c.Satisfied + o.Satisfied, c.Total + o.Total}
}

func (c CSATCounts) validate() error {
	if c.Satisfied < 0 || c.Total < c.Satisfied {
		return vernost.Invalid("counts", "%d satisfied of %d answers is impossible", c.Satisfied, c.Total)
	}
	return nil
}

// TallyCSAT counts 1–5 answers, rejecting any outside the scale.
func TallyCSAT(answers []int) (CSATCounts, error) {
	c := CSATCounts{Total: len(answers)}
	for i, v := range answers {
		if v < 1 || v > 5 {
			return CSATCounts{}, vernost.Invalid(fmt.Sprintf("answers[%d]", i), "%d is outside the 1–5 scale", v)
		}
		if v >= 4 {
			c.Satisfied++
		}
	}
	return c, nil
}

// CSAT is a satisfaction score in percent with its precision.
type CSAT struct {
	N, Satisfied int
	Score        float64 // percent satisfied
	// MarginOfError is the familiar ±1.96·√(p(1−p)/n), in points. It is
	// zero at 0% and 100%, so the interval below is the one to draw.
	MarginOfError float64
	// Low and High are the 95% Wilson score interval in percent, which
	// stays inside 0–100 and is honest for small samples and scores near
	// the ends.
	Low, High float64
}

// CSATFromCounts scores a tally. It needs at least one answer.
func CSATFromCounts(c CSATCounts) (CSAT, error) {
	if err := c.validate(); err != nil {
		return CSAT{}, err
	}
	if c.Total == 0 {
		return CSAT{}, vernost.Invalid("answers", "no answers to score")
	}
	return csat(c), nil
}

// csat assumes valid counts with Total > 0.
func csat(c CSATCounts) CSAT {
	n := float64(c.Total)
	p := float64(c.Satisfied) / n
	z2 := z95 * z95
	denom := 1 + z2/n
	center := (p + z2/(2*n)) / denom
	half := z95 / denom * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return CSAT{
		N:             c.Total,
		Satisfied:     c.Satisfied,
		Score:         100 * p,
		MarginOfError: 100 * z95 * math.Sqrt(p*(1-p)/n),
		Low:           100 * math.Max(0, center-half),
		High:          100 * math.Min(1, center+half),
	}
}

// CSATFromAnswers scores raw 1–5 answers.
func CSATFromAnswers(answers []int) (CSAT, error) {
	c, err := TallyCSAT(answers)
	if err != nil {
		return CSAT{}, err
	}
	return CSATFromCounts(c)
}
