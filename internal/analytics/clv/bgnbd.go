package clv

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"

	"github.com/vernost/vernost"
)

// BGNBD is the beta-geometric/NBD model of Fader, Hardie and Lee (2005),
// "Counting Your Customers the Easy Way": while alive a customer buys at a
// Poisson rate λ ~ Gamma(r, α); after each purchase she drops out with
// probability p ~ Beta(a, b).
type BGNBD struct {
	R, Alpha, A, B float64
}

// FitBGNBD fits the model by maximum likelihood.
func FitBGNBD(ctx context.Context, cs []Customer) (BGNBD, FitResult, error) {
	d, err := newRFMData(cs)
	if err != nil {
		return BGNBD{}, FitResult{}, err
	}
	if err := d.checkRepeatBuyers("BG/NBD"); err != nil {
		return BGNBD{}, FitResult{}, err
	}
	ev := newBGNBDEval(d)
	start := []float64{1, d.meanT() / 10, 1, 1}
	fit, err := maximizeLikelihood(ctx, "BG/NBD", []string{"r", "alpha", "a", "b"}, start, d.customers, ev.negLogLik)
	if err != nil {
		return BGNBD{}, FitResult{}, err
	}
	p := fit.Params
	return BGNBD{R: p[0].Value, Alpha: p[1].Value, A: p[2].Value, B: p[3].Value}, fit, nil
}

// LogLikelihood is the log-likelihood of the model for the customers.
func (m BGNBD) LogLikelihood(cs []Customer) (float64, error) {
	d, err := newRFMData(cs)
	if err != nil {
		return 0, err
	}
	nll, _ := newBGNBDEval(d).negLogLik([]float64{m.R, m.Alpha, m.A, m.B}, nil)
	return -nll, nil
}

// bgnbdEval holds the data and per-frequency scratch space of the likelihood,
// so that evaluating it allocates nothing per customer.
type bgnbdEval struct {
	d *rfmData
	// Per distinct x: the parameter-only part of the log-likelihood, the log of
	// the dropout weight a/(b+x-1), and the digamma parts of the gradient.
	base, logDrop, dR, dA, dB []float64
	// Per distinct time v: ln(α+v) and 1/(α+v).
	logAT, invAT []float64
}

func newBGNBDEval(d *rfmData) *bgnbdEval {
	n := len(d.xs)
	return &bgnbdEval{d: d, base: make([]float64, n), logDrop: make([]float64, n),
		dR: make([]float64, n), dA: make([]float64, n), dB: make([]float64, n),
		logAT: make([]float64, len(d.times)), invAT: make([]float64, len(d.times))}
}

