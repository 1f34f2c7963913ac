package clv

import (
	"context"
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

// factoredModel is implemented by models whose conditional expectation is
//
//	E[Y(t) | x, t_x, T] = E[Y(t) | x, T, alive at T] · P(alive | x, t_x, T)
//
// with the first factor independent of t_x, as for BG/NBD and Pareto/NBD.
// Customers sharing (x, T) then share the whole purchase curve: on day-grained
// data a million customers have some thousands of distinct (x, T) but some
// hundred thousand distinct (x, t_x, T).
type factoredModel interface {
	// purchasesIfAliveCurve sets out[k] = E[Y(ts[k]) | x, T, alive at T].
	purchasesIfAliveCurve(ts []float64, x int, T float64, out []float64) error
}

var (
	_ factoredModel = BGNBD{}
	_ factoredModel = ParetoNBD{}
	_ PurchaseModel = BGNBD{}
	_ PurchaseModel = ParetoNBD{}
)

// PredictOptions sets the horizon and the money terms of CLV.
type PredictOptions struct {
	Horizon  float64 // in time units
	Discount float64 // discount rate per time unit
	Margin   float64 // share of spend that is profit; zero means 1
}

// margin is the share of spend counted as value: one unless set.
func (o PredictOptions) margin() float64 {
	if o.Margin == 0 {
		return 1
	}
	return o.Margin
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
	if margin := opt.margin(); !(margin > 0) || margin > 1e6 {
		return nil, vernost.Invalid("margin", "must be positive, got %g", margin)
	}
	workers := runtime.GOMAXPROCS(0)
	if len(cs) < minParallelCustomers {
		workers = 1
	}
	return predict(ctx, pm, spend, cs, opt, workers)
}

// minParallelCustomers is the fewest customers worth starting workers for.
const minParallelCustomers = 10_000

// predict is Predict on validated input, split over workers by ranges of
// customers. Each worker keeps its own tables of shared curves and scores:
// with thousands of distinct ages, recomputing a curve in each worker costs
// less than sharing it.
func predict(ctx context.Context, pm PurchaseModel, spend GammaGamma, cs []Customer, opt PredictOptions, workers int) ([]Prediction, error) {
	times, discounts := clvPeriods(opt.Horizon, opt.Discount)
	out := make([]Prediction, len(cs))
	err := runWorkers(workers, func(w int) error {
		s := newScorer(pm, times, discounts)
		return s.predictRange(ctx, spend, opt.margin(), cs, out, len(cs)*w/workers, len(cs)*(w+1)/workers)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// runWorkers runs work(0) … work(workers-1) concurrently and returns the
// first error by worker number.
func runWorkers(workers int, work func(w int) error) error {
	if workers == 1 {
		return work(0)
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { errs[w] = work(w) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
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
