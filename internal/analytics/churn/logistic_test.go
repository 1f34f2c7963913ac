package churn

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func logit(p float64) float64 { return math.Log(p / (1 - p)) }

func design(rows [][]float64) matrix {
	m := matrix{rows: len(rows), cols: len(rows[0])}
	for _, r := range rows {
		m.data = append(m.data, r...)
	}
	return m
}

// TestFitLogisticClosedForm: with one 0/1 feature and no penalty the maximum
// likelihood has a closed form: b = logit(rate at 0), w = logit(rate at 1) - b.
func TestFitLogisticClosedForm(t *testing.T) {
	var rows [][]float64
	var y []float64
	add := func(x float64, positives, n int) {
		for i := range n {
			rows = append(rows, []float64{x})
			y = append(y, float64(min(1, positives/(i+1))))
		}
	}
	add(0, 3, 10) // 3 of 10 churn at x=0
	add(1, 7, 10) // 7 of 10 at x=1
	fit, err := fitLogistic(design(rows), y, 0, 100)
	if err != nil {
		t.Fatalf("fitLogistic: %v", err)
	}
	wantB, wantW := logit(0.3), logit(0.7)-logit(0.3)
	if !near(fit.intercept, wantB, 1e-8) || !near(fit.weights[0], wantW, 1e-8) {
		t.Errorf("b, w = %.10f, %.10f; want %.10f, %.10f (±1e-8)", fit.intercept, fit.weights[0], wantB, wantW)
	}
}

// synthetic returns n rows of p standard normal features and outcomes drawn
// from a logistic model with the given intercept and weights.
func synthetic(seed uint64, n int, b float64, w []float64) (matrix, []float64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := matrix{rows: n, cols: len(w), data: make([]float64, n*len(w))}
	y := make([]float64, n)
	for i := range n {
		r := x.row(i)
		eta := b
		for j := range r {
			r[j] = rng.NormFloat64()
			eta += w[j] * r[j]
		}
		if rng.Float64() < sigmoid(eta) {
			y[i] = 1
		}
	}
	return x, y
}

// TestFitLogisticStationary checks the optimality conditions of the
// penalised fit: Σ(p-y) = 0 for the free intercept, Xᵀ(p-y) + λw = 0 for the
// weights.
func TestFitLogisticStationary(t *testing.T) {
	for _, lambda := range []float64{0, 0.5, 20} {
		x, y := synthetic(7, 500, -0.7, []float64{1.2, -0.4, 0, 2})
		fit, err := fitLogistic(x, y, lambda, 100)
		if err != nil {
			t.Fatalf("lambda %v: fitLogistic: %v", lambda, err)
		}
		beta := append([]float64{fit.intercept}, fit.weights...)
		grad := make([]float64, len(beta))
		for i := range x.rows {
			res := sigmoid(linear(x.row(i), beta)) - y[i]
			grad[0] += res
			for j, v := range x.row(i) {
				grad[j+1] += res * v
			}
		}
		for j := 1; j < len(beta); j++ {
			grad[j] += lambda * beta[j]
		}
		for j, g := range grad {
			if math.Abs(g) > 1e-6 {
				t.Errorf("lambda %v: gradient[%d] = %.2e at the fit, want |g| ≤ 1e-6", lambda, j, g)
			}
		}
	}
}

// TestFitLogisticPenaltySparesIntercept: a huge penalty pins the weights to 0
// but leaves the intercept at the log-odds of the base rate.
func TestFitLogisticPenaltySparesIntercept(t *testing.T) {
	x, y := synthetic(3, 400, 1, []float64{2, -1})
	var ybar float64
	for _, v := range y {
		ybar += v / float64(len(y))
	}
	fit, err := fitLogistic(x, y, 1e9, 100)
	if err != nil {
		t.Fatalf("fitLogistic: %v", err)
	}
	for j, w := range fit.weights {
		if math.Abs(w) > 1e-5 {
			t.Errorf("weight %d = %v, want ≈ 0 (±1e-5)", j, w)
		}
	}
	if !near(fit.intercept, logit(ybar), 1e-5) {
		t.Errorf("intercept = %v, want logit(%v) = %v (±1e-5)", fit.intercept, ybar, logit(ybar))
	}
}

func TestFitLogisticSingular(t *testing.T) {
	y := []float64{0, 1, 0, 1, 1, 0}
	tests := []struct {
		name        string
		rows        [][]float64
		wantFeature int
	}{
		{"duplicate column", [][]float64{{1, 2, 2}, {0, 1, 1}, {3, 0, 0}, {1, 1, 1}, {2, 0, 0}, {0, 2, 2}}, 2},
		{"zero column", [][]float64{{0, 1}, {0, 2}, {0, 3}, {0, 1}, {0, 0}, {0, 5}}, 0},
		{"levels summing to the intercept", [][]float64{{1, 0}, {0, 1}, {1, 0}, {0, 1}, {1, 0}, {0, 1}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fitLogistic(design(tt.rows), y, 0, 100)
			var se *singularError
			if !errors.As(err, &se) || se.separated || se.feature != tt.wantFeature {
				t.Fatalf("fitLogistic error = %#v, want singular at feature %d", err, tt.wantFeature)
			}
			if _, err := fitLogistic(design(tt.rows), y, 1, 100); err != nil {
				t.Errorf("with lambda 1: %v, want a fit", err)
			}
		})
	}
}

func TestFitLogisticSeparated(t *testing.T) {
	y := []float64{0, 0, 0, 1, 1, 1}
	tests := []struct {
		name string
		x    []float64
	}{
		{"complete", []float64{-2, -1, -0.5, 0.5, 1, 2}},
		{"quasi-complete", []float64{-2, -1, 0, 0, 1, 2}}, // the two zeros overlap
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := make([][]float64, len(tt.x))
			for i, v := range tt.x {
				rows[i] = []float64{v}
			}
			_, err := fitLogistic(design(rows), y, 0, 100)
			var se *singularError
			if !errors.As(err, &se) || !se.separated {
				t.Fatalf("fitLogistic without penalty = %#v, want a separation error", err)
			}
			fit, err := fitLogistic(design(rows), y, 1, 100)
			if err != nil {
				t.Fatalf("with lambda 1: %v", err)
			}
			if !(fit.weights[0] > 0 && fit.weights[0] < separatedLogit) {
				t.Errorf("with lambda 1: weight = %v, want a finite positive number", fit.weights[0])
			}
		})
	}
}

func TestCholeskySolve(t *testing.T) {
	a := []float64{
		4, 2, 0,
		2, 5, 1,
		0, 1, 3,
	}
	orig := append([]float64(nil), a...)
	want := []float64{1, -2, 3}
	b := make([]float64, 3)
	for i := range 3 {
		for j := range 3 {
			b[i] += orig[i*3+j] * want[j]
		}
	}
	if j := cholesky(a, 3); j != -1 {
		t.Fatalf("cholesky = %d, want -1 (positive definite)", j)
	}
	cholSolve(a, 3, b)
	for i := range want {
		if !near(b[i], want[i], 1e-12) {
			t.Errorf("x = %v, want %v (±1e-12)", b, want)
			break
		}
	}
	if j := cholesky([]float64{1, 1, 1, 1}, 2); j != 1 {
		t.Errorf("cholesky of a rank-1 matrix = %d, want 1", j)
	}
}