// negLogLik is the BG/NBD likelihood of Fader, Hardie and Lee (2005), eq. 6,
// in log space:
//
//	LL = ln Γ(r+x) - ln Γ(r) + r ln α + ln B(a, b+x) - ln B(a, b)
//	   + ln[ (α+T)^-(r+x) + [x>0]·a/(b+x-1)·(α+t_x)^-(r+x) ]
//
// with the last term by log-sum-exp, so heavy buyers never overflow. The
// gradient is analytic.
func (e *bgnbdEval) negLogLik(theta, grad []float64) (float64, bool) {
	r, alpha, a, b := theta[0], theta[1], theta[2], theta[3]
	lgR, _ := math.Lgamma(r)
	psiR, psiB, psiAB := mathext.Digamma(r), mathext.Digamma(b), mathext.Digamma(a+b)
	lbetaAB := lbeta(a, b)
	for i, x := range e.d.xs {
		fx := float64(x)
		lgRX, _ := math.Lgamma(r + fx)
		e.base[i] = lgRX - lgR + lbeta(a, b+fx) - lbetaAB
		if x > 0 {
			e.logDrop[i] = math.Log(a) - math.Log(b+fx-1)
		}
		if grad != nil {
			psiABX := mathext.Digamma(a + b + fx)
			e.dR[i] = mathext.Digamma(r+fx) - psiR
			e.dA[i] = psiAB - psiABX
			e.dB[i] = mathext.Digamma(b+fx) - psiB + psiAB - psiABX
		}
	}
	for i, v := range e.d.times {
		e.logAT[i] = math.Log(alpha + v)
		e.invAT[i] = 1 / (alpha + v)
	}
	logAlpha := math.Log(alpha)
	part := func(lo, hi int, acc []float64) float64 {
		ll := 0.0
		var gR, gAlpha, gA, gB float64
		for _, g := range e.d.groups[lo:hi] {
			rx := r + float64(g.x)
			logAT := e.logAT[g.Ti]
			u1 := -rx * logAT
			lse, w2, logATx := u1, 0.0, 0.0
			if g.x > 0 {
				logATx = e.logAT[g.txi]
				u2 := e.logDrop[g.xi] - rx*logATx
				d := math.Exp(-math.Abs(u1 - u2))
				if u2 >= u1 {
					lse, w2 = u2+math.Log1p(d), 1/(1+d)
				} else {
					lse, w2 = u1+math.Log1p(d), d/(1+d)
				}
			}
			ll += g.weight * (e.base[g.xi] + r*logAlpha + lse)
			if acc != nil {
				w1 := 1 - w2
				gR += g.weight * (e.dR[g.xi] + logAlpha - w1*logAT - w2*logATx)
				gAlpha += g.weight * (r/alpha - rx*(w1*e.invAT[g.Ti]+w2*e.invAT[g.txi]))
				gA += g.weight * (e.dA[g.xi] + w2/a)
				if g.x > 0 {
					gB += g.weight * (e.dB[g.xi] - w2/(b+float64(g.x)-1))
				}
			}
		}
		if acc != nil {
			acc[0], acc[1], acc[2], acc[3] = gR, gAlpha, gA, gB
		}
		return ll
	}
	accLen := 0
	if grad != nil {
		accLen = 4
	}
	ll, acc := parallelSum(len(e.d.groups), func(lo, hi int, acc []float64) float64 {
		if grad == nil {
			return part(lo, hi, nil)
		}
		return part(lo, hi, acc)
	}, accLen)
	if math.IsNaN(ll) {
		ll = math.Inf(-1)
	}
	for i := range grad {
		grad[i] = -acc[i]
	}
	return -ll, grad != nil
}

// ProbAlive is P(alive | x, t_x, T), eq. 13 of the paper; a customer with no
// repeat purchase cannot have dropped out, since dropout follows a purchase.
func (m BGNBD) ProbAlive(x int, tx, T float64) (float64, error) {
	if x == 0 {
		return 1, nil
	}
	logOdds := math.Log(m.A) - math.Log(m.B+float64(x)-1) + (m.R+float64(x))*(math.Log(m.Alpha+T)-math.Log(m.Alpha+tx))
	return 1 / (1 + math.Exp(logOdds)), nil
}

// ExpectedPurchases is E[Y(t) | x, t_x, T], the expected number of purchases
// in the next t time units (eq. 10):
//
//	(a+b+x-1)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x-1; z)] · P(alive),
//	z = t/(α+T+t).
//
// The power and 2F1 are combined in log space: for heavy buyers each alone
// overflows while their product stays below 1.
func (m BGNBD) ExpectedPurchases(t float64, x int, tx, T float64) (float64, error) {
	if t < 0 {
		return 0, vernost.Invalid("horizon", "must not be negative, got %g", t)
	}
	alive, err := m.purchasesIfAlive(t, x, T)
	if err != nil {
		return 0, err
	}
	pAlive, _ := m.ProbAlive(x, tx, T)
	return alive * pAlive, nil
}

// purchasesIfAlive is E[Y(t) | x, T, alive at T], eq. 10 without P(alive).
func (m BGNBD) purchasesIfAlive(t float64, x int, T float64) (float64, error) {
	if t == 0 {
		return 0, nil
	}
	a, r, b, c := m.expectationParams(x)
	z := t / (m.Alpha + T + t)
	logScale, v, err := hyp2f1Scaled(r, b, c, z)
	if err != nil {
		return 0, fmt.Errorf("BG/NBD expected purchases: %w", err)
	}
	return m.ifAliveFrom2F1(a, x, z, logScale, v)
}

