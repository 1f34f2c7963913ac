package nps

import (
	"math"
	"testing"

	"github.com/vernost/vernost"
)

func TestTallyCSAT(t *testing.T) {
	got, err := TallyCSAT([]int{1, 2, 3, 4, 5, 5})
	if want := (CSATCounts{Satisfied: 3, Total: 6}); err != nil || got != want {
		t.Errorf("TallyCSAT = %+v, %v; want %+v", got, err, want)
	}
	for _, tt := range []struct {
		answers []int
		field   string
	}{
		{[]int{0}, "answers[0]"},
		{[]int{4, 5, 6}, "answers[2]"},
	} {
		if _, err := CSATFromAnswers(tt.answers); vernost.ErrorField(err) != tt.field {
			t.Errorf("CSATFromAnswers(%v) error = %v, want one naming %s", tt.answers, err, tt.field)
		}
	}
}

func TestCSAT(t *testing.T) {
	tests := []struct {
		name               string
		c                  CSATCounts
		score, moe, lo, hi float64
	}{
		// By hand: p = 0.8, n = 10, z² = 3.8415: Wilson centre 0.7167,
		// half-width 0.2266.
		{"8 of 10", CSATCounts{8, 10}, 80, 100 * 1.959964 * 0.4 / math.Sqrt(10), 49.02, 94.33},
		// None satisfied: Wilson runs from 0 to z²/(n + z²) = 16.11%.
		{"0 of 20", CSATCounts{0, 20}, 0, 0, 0, 16.11},
		{"all 20", CSATCounts{20, 20}, 100, 0, 83.89, 100},
	}
	for _, tt := range tests {
		got, err := CSATFromCounts(tt.c)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		// Interval ends are given to 0.01 points.
		if math.Abs(got.Score-tt.score) > 1e-12 || math.Abs(got.MarginOfError-tt.moe) > 1e-4 ||
			math.Abs(got.Low-tt.lo) > 0.005 || math.Abs(got.High-tt.hi) > 0.005 {
			t.Errorf("%s: %.4f%% ± %.4f, Wilson [%.3f, %.3f]; want %.4f ± %.4f, [%.2f, %.2f]",
				tt.name, got.Score, got.MarginOfError, got.Low, got.High, tt.score, tt.moe, tt.lo, tt.hi)
		}
	}
	for _, c := range []CSATCounts{{}, {5, 3}, {-1, 3}} {
		if _, err := CSATFromCounts(c); vernost.ErrorCode(err) != vernost.EInvalid {
			t.Errorf("CSATFromCounts(%+v) error = %v, want invalid input", c, err)
		}
	}
}
