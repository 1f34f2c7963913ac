package nps

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vernost/vernost"
)

func TestTally(t *testing.T) {
	got, err := Tally([]int{0, 6, 7, 8, 9, 10, 10, 3})
	want := Counts{Promoters: 3, Passives: 2, Detractors: 3}
	if err != nil || got != want {
		t.Errorf("Tally = %+v, %v; want %+v", got, err, want)
	}
	for _, tt := range []struct {
		answers []int
		field   string
	}{
		{[]int{5, 11}, "answers[1]"},
		{[]int{-1}, "answers[0]"},
		{[]int{10, 10, 10, 100}, "answers[3]"},
	} {
		_, err := Tally(tt.answers)
		if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != tt.field {
			t.Errorf("Tally(%v) error = %v, want an invalid-input error naming %s", tt.answers, err, tt.field)
		}
	}
}

func TestScore(t *testing.T) {
	tests := []struct {
		name       string
		c          Counts
		nps, se    float64
		tol        float64
		moeIsZ95SE bool
	}{
		// stats.stackexchange.com/q/18603 (whuber): ½ promoters, ⅓
		// passives, ⅙ detractors give NPS ⅓ with a per-answer SD of
		// √(5/9) ≈ 0.75, so 324 answers have a standard error of about
		// 0.75/18 = 4.1 points ("about 4.1%").
		{"published", Counts{162, 108, 54}, 100.0 / 3, 100 * math.Sqrt(5.0/9/324), 1e-12, true},
		// By hand: variance 0.5 + 0.2 − 0.3² = 0.61 per answer.
		{"hand", Counts{50, 30, 20}, 30, 100 * math.Sqrt(0.61/100), 1e-12, true},
		{"all promoters", Counts{Promoters: 7}, 100, 0, 0, true},
		{"all detractors", Counts{Detractors: 3}, -100, 0, 0, true},
		{"all passives", Counts{Passives: 3}, 0, 0, 0, true},
	}
	for _, tt := range tests {
		s, err := FromCounts(tt.c)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if math.Abs(s.NPS-tt.nps) > tt.tol || math.Abs(s.StdErr-tt.se) > tt.tol {
			t.Errorf("%s: NPS %.6f ± SE %.6f, want %.6f ± %.6f", tt.name, s.NPS, s.StdErr, tt.nps, tt.se)
		}
		if math.Abs(s.MarginOfError-1.96*s.StdErr) > 0.001*s.StdErr {
			t.Errorf("%s: margin of error %.6f, want 1.96 × %.6f", tt.name, s.MarginOfError, s.StdErr)
		}
	}
	// The published rounding: 4.1 points.
	s, _ := FromCounts(Counts{162, 108, 54})
	if math.Round(s.StdErr*10)/10 != 4.1 {
		t.Errorf("standard error %.4f does not round to the published 4.1", s.StdErr)
	}
}

func TestScoreBounds(t *testing.T) {
	s, _ := FromCounts(Counts{Promoters: 9, Passives: 1})
	if s.High() != 100 || s.Low() >= s.NPS || s.Low() < -100 {
		t.Errorf("NPS %v ± %v: interval [%v, %v], want it clipped at 100 and below the score", s.NPS, s.MarginOfError, s.Low(), s.High())
	}
}

func TestScoreErrors(t *testing.T) {
	for _, c := range []Counts{{}, {Promoters: -1, Passives: 3}} {
		_, err := FromCounts(c)
		if vernost.ErrorCode(err) != vernost.EInvalid {
			t.Errorf("FromCounts(%+v) error = %v, want invalid input", c, err)
		}
	}
	if _, err := FromAnswers([]int{9, 12}); vernost.ErrorField(err) != "answers[1]" {
		t.Errorf("FromAnswers with 12: error %v, want one naming answers[1]", err)
	}
}

