package clv

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"

	"github.com/vernost/vernost"
)

// GammaGamma is the Gamma-Gamma model of spend per transaction (Fader, Hardie
// and Lee 2005, "RFM and CLV"; Fader and Hardie 2013, "The Gamma-Gamma Model
// of Monetary Value"): a customer's transaction values are Gamma(p, ν) with
// ν ~ Gamma(q, γ) across customers, independent of how often she buys.
type GammaGamma struct {
	P, Q, Gamma float64
}

// spendObs is one repeat buyer: x repeat transactions averaging zbar.
type spendObs struct{ x, zbar float64 }

// FitGammaGamma fits the model by maximum likelihood on the customers with at
// least one repeat purchase, whose Monetary is the mean of those purchases.
func FitGammaGamma(ctx context.Context, cs []Customer) (GammaGamma, FitResult, error) {
	var obs []spendObs
	for _, c := range cs {
		if c.Frequency == 0 {
			continue
		}
		if !(c.Monetary > 0) || math.IsInf(c.Monetary, 0) {
			return GammaGamma{}, FitResult{}, vernost.Invalid(fmt.Sprintf("customer %q", c.ID),
				"mean repeat spend %g must be positive for the Gamma-Gamma spend model", c.Monetary)
		}
		obs = append(obs, spendObs{float64(c.Frequency), c.Monetary})
	}
	if len(obs) < minRepeatBuyers {
		return GammaGamma{}, FitResult{}, vernost.Errorf(vernost.EInvalid,
			"Gamma-Gamma cannot be fitted: only %d customers made a repeat purchase; at least %d are needed", len(obs), minRepeatBuyers)
	}
	mean := 0.0
	for _, o := range obs {
		mean += o.zbar
	}
	mean /= float64(len(obs))
	nll := func(theta, grad []float64) (float64, bool) {
		return gammaGammaNegLogLik(obs, theta, grad), true
	}
	fit, err := maximizeLikelihood(ctx, "Gamma-Gamma", []string{"p", "q", "gamma"}, []float64{1, 2, mean}, len(obs), nll)
	if err != nil {
		return GammaGamma{}, FitResult{}, err
	}
	p := fit.Params
	return GammaGamma{P: p[0].Value, Q: p[1].Value, Gamma: p[2].Value}, fit, nil
}

// gammaGammaNegLogLik is minus the sum over repeat buyers of the log density
// of their mean spend (Fader and Hardie 2013, eq. 3 with the Jacobian of
// z̄ = total/x):
//
//	ln Γ(px+q) - ln Γ(px) - ln Γ(q) + q ln γ + (px-1) ln z̄ + px ln x - (px+q) ln(γ + x z̄)
//
// and, when grad is not nil, its analytic gradient in (p, q, γ).
func gammaGammaNegLogLik(obs []spendObs, theta, grad []float64) float64 {
	p, q, gamma := theta[0], theta[1], theta[2]
	lgQ, _ := math.Lgamma(q)
	logGamma := math.Log(gamma)
	psiQ := 0.0
	if grad != nil {
		psiQ = mathext.Digamma(q)
	}
	var ll, gp, gq, gg float64
	for _, o := range obs {
		px := p * o.x
		lgPXQ, _ := math.Lgamma(px + q)
		lgPX, _ := math.Lgamma(px)
		logZ, logX, logDen := math.Log(o.zbar), math.Log(o.x), math.Log(gamma+o.x*o.zbar)
		ll += lgPXQ - lgPX - lgQ + q*logGamma + (px-1)*logZ + px*logX - (px+q)*logDen
		if grad != nil {
			psiPXQ := mathext.Digamma(px + q)
			gp += o.x * (psiPXQ - mathext.Digamma(px) + logZ + logX - logDen)
			gq += psiPXQ - psiQ + logGamma - logDen
			gg += q/gamma - (px+q)/(gamma+o.x*o.zbar)
		}
	}
	if grad != nil {
		grad[0], grad[1], grad[2] = -gp, -gq, -gg
	}
	if math.IsNaN(ll) {
		return math.Inf(1)
	}
	return -ll
}

// LogLikelihood is the log-likelihood of the model for the repeat buyers among cs.
func (m GammaGamma) LogLikelihood(cs []Customer) float64 {
	var obs []spendObs
	for _, c := range cs {
		if c.Frequency > 0 {
			obs = append(obs, spendObs{float64(c.Frequency), c.Monetary})
		}
	}
	return -gammaGammaNegLogLik(obs, []float64{m.P, m.Q, m.Gamma}, nil)
}

// MeanSpend is the population mean spend per transaction, pγ/(q-1).
func (m GammaGamma) MeanSpend() (float64, error) {
	return m.ExpectedSpend(0, 0)
}

// ExpectedSpend is E[M | x, z̄], the expected spend per transaction of a
// customer with x repeat purchases averaging z̄ (Fader, Hardie and Lee 2005,
// eq. 5): a weighted mean of the population mean and her own average,
//
//	(q-1)/(px+q-1) · pγ/(q-1) + px/(px+q-1) · z̄ = p(γ + x z̄)/(px+q-1).
func (m GammaGamma) ExpectedSpend(x int, zbar float64) (float64, error) {
	den := m.P*float64(x) + m.Q - 1
	if !(den > 0) {
		return 0, vernost.Errorf(vernost.EInvalid,
			"Gamma-Gamma: q = %.4g <= 1 means spend has no finite mean for a customer with no repeat purchases", m.Q)
	}
	if x == 0 {
		zbar = 0 // the first purchase is not used: it is often atypical
	}
	return m.P * (m.Gamma + float64(x)*zbar) / den, nil
}
