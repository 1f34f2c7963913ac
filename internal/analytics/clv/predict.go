package clv

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/vernost/vernost"
)

// PurchaseModel is a fitted model of repeat purchasing (BG/NBD or Pareto/NBD).
type PurchaseModel interface {
	// ProbAlive is the probability that the customer has not dropped out.
	ProbAlive(x int, tx, T float64) (float64, error)
	// ExpectedPurchases is the expected number of purchases in the next t.
	ExpectedPurchases(t float64, x int, tx, T float64) (float64, error)
	// ExpectedRepeatPurchases is E[X(t)] for a new customer.
	ExpectedRepeatPurchases(t float64) (float64, error)
}

// purchaseCurve is implemented by models that can compute expected purchases
// at many horizons faster than one at a time.
type purchaseCurve interface {
	expectedPurchasesCurve(ts []float64, x int, tx, T float64, out []float64) error
}

var (
	_ purchaseCurve = BGNBD{}
	_ PurchaseModel = BGNBD{}
	_ PurchaseModel = ParetoNBD{}
)

// PredictOptions sets the horizon and the money terms of CLV.
type PredictOptions struct {
	Horizon  float64 // in time units
	Discount float64 // discount rate per time unit
	Margin   float64 // share of spend that is profit; zero means 1
}

// Prediction is what the models expect of one customer.
type Prediction struct {
	Customer
	PAlive            float64
	ExpectedPurchases float64 // in the horizon
	ExpectedSpend     float64 // per transaction
	CLV               float64 // discounted value of the purchases in the horizon
}

// Predict scores every customer. CLV follows the convention of the lifetimes
// library's customer_lifetime_value (periodic discounting of the expected
// purchases of each period, each valued at the expected spend):
//
//	CLV = margin · E[M | x, z̄] · Σ_{k=1..K} (E[Y(t_k)] − E[Y(t_{k−1})]) / (1+d)^k,
//
// with periods of one time unit, t_k = min(k, horizon), K = ⌈horizon⌉ and d
// the discount rate per time unit; a period's purchases are discounted as if
// made at its end.
func Predict(ctx context.Context, pm PurchaseModel, spend GammaGamma, cs []Customer, opt PredictOptions) ([]Prediction, error) {
	if err := validateCustomers(cs); err != nil {
		return nil, err
	}
	if !(opt.Horizon >= 0) || opt.Horizon > 1e5 {
		return nil, vernost.Invalid("horizon", "must be between 0 and 100000 time units, got %g", opt.Horizon)
	}
	if !(opt.Discount >= 0) || opt.Discount > 10 {
		return nil, vernost.Invalid("discount", "must be a rate between 0 and 10 per time unit, got %g", opt.Discount)
	}
	margin := opt.Margin
	if margin == 0 {
		margin = 1
	}
	if !(margin > 0) || margin > 1e6 {
		return nil, vernost.Invalid("margin", "must be positive, got %g", margin)
	}
	d, err := newRFMData(cs)
	if err != nil {
		return nil, err
	}
	// Customers sharing (x, t_x, T) share every purchase prediction; only the
	// spend differs. Score each group once, split across the CPUs.
	type groupScore struct{ pAlive, purchases, discounted float64 }
	scores := make([]groupScore, len(d.groups))
	times, discounts := clvPeriods(opt.Horizon, opt.Discount)
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := len(d.groups)*w/workers, len(d.groups)*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			curve := make([]float64, len(times))
			for i := lo; i < hi; i++ {
				if i%1024 == 0 && ctx.Err() != nil {
					errs[w] = ctx.Err()
					return
				}
				g := d.groups[i]
				s, err := scoreGroup(pm, g.x, g.tx, g.T, times, discounts, curve)
				if err != nil {
					errs[w] = fmt.Errorf("customer history x=%d t_x=%g T=%g: %w", g.x, g.tx, g.T, err)
					return
				}
				scores[i] = groupScore(s)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	out := make([]Prediction, len(cs))
	for i, c := range cs {
		s := scores[d.customerOf[i]]
		m, err := spend.ExpectedSpend(c.Frequency, c.Monetary)
		if err != nil {
			return nil, err
		}
		out[i] = Prediction{Customer: c, PAlive: s.pAlive, ExpectedPurchases: s.purchases, ExpectedSpend: m,
			CLV: margin * m * s.discounted}
	}
	return out, nil
}

// clvPeriods returns the period ends t_1..t_K and their discount factors.
func clvPeriods(horizon, rate float64) ([]float64, []float64) {
	k := int(math.Ceil(horizon))
	times, factors := make([]float64, k), make([]float64, k)
	for i := range k {
		times[i] = math.Min(float64(i+1), horizon)
		factors[i] = math.Pow(1+rate, -float64(i+1))
	}
	return times, factors
}

// scoreGroup returns P(alive), the expected purchases in the horizon (the last
// period end) and the discounted sum of expected purchases per period.
func scoreGroup(pm PurchaseModel, x int, tx, T float64, times, discounts, curve []float64) (struct{ pAlive, purchases, discounted float64 }, error) {
	var s struct{ pAlive, purchases, discounted float64 }
	var err error
	if s.pAlive, err = pm.ProbAlive(x, tx, T); err != nil {
		return s, err
	}
	if c, ok := pm.(purchaseCurve); ok {
		err = c.expectedPurchasesCurve(times, x, tx, T, curve)
	} else {
		for k, t := range times {
			if curve[k], err = pm.ExpectedPurchases(t, x, tx, T); err != nil {
				break
			}
		}
	}
	if err != nil {
		return s, err
	}
	prev := 0.0
	for k, cum := range curve {
		s.discounted += (cum - prev) * discounts[k]
		prev = cum
	}
	s.purchases = prev
	return s, nil
}
