package staffing

import (
	"errors"
	"math"
)

// The Erlang A formulas need the lower incomplete gamma function γ(s, w) at
// arguments s = n·patience/aht and w = λ·patience, which reach 10⁵ and more
// when patience is long. γ itself and the regularised P(s, w) then overflow
// or underflow, so this file works with the scaled function
//
//	F(s, w) = eʷ·w⁻ˢ·γ(s, w) = Σₖ wᵏ / (s(s+1)…(s+k))
//
// and its logarithm. The series is used while w < s + 1 (its terms fall from
// the first); beyond that F = eʷw⁻ˢΓ(s) − eʷw⁻ˢΓ(s, w), with the second term
// from the continued fraction for the upper function (Numerical Recipes §6.2,
// modified Lentz), which converges fast there.

// errNoConvergence reports a series or continued fraction that ran out of
// iterations; it cannot happen for inputs that pass validation.
var errNoConvergence = errors.New("incomplete gamma did not converge")

const (
	gammaEps     = 1e-17
	gammaMaxIter = 100_000_000
)

// gammaSeries sums the series of F(s, w) for w < s + 1: it returns
// S0 = Σ tₖ and S1 = Σ k·tₖ with t₀ = 1/s and tₖ = tₖ₋₁·w/(s+k).
// S1 is the first moment Erlang A needs for the mean queue length.
func gammaSeries(s, w float64) (s0, s1 float64, err error) {
	t := 1 / s
	s0 = t
	for k := 1; k < gammaMaxIter; k++ {
		kf := float64(k)
		t *= w / (s + kf)
		s0 += t
		s1 += kf * t
		// The ratio r of the next term to this one only falls from here on,
		// so the remainders are at most t·r/(1−r) and t·(k·r/(1−r) + r/(1−r)²).
		r := w / (s + kf + 1)
		q := r / (1 - r)
		if t*q <= gammaEps*s0 && t*(kf*q+q/(1-r)) <= gammaEps*s1 {
			return s0, s1, nil
		}
	}
	return 0, 0, errNoConvergence
}

// upperGammaCF returns eʷ·w⁻ˢ·Γ(s, w) for w ≥ s + 1 by the continued fraction
// 1/(w+1−s− 1·(1−s)/(w+3−s− 2·(2−s)/(w+5−s− …))).
func upperGammaCF(s, w float64) (float64, error) {
	const tiny = 1e-300
	b := w + 1 - s
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < gammaMaxIter; i++ {
		an := -float64(i) * (float64(i) - s)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < gammaEps {
			return h, nil
		}
	}
	return 0, errNoConvergence
}

// lnScaledGamma is ln(eʷ·w⁻ˢ·Γ(s)) = lnΓ(s) + w − s·ln w, computed for large
// s from Stirling's series so that the large terms cancel exactly on paper
// instead of in floating point.
func lnScaledGamma(s, w float64) float64 {
	if s < 20 {
		lg, _ := math.Lgamma(s)
		return lg + w - s*math.Log(w)
	}
	// lnΓ(s) = (s−½)ln s − s + ½ln 2π + corr(s); with u = (w − s)/s the rest
	// collapses to ½ln(2π/s) + corr(s) − s·(ln(1+u) − u).
	s2 := s * s
	corr := (1.0/12 - (1.0/360-(1.0/1260-1.0/(1680*s2))/s2)/s2) / s
	return 0.5*math.Log(2*math.Pi/s) + corr - s*log1pmx((w-s)/s)
}

// log1pmx is ln(1+u) − u without cancellation for small u (u > −1).
func log1pmx(u float64) float64 {
	if math.Abs(u) > 0.5 {
		return math.Log1p(u) - u
	}
	// ln(1+u) = 2·atanh(r) with r = u/(2+u), and 2r − u = −u·r.
	r := u / (2 + u)
	r2 := r * r
	sum, term := 0.0, r
	for k := 3; k < 200; k += 2 {
		term *= r2
		next := sum + term/float64(k)
		if next == sum {
			break
		}
		sum = next
	}
	return -u*r + 2*sum
}

// lnF returns ln F(s, w) for s > 0, w ≥ 0.
func lnF(s, w float64) (float64, error) {
	if w < s+1 {
		s0, _, err := gammaSeries(s, w)
		if err != nil {
			return 0, err
		}
		return math.Log(s0), nil
	}
	h, err := upperGammaCF(s, w)
	if err != nil {
		return 0, err
	}
	lnG := lnScaledGamma(s, w)
	// Here Γ(s, w)/Γ(s) = h/e^{lnG} is at most about one half, so the
	// difference keeps its precision.
	return lnG + math.Log1p(-math.Exp(math.Log(h)-lnG)), nil
}
