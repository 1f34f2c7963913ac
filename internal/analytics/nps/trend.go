package nps

import (
	"fmt"

	"github.com/vernost/vernost"
)

// Trends are moving averages over a window of periods (days, weeks). The
// window pools the answers rather than averaging the periods' scores, so a
// quiet week with five answers moves the line as little as five answers
// should.

// TrendPoint is the NPS of the window of periods ending at End (an index
// into the periods). Score.N == 0 means the window had no answers and the
// score is undefined.
type TrendPoint struct {
	End   int
	Score Score
}

// Trend returns one point per period from the first full window on.
func Trend(periods []Counts, window int) ([]TrendPoint, error) {
	if err := checkWindow(window, len(periods)); err != nil {
		return nil, err
	}
	for i, c := range periods {
		if err := c.validate(); err != nil {
			return nil, fmt.Errorf("periods[%d]: %w", i, err)
		}
	}
	var sum Counts
	out := make([]TrendPoint, 0, len(periods)-window+1)
	for i, c := range periods {
		sum = sum.Plus(c)
		if i >= window {
			old := periods[i-window]
			sum = sum.Plus(Counts{-old.Promoters, -old.Passives, -old.Detractors})
		}
		if i >= window-1 {
			p := TrendPoint{End: i}
			if sum.Total() > 0 {
				p.Score = score(sum)
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// CSATTrendPoint is the CSAT of the window ending at End; CSAT.N == 0 means
// no answers.
type CSATTrendPoint struct {
	End  int
	CSAT CSAT
}

// CSATTrend returns one point per period from the first full window on.
func CSATTrend(periods []CSATCounts, window int) ([]CSATTrendPoint, error) {
	if err := checkWindow(window, len(periods)); err != nil {
		return nil, err
	}
	for i, c := range periods {
		if err := c.validate(); err != nil {
			return nil, fmt.Errorf("periods[%d]: %w", i, err)
		}
	}
	var sum CSATCounts
	out := make([]CSATTrendPoint, 0, len(periods)-window+1)
	for i, c := range periods {
		sum = sum.Plus(c)
		if i >= window {
			old := periods[i-window]
			sum = sum.Plus(CSATCounts{-old.Satisfied, -old.Total})
		}
		if i >= window-1 {
			p := CSATTrendPoint{End: i}
			if sum.Total > 0 {
				p.CSAT = csat(sum)
			}
			out = append(out, p)
		}
	}
	return out, nil
}

func checkWindow(window, periods int) error {
	if window < 1 {
		return vernost.Invalid("window", "%d: need at least one period", window)
	}
	if window > periods {
		return vernost.Invalid("window", "%d periods is longer than the %d periods given", window, periods)
	}
	return nil
}
