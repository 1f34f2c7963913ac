package staffing

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// TestLnFMatchesGonum compares ln F(s, w) = w − s·ln w + lnΓ(s) + ln P(s, w)
// with gonum's regularised incomplete gamma where that does not underflow.
func TestLnFMatchesGonum(t *testing.T) {
	compared := 0
	for _, s := range []float64{0.3, 1, 2.5, 14, 77.7, 150} {
		for _, w := range []float64{0.01, 0.5 * s, s, s + 0.999, s + 1, s + 1.001, 1.5*s + 2, 3*s + 10} {
			got, err := lnF(s, w)
			if err != nil {
				t.Fatalf("lnF(%v, %v): %v", s, w, err)
			}
			p := mathext.GammaIncReg(s, w)
			if p < 1e-290 {
				continue // P underflows: the case lnF exists for, checked below
			}
			compared++
			lg, _ := math.Lgamma(s)
			want := w - s*math.Log(w) + lg + math.Log(p)
			// Both are accurate to ~1e-14 relative; the log of a value near
			// 10³⁰⁰ is near 700, hence an absolute 1e-11.
			if math.Abs(got-want) > 1e-11 {
				t.Errorf("lnF(%v, %v) = %.15f, want %.15f ± 1e-11", s, w, got, want)
			}
		}
	}
	if compared < 40 {
		t.Errorf("compared %d cases with gonum, want at least 40", compared)
	}
}

// TestLnFLargeArguments checks F(s, w) = (1 + w·F(s+1, w))/s, which follows
// from the series, at sizes where P(s, w) underflows; it ties the series and
// the continued fraction together across their boundary.
func TestLnFLargeArguments(t *testing.T) {
	for _, s := range []float64{1e3, 1e5, 1e8} {
		for _, w := range []float64{0.5 * s, s - 3, s, s + 0.5, s + 1.5, s + 40, 2 * s} {
			lhs, err1 := lnF(s, w)
			next, err2 := lnF(s+1, w)
			if err1 != nil || err2 != nil {
				t.Fatalf("lnF at s=%v w=%v: %v %v", s, w, err1, err2)
			}
			rhs := logAddExp(0, math.Log(w)+next) - math.Log(s)
			// Relative error in F of 1e-9, plus the rounding of ln F itself
			// (ln F reaches 3·10⁷ at s = 10⁸, w = 2s).
			if math.Abs(lhs-rhs) > 1e-9+1e-15*math.Abs(lhs) {
				t.Errorf("s=%v w=%v: ln F(s,w) = %.12f but ln((1 + w·F(s+1,w))/s) = %.12f", s, w, lhs, rhs)
			}
		}
	}
}

func TestLnScaledGammaStirling(t *testing.T) {
	for _, s := range []float64{20, 33.3, 100, 1000} {
		for _, w := range []float64{s / 3, s, 2 * s} {
			lg, _ := math.Lgamma(s)
			want := lg + w - s*math.Log(w)
			if got := lnScaledGamma(s, w); math.Abs(got-want) > 1e-11*math.Max(1, math.Abs(want)) {
				t.Errorf("lnScaledGamma(%v, %v) = %.15g, want %.15g", s, w, got, want)
			}
		}
	}
}

func TestLog1pmx(t *testing.T) {
	// Where ln(1+u) − u does not cancel badly, the direct formula is a
	// fair reference.
	for _, u := range []float64{-0.5, -0.3, 0.2, 0.49, 0.7, 3} {
		want := math.Log1p(u) - u
		if got := log1pmx(u); math.Abs(got-want) > 1e-14*math.Abs(want) {
			t.Errorf("log1pmx(%v) = %.17g, want %.17g", u, got, want)
		}
	}
	// For small u, the Taylor series Σ (−1)^{k+1} uᵏ/k from k = 2 (ten
	// terms leave less than u¹¹).
	for _, u := range []float64{1e-3, -1e-4, 1e-8} {
		want := 0.0
		for k := 10; k >= 2; k-- {
			want += math.Pow(-1, float64(k+1)) * math.Pow(u, float64(k)) / float64(k)
		}
		if got := log1pmx(u); math.Abs(got-want) > 1e-14*math.Abs(want) {
			t.Errorf("log1pmx(%v) = %.17g, want %.17g", u, got, want)
		}
	}
}

// TestGK15Exactness pins the node and weight constants: the 15-point
// Kronrod rule integrates polynomials up to degree 22 exactly and its
// 7-point Gauss subset those up to degree 13.
func TestGK15Exactness(t *testing.T) {
	for k := 0; k <= 22; k += 2 {
		f := func(x float64) float64 { return math.Pow(x, float64(k)) }
		got, errEst := gk15(f, -1, 1)
		if want := 2 / float64(k+1); math.Abs(got-want) > 2e-15 {
			t.Errorf("∫x^%d over [−1, 1] = %.17g, want %.17g", k, got, want)
		}
		if gaussExact := k <= 13; gaussExact && errEst > 2e-15 {
			t.Errorf("x^%d: Gauss–Kronrod difference %.3g, want 0 (both exact)", k, errEst)
		} else if !gaussExact && errEst < 1e-6 {
			t.Errorf("x^%d: Gauss–Kronrod difference %.3g, want a visible error (Gauss is inexact)", k, errEst)
		}
	}
}

func TestIntegrate(t *testing.T) {
	width := 1e-2
	tests := []struct {
		name   string
		f      func(float64) float64
		points []float64
		want   float64
	}{
		{"x·e^−x", func(x float64) float64 { return x * math.Exp(-x) }, []float64{0, 1, 60}, 1 - 61*math.Exp(-60)},
		{"sin", math.Sin, []float64{0, math.Pi}, 2},
		{"narrow peak", func(x float64) float64 { return math.Exp(-(x - 3) * (x - 3) / (2 * width * width)) }, []float64{0, 3, 10}, width * math.Sqrt(2*math.Pi)},
		{"kink", func(x float64) float64 { return math.Sqrt(math.Abs(x - 0.3)) }, []float64{0, 1}, (math.Pow(0.3, 1.5) + math.Pow(0.7, 1.5)) * 2 / 3},
	}
	for _, tt := range tests {
		got, err := integrate(tt.f, 1e-10, tt.points...)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if math.Abs(got-tt.want) > 1e-9*math.Abs(tt.want) {
			t.Errorf("%s: ∫ = %.15g, want %.15g ± 1e-9 relative", tt.name, got, tt.want)
		}
	}
}
