package clv

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/vernost/vernost"
)

// TestFitGammaGammaCDNOW reproduces Fader and Hardie (2013), "The Gamma-Gamma
// Model of Monetary Value" (also Fader, Hardie and Lee 2005, "RFM and CLV"):
// p = 6.25, q = 3.74, γ = 15.44 on the 946 repeat buyers of the CDNOW sample.
func TestFitGammaGammaCDNOW(t *testing.T) {
	cs := cdnowSample(t)
	m, fit, err := FitGammaGamma(context.Background(), cs)
	if err != nil {
		t.Fatal(err)
	}
	if fit.Customers != 946 {
		t.Errorf("fitted on %d customers, want the 946 repeat buyers", fit.Customers)
	}
	want := []float64{6.25, 3.74, 15.44}
	for i, p := range fit.Params {
		if math.Abs(p.Value-want[i]) > 0.005 {
			t.Errorf("%s = %.4f, want %.2f ± 0.005", p.Name, p.Value, want[i])
		}
		if !(p.SE > 0 && p.SE < p.Value) {
			t.Errorf("%s: standard error %g, want positive and below the estimate", p.Name, p.SE)
		}
	}
	// Expected average spend of the first ten customers, from Hardie's
	// spreadsheet for note 025 (brucehardie.com/notes/025), as quoted in the
	// lifetimes test suite (test_conditional_expected_average_profit).
	spreadsheet := []float64{24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17}
	for i, want := range spreadsheet {
		got, err := m.ExpectedSpend(cs[i].Frequency, cs[i].Monetary)
		if err != nil || math.Abs(got-want) > 0.006 {
			t.Errorf("customer %s: E[M] = %.4f (%v), want %.2f ± 0.006", cs[i].ID, got, err, want)
		}
	}
}

func TestGammaGammaGradient(t *testing.T) {
	obs := []spendObs{{1, 12.5}, {2, 22.35}, {7, 41}, {30, 9.99}}
	for _, theta := range [][]float64{{6.25, 3.74, 15.44}, {0.8, 1.5, 3}} {
		grad := make([]float64, 3)
		gammaGammaNegLogLik(obs, theta, grad)
		for i := range theta {
			h := 1e-6 * theta[i]
			p := append([]float64(nil), theta...)
			p[i] += h
			fp := gammaGammaNegLogLik(obs, p, nil)
			p[i] -= 2 * h
			fm := gammaGammaNegLogLik(obs, p, nil)
			if num := (fp - fm) / (2 * h); math.Abs(grad[i]-num) > 1e-6*math.Max(1, math.Abs(num)) {
				t.Errorf("θ=%v: ∂/∂θ%d analytic %.9g, numeric %.9g", theta, i, grad[i], num)
			}
		}
	}
}

func TestGammaGammaRejects(t *testing.T) {
	repeat := func(id string, spend float64) Customer {
		return Customer{ID: id, Frequency: 2, Recency: 3, T: 5, Monetary: spend}
	}
	tests := []struct {
		name string
		cs   []Customer
		want string
	}{
		{"too few repeat buyers", []Customer{repeat("1", 10), repeat("2", 20), {ID: "3", T: 5}}, "only 2 customers made a repeat purchase"},
		{"zero spend", []Customer{repeat("1", 10), repeat("2", 0)}, `customer "2": mean repeat spend 0 must be positive`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := FitGammaGamma(context.Background(), tt.cs)
			if vernost.ErrorCode(err) != vernost.EInvalid || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want invalid input saying %q", err, tt.want)
			}
		})
	}
	if _, err := (GammaGamma{P: 2, Q: 0.9, Gamma: 10}).MeanSpend(); err == nil || strings.Contains(err.Error(), "NaN") {
		t.Errorf("q <= 1: got %v, want a plain error", err)
	}
}
