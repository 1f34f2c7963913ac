package clv

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/vernost/vernost"
)

// ParetoNBD is the Pareto/NBD model of Schmittlein, Morrison and Colombo
// (1987): while alive a customer buys at a Poisson rate λ ~ Gamma(r, α); her
// lifetime is exponential with rate μ ~ Gamma(s, β). Formulas follow Fader and
// Hardie's note "A Note on Deriving the Pareto/NBD Model and Related
// Expressions" (2005).
type ParetoNBD struct {
	R, Alpha, S, Beta float64
}

// FitParetoNBD fits the model by maximum likelihood. The gradient is taken by
// finite differences: the 2F1 terms make the analytic one long, and the model
// is fitted on customer summaries small enough for it not to matter.
func FitParetoNBD(ctx context.Context, cs []Customer) (ParetoNBD, FitResult, error) {
	d, err := newRFMData(cs)
	if err != nil {
		return ParetoNBD{}, FitResult{}, err
	}
	if err := d.checkRepeatBuyers("Pareto/NBD"); err != nil {
		return ParetoNBD{}, FitResult{}, err
	}
	nll := func(theta, _ []float64) (float64, bool) {
		m := ParetoNBD{R: theta[0], Alpha: theta[1], S: theta[2], Beta: theta[3]}
		ll, err := m.logLikelihood(d)
		if err != nil || math.IsNaN(ll) {
			return math.Inf(1), false
		}
		return -ll, false
	}
	scale := d.meanT() / 10
	start := []float64{1, scale, 1, scale}
	fit, err := maximizeLikelihood(ctx, "Pareto/NBD", []string{"r", "alpha", "s", "beta"}, start, d.customers, nll)
	if err != nil {
		return ParetoNBD{}, FitResult{}, err
	}
	p := fit.Params
	return ParetoNBD{R: p[0].Value, Alpha: p[1].Value, S: p[2].Value, Beta: p[3].Value}, fit, nil
}

// LogLikelihood is the log-likelihood of the model for the customers.
func (m ParetoNBD) LogLikelihood(cs []Customer) (float64, error) {
	d, err := newRFMData(cs)
	if err != nil {
		return 0, err
	}
	return m.logLikelihood(d)
}

func (m ParetoNBD) logLikelihood(d *rfmData) (float64, error) {
	lgR, _ := math.Lgamma(m.R)
	common := m.R*math.Log(m.Alpha) + m.S*math.Log(m.Beta) - lgR
	var (
		mu       sync.Mutex
		firstErr error
	)
	ll, _ := parallelSum(len(d.groups), func(lo, hi int, _ []float64) float64 {
		sum := 0.0
		for _, g := range d.groups[lo:hi] {
			logAlive, logDead, err := m.logParts(g.x, g.tx, g.T)
			if err != nil {
				mu.Lock()
				firstErr = err // any one will do: each means "cannot evaluate here"
				mu.Unlock()
				return math.NaN()
			}
			lgRX, _ := math.Lgamma(m.R + float64(g.x))
			sum += g.weight * (lgRX + common + logAddExp(logAlive, logDead))
		}
		return sum
	}, 0)
	if firstErr != nil {
		return math.NaN(), firstErr
	}
	return ll, nil
}

