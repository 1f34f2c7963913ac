package clv

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// predictReference is the straightforward computation Predict replaced, kept
// as the reference for the fast path: every customer on her own, every period
// end by its own call of ExpectedPurchases (one 2F1 series each), and the
// discounted sum of the per-period increments written out.
func predictReference(pm PurchaseModel, spend GammaGamma, cs []Customer, opt PredictOptions) ([]Prediction, error) {
	margin := opt.Margin
	if margin == 0 {
		margin = 1
	}
	times, discounts := clvPeriods(opt.Horizon, opt.Discount)
	curve := make([]float64, len(times))
	out := make([]Prediction, len(cs))
	for i, c := range cs {
		pAlive, err := pm.ProbAlive(c.Frequency, c.Recency, c.T)
		if err != nil {
			return nil, err
		}
		for k, t := range times {
			if curve[k], err = pm.ExpectedPurchases(t, c.Frequency, c.Recency, c.T); err != nil {
				return nil, err
			}
		}
		discounted, prev := 0.0, 0.0
		for k, cum := range curve {
			discounted += (cum - prev) * discounts[k]
			prev = cum
		}
		m, err := spend.ExpectedSpend(c.Frequency, c.Monetary)
		if err != nil {
			return nil, err
		}
		out[i] = Prediction{Customer: c, PAlive: pAlive, ExpectedPurchases: prev, ExpectedSpend: m,
			CLV: margin * m * discounted}
	}
	return out, nil
}

// opaqueModel hides the factored purchase curve of the model it wraps, so that
// Predict takes its general path, one history at a time.
type opaqueModel struct{ PurchaseModel }

// randomHistories draws n customer histories: mostly day-grained ages and
// recencies, so that many customers share (x, T) and (x, t_x, T) as in real
// logs, some continuous ones, and a few heavy buyers.
func randomHistories(n int, seed uint64) []Customer {
	rng := rand.New(rand.NewPCG(seed, 7))
	cs := make([]Customer, n)
	for i := range cs {
		T := 26 + 26*rng.Float64()
		if rng.IntN(4) > 0 {
			T = math.Floor(T*7) / 7
		}
		x := 0
		switch r := rng.Float64(); {
		case r < 0.05:
			x = 20 + rng.IntN(150)
		case r < 0.55:
			x = 1 + rng.IntN(10)
		}
		c := Customer{ID: fmt.Sprint(i), Frequency: x, T: T}
		if x > 0 {
			c.Recency = math.Floor(T*rng.Float64()*7) / 7
			c.Monetary = 5 + 100*rng.Float64()
		}
		cs[i] = c
	}
	return cs
}

// TestPredictMatchesReference checks the fast path (histories grouped by
// (x, T) and (x, t_x, T), one purchase curve per (x, T), P(alive) factored
// out of the discounted sum, work split over workers) against
// predictReference on random histories, to 1e-9 relative on every figure.
func TestPredictMatchesReference(t *testing.T) {
	const tol = 1e-9
	bg := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	pareto := ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669}
	gg := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	tests := []struct {
		name      string
		model     PurchaseModel
		customers int
		opt       PredictOptions
	}{
		{"BG/NBD 52 weeks", bg, 4000, PredictOptions{Horizon: 52, Discount: 0.01}},
		{"BG/NBD fractional horizon", bg, 3000, PredictOptions{Horizon: 12.5, Discount: 0.2, Margin: 0.3}},
		{"BG/NBD no horizon", bg, 500, PredictOptions{Horizon: 0, Discount: 0.01}},
		{"BG/NBD general path", opaqueModel{bg}, 2000, PredictOptions{Horizon: 52, Discount: 0.01}},
		{"Pareto/NBD 13 weeks", pareto, 1000, PredictOptions{Horizon: 13, Discount: 0.05}},
	}
	for i, tt := range tests {
		cs := randomHistories(tt.customers, uint64(i+1))
		want, err := predictReference(tt.model, gg, cs, tt.opt)
		if err != nil {
			t.Fatalf("%s: reference: %v", tt.name, err)
		}
		for _, workers := range []int{1, 2, 3} {
			got, err := predict(context.Background(), tt.model, gg, cs, tt.opt, workers)
			if err != nil {
				t.Fatalf("%s, %d workers: %v", tt.name, workers, err)
			}
			if len(got) != len(want) {
				t.Fatalf("%s, %d workers: got %d predictions, want %d", tt.name, workers, len(got), len(want))
			}
			bad := 0
			for j := range want {
				g, w := got[j], want[j]
				if g.Customer != w.Customer || relErr(g.PAlive, w.PAlive) > tol || relErr(g.ExpectedPurchases, w.ExpectedPurchases) > tol ||
					g.ExpectedSpend != w.ExpectedSpend || relErr(g.CLV, w.CLV) > tol {
					if bad++; bad <= 5 {
						t.Errorf("%s, %d workers, customer %d (x=%d t_x=%g T=%g): got p_alive %.15g purchases %.15g spend %g CLV %.15g, want %.15g %.15g %g %.15g",
							tt.name, workers, j, w.Frequency, w.Recency, w.T, g.PAlive, g.ExpectedPurchases, g.ExpectedSpend, g.CLV,
							w.PAlive, w.ExpectedPurchases, w.ExpectedSpend, w.CLV)
					}
				}
			}
			if bad > 5 {
				t.Errorf("%s, %d workers: %d customers differ in all", tt.name, workers, bad)
			}
		}
	}
}
