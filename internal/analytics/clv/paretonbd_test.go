package clv

import (
	"context"
	"math"
	"testing"
)

// TestFitParetoNBDCDNOW reproduces the Pareto/NBD fit on the CDNOW sample
// reported by Fader, Hardie and Lee (2005), "RFM and CLV" and the BG/NBD
// paper: r = 0.553, α = 10.578, s = 0.606, β = 11.669, LL = -9,595.0. The
// likelihood is nearly flat along s/β (see the standard errors), so β gets a
// wider tolerance than the other three.
func TestFitParetoNBDCDNOW(t *testing.T) {
	cs := cdnowSample(t)
	m, fit, err := FitParetoNBD(context.Background(), cs)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ v, tol float64 }{{0.553, 0.001}, {10.578, 0.005}, {0.606, 0.001}, {11.669, 0.02}}
	for i, p := range fit.Params {
		if math.Abs(p.Value-want[i].v) > want[i].tol {
			t.Errorf("%s = %.5f, want %.3f ± %g", p.Name, p.Value, want[i].v, want[i].tol)
		}
		if !(p.SE > 0) {
			t.Errorf("%s: standard error %g, want positive", p.Name, p.SE)
		}
	}
	if math.Abs(fit.LogLikelihood-(-9595.0)) > 0.05 {
		t.Errorf("LL = %.3f, want -9595.0 ± 0.05", fit.LogLikelihood)
	}
	// BTYD walkthrough (Dziurzynski, Wadsworth, McCarthy), section 2.2: a
	// customer with x = 26, t_x = 30.86, T = 31 expects 25.46 transactions in
	// the next 52 weeks.
	got, err := m.ExpectedPurchases(52, 26, 30.86, 31)
	if err != nil || math.Abs(got-25.46) > 0.005 {
		t.Errorf("E[Y(52) | 26, 30.86, 31] = %.4f (%v), want 25.46 ± 0.005", got, err)
	}
}

// TestParetoNBDProbAlive: BTYD walkthrough p. 8, pnbd.PAlive with the
// parameters it prints (0.5534, 10.5802, 0.6061, 11.6562) gives 0.9979 for
// x = 26, t_x = 30.86, T = 31.
func TestParetoNBDProbAlive(t *testing.T) {
	m := ParetoNBD{R: 0.5534, Alpha: 10.5802, S: 0.6061, Beta: 11.6562}
	if p, err := m.ProbAlive(26, 30.86, 31); err != nil || math.Abs(p-0.9979) > 0.00005 {
		t.Errorf("P(alive | 26, 30.86, 31) = %.5f (%v), want 0.9979 ± 0.00005", p, err)
	}
	// A customer seen at T is alive.
	if p, _ := m.ProbAlive(3, 20, 20); p != 1 {
		t.Errorf("P(alive | t_x = T) = %g, want 1", p)
	}
}

// TestParetoNBDLikelihoodByQuadrature checks the 2F1 form of the likelihood
// against direct numerical integration of its defining integral
// s ∫ (α+τ)^-(r+x) (β+τ)^-(s+1) dτ over (t_x, T], in the α < β and α > β
// branches and where |α-β|/(max(α,β)+t_x) is close to 1 (the hard region).
func TestParetoNBDLikelihoodByQuadrature(t *testing.T) {
	tests := []struct {
		name  string
		m     ParetoNBD
		x     int
		tx, T float64
	}{
		{"CDNOW-like α<β", ParetoNBD{0.553, 10.578, 0.606, 11.669}, 2, 30.43, 38.86},
		{"α>β", ParetoNBD{0.8, 20, 1.5, 3}, 5, 10, 40},
		{"heavy buyer", ParetoNBD{0.553, 10.578, 0.606, 11.669}, 400, 36, 38},
		{"z near 1, α≫β", ParetoNBD{0.3, 5000, 0.4, 0.01}, 1, 0.001, 30},
		{"z near 1, β≫α", ParetoNBD{0.2, 0.001, 0.5, 2000}, 0, 0, 50},
		{"lifetimes overflow case", ParetoNBD{10.465, 7.98565181e-03, 3.0516, 2.820}, 500, 1, 37},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, logDead, err := tt.m.logParts(tt.x, tt.tx, tt.T)
			if err != nil {
				t.Fatal(err)
			}
			rx, s := tt.m.R+float64(tt.x), tt.m.S
			logf := func(u float64) float64 { // τ = t_x + (T-t_x)·u, integrated over u in (0, 1)
				tau := tt.tx + (tt.T-tt.tx)*u
				return math.Log(s) + math.Log(tt.T-tt.tx) - rx*math.Log(tt.m.Alpha+tau) - (s+1)*math.Log(tt.m.Beta+tau)
			}
			want, err := logIntegrate(logf, 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(logDead-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("log of the dying part = %.12g, quadrature %.12g", logDead, want)
			}
		})
	}
}

// TestParetoNBDExpectations checks E[X(t)] against the same expectation by
// quadrature over the dropout rate, E[λ]·E[(1-e^(-μt))/μ], and against BTYD's
// pnbd.Expectation example (BTYD manual), whose parameters are printed only
// to 4 decimals, hence its looser tolerance.
func TestParetoNBDExpectations(t *testing.T) {
	m := ParetoNBD{R: 0.5534, Alpha: 10.5802, S: 0.6061, Beta: 11.6562}
	btyd := []float64{0, 0.05077821, 0.09916088, 0.14542507, 0.18979930, 0.23247466, 0.27361274, 0.31335159, 0.35181024, 0.38909211}
	for i, want := range btyd {
		tt := float64(i)
		got, err := m.ExpectedRepeatPurchases(tt)
		if err != nil || math.Abs(got-want) > 0.003 {
			t.Errorf("E[X(%g)] = %.6f (%v), BTYD %.6f ± 0.003", tt, got, err, want)
		}
		if tt == 0 {
			continue
		}
		// μ ~ Gamma(s, β): integrate over v = ln μ.
		lgS, _ := math.Lgamma(m.S)
		logf := func(v float64) float64 {
			mu := math.Exp(v)
			return m.S*math.Log(m.Beta) - lgS + m.S*v - m.Beta*mu + math.Log(-math.Expm1(-mu*tt)) - v
		}
		logI, _ := logIntegrate(logf, -60, 10)
		if quad := m.R / m.Alpha * math.Exp(logI); relErr(got, quad) > 1e-9 {
			t.Errorf("E[X(%g)] = %.12f, quadrature %.12f", tt, got, quad)
		}
	}
	// s = 1 is the removable singularity of the closed form.
	near, _ := ParetoNBD{R: 1, Alpha: 2, S: 1 + 1e-9, Beta: 3}.ExpectedRepeatPurchases(10)
	at, _ := ParetoNBD{R: 1, Alpha: 2, S: 1, Beta: 3}.ExpectedRepeatPurchases(10)
	if relErr(at, near) > 1e-7 || math.IsNaN(at) {
		t.Errorf("E[X(10)] at s=1: %.12g, at s=1+1e-9: %.12g", at, near)
	}
}
