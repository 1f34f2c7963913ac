package clv

import (
	"math"
	"testing"
)

// TestHyp2f1CurveMatchesPointwise checks the shared-series curve against
// hyp2f1Scaled point by point: BG/NBD parameters from light to heavy buyers,
// both sides of Euler's transformation, a polynomial, a closed form, and
// points near z = 1 where the series gives way to quadrature.
func TestHyp2f1CurveMatchesPointwise(t *testing.T) {
	const tol = 1e-13 // relative, on 2F1 itself (or its log where it overflows)
	ramp := func(n int, zMax float64) []float64 {
		zs := make([]float64, n)
		for k := range zs {
			zs[k] = zMax * float64(k) / float64(n-1)
		}
		return zs
	}
	tests := []struct {
		name    string
		a, b, c float64
		zs      []float64
	}{
		{"BG/NBD x=0", 0.243, 2.426, 2.219, ramp(52, 0.63)},
		{"BG/NBD x=7", 7.243, 9.426, 16.219, ramp(52, 0.5)},
		{"BG/NBD heavy buyer x=150", 150.243, 152.426, 152.219, ramp(52, 0.45)},
		{"no Euler transformation (a=5)", 2.243, 4.426, 10.426, ramp(52, 0.6)},
		{"negative b", 0.7, -0.3, 1.9, ramp(20, 0.8)},
		{"polynomial a=-2", -2, 3, 4, ramp(10, 0.9)},
		{"closed form a=c", 2.5, 0.7, 2.5, ramp(10, 0.9)},
		{"unsorted points", 1.5, 2.5, 3.1, []float64{0.3, 0.01, 0.6, 0, 0.45}},
		{"near 1: quadrature", 1, 1, 2, []float64{0.2, 0.9, 0.999999}},
		{"one point", 3.2, 1.1, 4.7, []float64{0.37}},
	}
	for _, tt := range tests {
		n := len(tt.zs)
		logScale, v := make([]float64, n), make([]float64, n)
		if err := hyp2f1Curve(tt.a, tt.b, tt.c, tt.zs, logScale, v); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for k, z := range tt.zs {
			wantScale, wantV, err := hyp2f1Scaled(tt.a, tt.b, tt.c, z)
			if err != nil {
				t.Fatalf("%s: pointwise at z=%g: %v", tt.name, z, err)
			}
			got, want := v[k]*math.Exp(logScale[k]), wantV*math.Exp(wantScale)
			if math.IsInf(want, 0) || want == 0 {
				got, want = logScale[k]+math.Log(math.Abs(v[k])), wantScale+math.Log(math.Abs(wantV))
			}
			if relErr(got, want) > tol {
				t.Errorf("%s: 2F1(%g, %g; %g; %g) = %.17g, want %.17g (pointwise)", tt.name, tt.a, tt.b, tt.c, z, got, want)
			}
		}
	}
}

// TestHyp2f1CurveDomain checks that the curve refuses what the pointwise
// function refuses.
func TestHyp2f1CurveDomain(t *testing.T) {
	for _, tt := range []struct {
		name    string
		a, b, c float64
		zs      []float64
	}{
		{"z = 1", 1, 1, 2, []float64{0.5, 1}},
		{"negative z", 1, 1, 2, []float64{-0.1, 0.5}},
		{"NaN z", 1, 1, 2, []float64{0.5, math.NaN()}},
		{"c a non-positive integer", 1, 1, -2, []float64{0.5}},
		{"NaN a", math.NaN(), 1, 2, []float64{0.5}},
	} {
		n := len(tt.zs)
		if err := hyp2f1Curve(tt.a, tt.b, tt.c, tt.zs, make([]float64, n), make([]float64, n)); err == nil {
			t.Errorf("%s: got no error, want one", tt.name)
		}
	}
}
