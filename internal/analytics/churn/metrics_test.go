package churn

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestAUCByHand(t *testing.T) {
	T, F := true, false
	tests := []struct {
		name string
		y    []bool
		p    []float64
		want float64
	}{
		// Pairs (churner, stayer): (.35,.1) ✓ (.35,.4) ✗ (.8,.1) ✓ (.8,.4) ✓ → 3/4.
		{"no ties", []bool{F, F, T, T}, []float64{0.1, 0.4, 0.35, 0.8}, 0.75},
		// (.5,.5) half, (.5,.2) ✓, (.8,.5) ✓, (.8,.2) ✓ → 3.5/4.
		{"tie across classes", []bool{T, F, F, T}, []float64{0.5, 0.5, 0.2, 0.8}, 0.875},
		// .9 beats all three stayers; .3 ties two and beats one → (3+2)/6.
		{"tie with two stayers", []bool{T, T, F, F, F}, []float64{0.9, 0.3, 0.3, 0.3, 0.1}, 5.0 / 6},
		{"perfect", []bool{F, T, F, T}, []float64{0.1, 0.9, 0.2, 0.8}, 1},
		{"reversed", []bool{F, T, F, T}, []float64{0.9, 0.1, 0.8, 0.2}, 0},
		{"all tied", []bool{F, T, F, T, T}, []float64{0.3, 0.3, 0.3, 0.3, 0.3}, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AUC(tt.y, tt.p)
			if err != nil {
				t.Fatalf("AUC: %v", err)
			}
			if !near(got, tt.want, 1e-12) {
				t.Errorf("AUC = %v, want %v (±1e-12)", got, tt.want)
			}
		})
	}
}

// TestAUCMatchesPairCount compares the rank formula with counting every
// pair, on scores rounded to two decimals so that ties are common.
func TestAUCMatchesPairCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for trial := range 20 {
		n := 2 + rng.IntN(60)
		y := make([]bool, n)
		p := make([]float64, n)
		for i := range n {
			p[i] = math.Round(rng.Float64()*100) / 100
			y[i] = rng.Float64() < p[i]
		}
		y[0], y[1] = true, false // both classes
		var wins, pairs float64
		for i := range n {
			for j := range n {
				if !y[i] || y[j] {
					continue
				}
				pairs++
				switch {
				case p[i] > p[j]:
					wins++
				case p[i] == p[j]:
					wins += 0.5
				}
			}
		}
		got, err := AUC(y, p)
		if err != nil {
			t.Fatalf("trial %d: AUC: %v", trial, err)
		}
		if want := wins / pairs; !near(got, want, 1e-12) {
			t.Errorf("trial %d: AUC = %v, pair count gives %v", trial, got, want)
		}
	}
}

func TestEvaluateByHand(t *testing.T) {
	y := []bool{true, false, true, false}
	p := []float64{0.8, 0.4, 0.4, 0.5}
	got, err := Evaluate(y, p)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	want := Metrics{
		Rows: 4, Positives: 2,
		AUC:      0.625, // (1 + 1 + ½ + 0) / 4
		Accuracy: 0.5,   // predicted churn at ≥ 0.5: T F F T against T F T F
		LogLoss:  -(math.Log(0.8) + math.Log(0.6) + math.Log(0.4) + math.Log(0.5)) / 4,
		Brier:    (0.04 + 0.16 + 0.36 + 0.25) / 4,
	}
	if got.Rows != want.Rows || got.Positives != want.Positives ||
		!near(got.AUC, want.AUC, 1e-12) || !near(got.Accuracy, want.Accuracy, 1e-12) ||
		!near(got.LogLoss, want.LogLoss, 1e-12) || !near(got.Brier, want.Brier, 1e-12) {
		t.Errorf("Evaluate = %+v, want %+v (±1e-12)", got, want)
	}

	// A confident mistake costs a bounded log loss, not +Inf.
	m, err := Evaluate([]bool{true, false}, []float64{0, 0})
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	if want := -math.Log(logLossClip) / 2; !near(m.LogLoss, want, 1e-9) {
		t.Errorf("log loss with p = 0 for a churner = %v, want %v", m.LogLoss, want)
	}
}

func TestMetricsErrors(t *testing.T) {
	tests := []struct {
		name string
		y    []bool
		p    []float64
		want string
	}{
		{"length mismatch", []bool{true, false}, []float64{0.5}, "2 outcomes for 1 probabilities"},
		{"empty", nil, nil, "no rows"},
		{"NaN", []bool{true, false}, []float64{math.NaN(), 0.5}, "probability 1 is NaN"},
		{"above one", []bool{true, false}, []float64{0.5, 1.5}, "probability 2 is 1.5"},
		{"one class", []bool{true, true}, []float64{0.5, 0.6}, "needs both churners and stayers"},
	}
	for _, tt := range tests {
		if _, err := Evaluate(tt.y, tt.p); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Evaluate error = %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func TestCalibration(t *testing.T) {
	y := []bool{false, true, false, true, true, false, true}
	p := []float64{0.2, 0.3, 0.1, 0.9, 0.5, 0.4, 0.8}
	got, err := Calibration(y, p, 3)
	if err != nil {
		t.Fatalf("Calibration: %v", err)
	}
	// Sorted: .1F .2F | .3T .4F | .5T .8T .9T — groups of 2, 2, 3.
	want := []CalibrationBin{
		{Rows: 2, MinPredicted: 0.1, MaxPredicted: 0.2, MeanPredicted: 0.15, Observed: 0},
		{Rows: 2, MinPredicted: 0.3, MaxPredicted: 0.4, MeanPredicted: 0.35, Observed: 0.5},
		{Rows: 3, MinPredicted: 0.5, MaxPredicted: 0.9, MeanPredicted: 2.2 / 3, Observed: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d bins, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Rows != w.Rows || g.MinPredicted != w.MinPredicted || g.MaxPredicted != w.MaxPredicted ||
			!near(g.MeanPredicted, w.MeanPredicted, 1e-12) || !near(g.Observed, w.Observed, 1e-12) {
			t.Errorf("bin %d = %+v, want %+v", i, g, w)
		}
	}
	if bins, _ := Calibration(y, p, 10); len(bins) != len(y) {
		t.Errorf("10 bins over %d rows gave %d bins, want one per row", len(y), len(bins))
	}
	if _, err := Calibration(y, p, 0); err == nil {
		t.Errorf("Calibration with 0 bins succeeded, want an error")
	}
}