// logParts returns the logs of the two parts of the Pareto/NBD likelihood
// after the factor Γ(r+x) α^r β^s / Γ(r): the customer still alive at T,
//
//	(α+T)^-(r+x) (β+T)^-s,
//
// and the customer dying at some τ in (t_x, T],
//
//	s ∫ (α+τ)^-(r+x) (β+τ)^-(s+1) dτ over (t_x, T]
//	  = s/(r+s+x) · [2F1(r+s+x, b; r+s+x+1; |α-β|/(m+t_x)) / (m+t_x)^(r+s+x) − (same at T)],
//
// where m = max(α, β) and b = s+1 if α >= β, else r+x (the note's A₀).
// Both 2F1 values are taken in log space so heavy buyers do not overflow.
func (m ParetoNBD) logParts(x int, tx, T float64) (logAlive, logDead float64, err error) {
	rx := m.R + float64(x)
	logAlive = -rx*math.Log(m.Alpha+T) - m.S*math.Log(m.Beta+T)
	if T <= tx {
		return logAlive, math.Inf(-1), nil
	}
	a := m.R + m.S + float64(x)
	maxAB, b := m.Alpha, m.S+1
	if m.Alpha < m.Beta {
		maxAB, b = m.Beta, rx
	}
	diff := math.Abs(m.Alpha - m.Beta)
	logF1, err := logHyp2f1(a, b, a+1, diff/(maxAB+tx))
	if err != nil {
		return 0, 0, fmt.Errorf("Pareto/NBD likelihood: %w", err)
	}
	logF2, err := logHyp2f1(a, b, a+1, diff/(maxAB+T))
	if err != nil {
		return 0, 0, fmt.Errorf("Pareto/NBD likelihood: %w", err)
	}
	l1 := logF1 - a*math.Log(maxAB+tx)
	l2 := logF2 - a*math.Log(maxAB+T)
	if l2 >= l1 { // t_x and T so close that the difference is lost in rounding
		return logAlive, math.Inf(-1), nil
	}
	logDead = math.Log(m.S) - math.Log(a) + l1 + math.Log(-math.Expm1(l2-l1))
	return logAlive, logDead, nil
}

func logAddExp(u, v float64) float64 {
	if math.IsInf(u, -1) {
		return v
	}
	if math.IsInf(v, -1) {
		return u
	}
	if u < v {
		u, v = v, u
	}
	return u + math.Log1p(math.Exp(v-u))
}

// ProbAlive is P(alive | x, t_x, T): the share of the likelihood contributed
// by the customer still being alive at T.
func (m ParetoNBD) ProbAlive(x int, tx, T float64) (float64, error) {
	logAlive, logDead, err := m.logParts(x, tx, T)
	if err != nil {
		return 0, err
	}
	return math.Exp(logAlive - logAddExp(logAlive, logDead)), nil
}

// ExpectedPurchases is E[Y(t) | x, t_x, T], the expected number of purchases
// in the next t time units:
//
//	(r+x)(β+T) / ((α+T)(s-1)) · [1 - ((β+T)/(β+T+t))^(s-1)] · P(alive)
//
// with [1 - q^(s-1)]/(s-1) computed as -expm1((s-1)·ln q)/(s-1), which stays
// accurate through s = 1, where it tends to -ln q.
func (m ParetoNBD) ExpectedPurchases(t float64, x int, tx, T float64) (float64, error) {
	if t < 0 {
		return 0, vernost.Invalid("horizon", "must not be negative, got %g", t)
	}
	pAlive, err := m.ProbAlive(x, tx, T)
	if err != nil {
		return 0, err
	}
	return m.purchasesIfAlive(t, x, T) * pAlive, nil
}

// purchasesIfAlive is E[Y(t) | x, T, alive at T], the expectation above
// without P(alive).
func (m ParetoNBD) purchasesIfAlive(t float64, x int, T float64) float64 {
	return (m.R + float64(x)) / (m.Alpha + T) * (m.Beta + T) * lifetimeFactor(m.S, m.Beta+T, t)
}

// purchasesIfAliveCurve sets out[k] = E[Y(ts[k]) | x, T, alive at T].
func (m ParetoNBD) purchasesIfAliveCurve(ts []float64, x int, T float64, out []float64) error {
	for k, t := range ts {
		out[k] = m.purchasesIfAlive(t, x, T)
	}
	return nil
}

// ExpectedRepeatPurchases is E[X(t)] for a new customer:
// rβ/(α(s-1)) · [1 - (β/(β+t))^(s-1)].
func (m ParetoNBD) ExpectedRepeatPurchases(t float64) (float64, error) {
	if t < 0 {
		return 0, vernost.Invalid("t", "must not be negative, got %g", t)
	}
	return m.R / m.Alpha * m.Beta * lifetimeFactor(m.S, m.Beta, t), nil
}

// lifetimeFactor is [1 - (b/(b+t))^(s-1)]/(s-1), the expected time alive in
// the next t, in units of b, for an exponential lifetime with a Gamma(s, b) rate.
func lifetimeFactor(s, b, t float64) float64 {
	logQ := -math.Log1p(t / b)
	if math.Abs(s-1) < 1e-12 {
		return -logQ
	}
	return -math.Expm1((s-1)*logQ) / (s - 1)
}