// purchasesIfAliveCurve sets out[k] = E[Y(ts[k]) | x, T, alive at T]. The
// 2F1 parameters do not depend on t, so the curve shares one series.
func (m BGNBD) purchasesIfAliveCurve(ts []float64, x int, T float64, out []float64) error {
	a, r, b, c := m.expectationParams(x)
	const block = 64 // period ends per pass, so the scratch space fits the stack
	var zs, logScale [block]float64
	for lo := 0; lo < len(ts); lo += block {
		n := min(block, len(ts)-lo)
		for k, t := range ts[lo : lo+n] {
			zs[k] = t / (m.Alpha + T + t)
		}
		v := out[lo : lo+n]
		if err := hyp2f1Curve(r, b, c, zs[:n], logScale[:n], v); err != nil {
			return fmt.Errorf("BG/NBD expected purchases: %w", err)
		}
		for k := range v {
			if ts[lo+k] == 0 {
				v[k] = 0
				continue
			}
			var err error
			if v[k], err = m.ifAliveFrom2F1(a, x, zs[k], logScale[k], v[k]); err != nil {
				return err
			}
		}
	}
	return nil
}

// expectationParams returns the a to use in eq. 10 and the parameters of its
// 2F1(r+x, b+x; a+b+x-1; z).
func (m BGNBD) expectationParams(x int) (a, r, b, c float64) {
	a = m.A
	if a == 1 {
		// (a+b+x-1)/(a-1) and the bracket are both 0/0 here; the function is
		// smooth through a = 1, so step off the removable singularity.
		a = 1 + 1e-9
	}
	fx := float64(x)
	return a, m.R + fx, m.B + fx, a + m.B + fx - 1
}

// ifAliveFrom2F1 finishes eq. 10 from 2F1 = v·exp(logScale) at z = t/(α+T+t).
func (m BGNBD) ifAliveFrom2F1(a float64, x int, z, logScale, v float64) (float64, error) {
	if !(v > 0) {
		return 0, fmt.Errorf("BG/NBD expected purchases: 2F1 is not positive at x=%d", x)
	}
	fx := float64(x)
	bracket := -math.Expm1(logScale + (m.R+fx)*math.Log1p(-z) + math.Log(v)) // 1 - (1-z)^(r+x)·2F1
	return (a + m.B + fx - 1) / (a - 1) * bracket, nil
}

// ExpectedRepeatPurchases is E[X(t)], the expected number of repeat purchases
// of a new customer in her first t time units (eq. 9): the conditional
// expectation of a customer with no history.
func (m BGNBD) ExpectedRepeatPurchases(t float64) (float64, error) {
	return m.ExpectedPurchases(t, 0, 0, 0)
}

// ProbPurchases is P(X(t) = n) for a new customer (eq. 8), as derived in
// Fader and Hardie's note "Deriving the BG/NBD pmf":
//
//	P(X(t)=n) = B(a,b+n)/B(a,b) · NB(n; r, α/(α+t))
//	          + [n>0]·B(a+1,b+n-1)/B(a,b) · P(NB(r, α/(α+t)) >= n)
//
// with the negative-binomial tail as a regularized incomplete beta function
// rather than one minus a sum, which would cancel for large n.
func (m BGNBD) ProbPurchases(n int, t float64) (float64, error) {
	if n < 0 {
		return 0, vernost.Invalid("n", "must not be negative, got %d", n)
	}
	if !(t >= 0) {
		return 0, vernost.Invalid("t", "must not be negative, got %g", t)
	}
	if t == 0 {
		if n == 0 {
			return 1, nil
		}
		return 0, nil
	}
	fn := float64(n)
	lgRN, _ := math.Lgamma(m.R + fn)
	lgR, _ := math.Lgamma(m.R)
	lgN1, _ := math.Lgamma(fn + 1)
	lbetaAB := lbeta(m.A, m.B)
	logNB := lgRN - lgR - lgN1 + m.R*math.Log(m.Alpha/(m.Alpha+t)) + fn*math.Log(t/(m.Alpha+t))
	p := math.Exp(lbeta(m.A, m.B+fn) - lbetaAB + logNB)
	if n > 0 {
		tail := mathext.RegIncBeta(fn, m.R, t/(m.Alpha+t))
		p += math.Exp(lbeta(m.A+1, m.B+fn-1)-lbetaAB) * tail
	}
	return p, nil
}