// draw samples n answers from a population with the given group shares.
func draw(rng *rand.Rand, n int, promoters, detractors float64) Counts {
	var c Counts
	for range n {
		switch u := rng.Float64(); {
		case u < promoters:
			c.Promoters++
		case u < promoters+detractors:
			c.Detractors++
		default:
			c.Passives++
		}
	}
	return c
}

// TestMarginOfErrorCoverage: the 95% interval must cover the true NPS in
// about 95% of samples. 2,000 samples give a coverage standard error of
// 0.5 points; ±2 points is four of them, while a margin off by 20% would
// cover 89% or 98%.
func TestMarginOfErrorCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	const reps, n = 2000, 400
	truth := 100 * (0.45 - 0.25)
	covered := 0
	for range reps {
		s, _ := FromCounts(draw(rng, n, 0.45, 0.25))
		if s.Low() <= truth && truth <= s.High() {
			covered++
		}
	}
	if got := float64(covered) / reps; math.Abs(got-0.95) > 0.02 {
		t.Errorf("95%% interval covered the true NPS in %.3f of samples, want 0.95 ± 0.02", got)
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name           string
		earlier, later Counts
		significant    bool
	}{
		{"big rise", Counts{200, 100, 200}, Counts{300, 100, 100}, true},
		{"big fall", Counts{300, 100, 100}, Counts{200, 100, 200}, true},
		{"noise", Counts{100, 50, 50}, Counts{102, 50, 48}, false},
		{"same", Counts{40, 40, 20}, Counts{40, 40, 20}, false},
		{"degenerate, equal", Counts{Promoters: 5}, Counts{Promoters: 9}, false},
		{"degenerate, different", Counts{Promoters: 5}, Counts{Detractors: 9}, true},
	}
	for _, tt := range tests {
		c, err := Compare(tt.earlier, tt.later)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		a, _ := FromCounts(tt.earlier)
		b, _ := FromCounts(tt.later)
		if c.Diff != b.NPS-a.NPS || c.Significant != tt.significant || c.PValue < 0 || c.PValue > 1 {
			t.Errorf("%s: diff %v p %v significant %v; want diff %v, significant %v", tt.name, c.Diff, c.PValue, c.Significant, b.NPS-a.NPS, tt.significant)
		}
	}
	// By hand: SEs √(0.61/100)·100 and the same for the mirror sample give
	// the standard error of the difference as their root sum of squares.
	c, _ := Compare(Counts{50, 30, 20}, Counts{20, 30, 50})
	wantSE := math.Sqrt(2) * 100 * math.Sqrt(0.61/100)
	if math.Abs(c.Diff+60) > 1e-12 || math.Abs(c.StdErr-wantSE) > 1e-12 || math.Abs(c.Z-(-60/wantSE)) > 1e-12 {
		t.Errorf("mirror samples: diff %v SE %v z %v; want −60, %v, %v", c.Diff, c.StdErr, c.Z, wantSE, -60/wantSE)
	}
	// z = 2 has two-sided p = 0.0455 (normal tables).
	if got := compare(10, 5); math.Abs(got.PValue-0.0455) > 5e-5 || !got.Significant {
		t.Errorf("z = 2: p = %.5f significant %v; want 0.0455, true", got.PValue, got.Significant)
	}
	if _, err := Compare(Counts{}, Counts{Promoters: 1}); vernost.ErrorCode(err) != vernost.EInvalid {
		t.Errorf("Compare with an empty period: error %v, want invalid input", err)
	}
}

// TestCompareFalseAlarms: two samples of the same population must be called
// different about 5% of the time. 2,000 pairs give a standard error of 0.49
// points; ±1.5 points is three of them.
func TestCompareFalseAlarms(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	const reps = 2000
	alarms := 0
	for range reps {
		c, _ := Compare(draw(rng, 300, 0.5, 0.2), draw(rng, 300, 0.5, 0.2))
		if c.Significant {
			alarms++
		}
	}
	if got := float64(alarms) / reps; math.Abs(got-0.05) > 0.015 {
		t.Errorf("same population called different in %.3f of pairs, want 0.05 ± 0.015", got)
	}
}
