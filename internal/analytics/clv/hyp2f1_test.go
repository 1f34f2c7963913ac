package clv

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

func relErr(got, want float64) float64 {
	if want == 0 {
		return math.Abs(got)
	}
	return math.Abs(got-want) / math.Abs(want)
}

// TestHyp2f1ClosedForms checks 2F1 against elementary closed forms
// (Abramowitz & Stegun 15.1.3–15.1.8), including z near 1 where the series
// gives way to quadrature.
func TestHyp2f1ClosedForms(t *testing.T) {
	tests := []struct {
		name       string
		a, b, c, z float64
		want       float64
		tol        float64 // relative
	}{
		{"-ln(1-z)/z", 1, 1, 2, 0.5, -math.Log(0.5) / 0.5, 1e-14},
		{"-ln(1-z)/z near 1", 1, 1, 2, 0.999999, -math.Log(1e-6) / 0.999999, 1e-10},
		{"-ln(1-z)/z nearer 1", 1, 1, 2, 1 - 1e-12, -math.Log1p(-(1 - 1e-12)) / (1 - 1e-12), 1e-9},
		{"(1-z)^-a", 2.5, 0.7, 0.7, 0.9, math.Pow(0.1, -2.5), 1e-13},
		{"atanh(√z)/√z", 0.5, 1, 1.5, 0.81, math.Atanh(0.9) / 0.9, 1e-13},
		{"atanh near 1", 0.5, 1, 1.5, 0.99999, math.Atanh(math.Sqrt(0.99999)) / math.Sqrt(0.99999), 1e-10},
		{"arcsin(√z)/√z", 0.5, 0.5, 1.5, 0.25, math.Asin(0.5) / 0.5, 1e-14},
		{"arcsin near 1", 0.5, 0.5, 1.5, 1 - 1e-10, math.Asin(math.Sqrt(1-1e-10)) / math.Sqrt(1-1e-10), 1e-9},
		{"Euler branch: (1+z)/(1-z)^3", 2, 2, 1, 0.3, 1.3 / math.Pow(0.7, 3), 1e-13},
		{"polynomial: a=-2", -2, 3, 4, 0.6, 1 - 2*3*0.6/4 + 3*4*0.36/(4*5), 1e-14},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := hyp2f1(tt.a, tt.b, tt.c, tt.z)
			if err != nil {
				t.Fatal(err)
			}
			if e := relErr(got, tt.want); e > tt.tol {
				t.Errorf("2F1(%g,%g;%g;%g) = %.16g, want %.16g (rel err %.2g > %.0g)", tt.a, tt.b, tt.c, tt.z, got, tt.want, e, tt.tol)
			}
		})
	}
}

// TestHyp2f1IncompleteBeta uses 2F1(a, 1-b; a+1; z) = a z^-a B_z(a, b), with
// B_z from gonum's regularized incomplete beta, over the parameters the
// Pareto/NBD produces (a = r+s+x).
func TestHyp2f1IncompleteBeta(t *testing.T) {
	for _, a := range []float64{0.8, 3.2, 27.5, 300.6} {
		for _, b := range []float64{0.4, 1.6, 2.5} {
			for _, z := range []float64{0.05, 0.5, 0.9, 0.995} {
				want := a * math.Pow(z, -a) * mathext.RegIncBeta(a, b, z) * math.Exp(lbeta(a, b))
				got, err := hyp2f1(a, 1-b, a+1, z)
				if err != nil {
					t.Fatal(err)
				}
				if e := relErr(got, want); e > 1e-9 {
					t.Errorf("2F1(%g,%g;%g;%g) = %.15g, want %.15g (rel err %.2g)", a, 1-b, a+1, z, got, want, e)
				}
			}
		}
	}
}

// TestHyp2f1MatchesCephes compares with gonum's port of Cephes hyp2f1 on a
// grid away from z = 1, where Cephes is accurate.
func TestHyp2f1MatchesCephes(t *testing.T) {
	for _, a := range []float64{0.243, 1.5, 8.3} {
		for _, b := range []float64{0.606, 2.4, 12.1} {
			for _, c := range []float64{0.9, 3.2, 14.7} {
				for _, z := range []float64{0.1, 0.45, 0.8} {
					want := mathext.Hypergeo(a, b, c, z)
					got, err := hyp2f1(a, b, c, z)
					if err != nil {
						t.Fatal(err)
					}
					if e := relErr(got, want); e > 1e-10 {
						t.Errorf("2F1(%g,%g;%g;%g) = %.15g, Cephes %.15g (rel err %.2g)", a, b, c, z, got, want, e)
					}
				}
			}
		}
	}
}

// TestHyp2f1QuadratureAgreesWithSeries checks the near-1 path against the
// series where both work.
func TestHyp2f1QuadratureAgreesWithSeries(t *testing.T) {
	for _, p := range [][4]float64{{1, 0.55, 1.6, 0.98}, {1, 27.55, 28.16, 0.9}, {3.5, 0.3, 4.1, 0.7}, {1, 500.6, 501.2, 0.99}} {
		series, ok := hyp2f1Series(p[0], p[1], p[2], p[3])
		if !ok {
			t.Fatalf("series did not converge for %v", p)
		}
		logQuad, err := logHyp2f1Euler(p[0], p[1], p[2], p[3])
		if err != nil {
			t.Fatal(err)
		}
		if e := relErr(math.Exp(logQuad), series); e > 1e-10 {
			t.Errorf("2F1%v: quadrature %.15g, series %.15g (rel err %.2g)", p, math.Exp(logQuad), series, e)
		}
	}
}

// TestLogHyp2f1LargeParameters: for a heavy buyer (x = 5,000) 2F1 itself
// overflows float64 but its log must not.
func TestLogHyp2f1LargeParameters(t *testing.T) {
	a, b, z := 5000.8, 5000.3, 0.9
	got, err := logHyp2f1(a, b, a+1, z)
	if err != nil {
		t.Fatal(err)
	}
	// By Euler, 2F1 = (1-z)^(1-b) 2F1(1, a+1-b; a+1; z) and the second factor
	// lies between 1 and 1/(1-z).
	lo := (1 - b) * math.Log1p(-z)
	if !(got > lo && got < lo-math.Log1p(-z)) {
		t.Errorf("log 2F1 = %g, want within (%g, %g)", got, lo, lo-math.Log1p(-z))
	}
}

func TestHyp2f1Domain(t *testing.T) {
	for _, p := range [][4]float64{{1, 1, 2, 1}, {1, 1, 2, -0.1}, {1, 1, -2, 0.5}, {1, math.NaN(), 2, 0.5}} {
		if _, err := hyp2f1(p[0], p[1], p[2], p[3]); err == nil {
			t.Errorf("2F1%v: got no error", p)
		}
	}
}

func BenchmarkHyp2f1ParetoTypical(b *testing.B) {
	for b.Loop() {
		logHyp2f1(3.16, 1.606, 4.16, 0.07)
	}
}
