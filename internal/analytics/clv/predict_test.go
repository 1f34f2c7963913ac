package clv

import (
	"context"
	"math"
	"testing"

	"github.com/vernost/vernost"
)

func TestPredictCDNOW(t *testing.T) {
	cs := cdnowSample(t)
	bg := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	gg := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	preds, err := Predict(context.Background(), bg, gg, cs, PredictOptions{Horizon: 39, Discount: 0})
	if err != nil {
		t.Fatal(err)
	}
	if len(preds) != len(cs) {
		t.Fatalf("got %d predictions, want %d", len(preds), len(cs))
	}
	for _, p := range preds[:50] {
		pa, _ := bg.ProbAlive(p.Frequency, p.Recency, p.T)
		e, _ := bg.ExpectedPurchases(39, p.Frequency, p.Recency, p.T)
		m, _ := gg.ExpectedSpend(p.Frequency, p.Monetary)
		if p.PAlive != pa || relErr(p.ExpectedPurchases, e) > 1e-12 || p.ExpectedSpend != m {
			t.Errorf("customer %s: got %+v, want p_alive %g, purchases %g, spend %g", p.ID, p, pa, e, m)
		}
		// Undiscounted, the per-period increments add up to the horizon total.
		if relErr(p.CLV, m*e) > 1e-9 {
			t.Errorf("customer %s: undiscounted CLV %.6f, want spend × purchases = %.6f", p.ID, p.CLV, m*e)
		}
	}
}

// TestPredictDiscounting checks the periodic discounting on one customer
// against the sum written out by hand.
func TestPredictDiscounting(t *testing.T) {
	bg := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	gg := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	c := Customer{ID: "1", Frequency: 2, Recency: 30.43, T: 38.86, Monetary: 22.35}
	preds, err := Predict(context.Background(), bg, gg, []Customer{c}, PredictOptions{Horizon: 2.5, Discount: 0.1, Margin: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	y := func(t float64) float64 { v, _ := bg.ExpectedPurchases(t, 2, 30.43, 38.86); return v }
	m, _ := gg.ExpectedSpend(2, 22.35)
	want := 0.3 * m * (y(1)/1.1 + (y(2)-y(1))/(1.1*1.1) + (y(2.5)-y(2))/(1.1*1.1*1.1))
	if got := preds[0].CLV; relErr(got, want) > 1e-12 {
		t.Errorf("CLV = %.10f, want %.10f", got, want)
	}
	if got := preds[0].ExpectedPurchases; relErr(got, y(2.5)) > 1e-12 {
		t.Errorf("expected purchases %.10f, want E[Y(2.5)] = %.10f", got, y(2.5))
	}
}

func TestPredictRejectsBadOptions(t *testing.T) {
	bg := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	gg := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	cs := []Customer{{ID: "1", T: 3}}
	for _, tt := range []struct {
		field string
		opt   PredictOptions
	}{
		{"horizon", PredictOptions{Horizon: -1}},
		{"horizon", PredictOptions{Horizon: math.NaN()}},
		{"discount", PredictOptions{Horizon: 1, Discount: -0.1}},
		{"margin", PredictOptions{Horizon: 1, Margin: -1}},
	} {
		_, err := Predict(context.Background(), bg, gg, cs, tt.opt)
		if vernost.ErrorField(err) != tt.field {
			t.Errorf("%+v: got %v, want an error on %q", tt.opt, err, tt.field)
		}
	}
}
