package clv

import (
	"errors"
	"fmt"
	"math"
)

// The Gaussian hypergeometric function 2F1(a, b; c; z) on 0 <= z < 1, which
// is all the models need: the Pareto/NBD likelihood and P(alive) use
// 2F1(r+s+x, ·; r+s+x+1; z) and the BG/NBD expectations use
// 2F1(r+x, b+x; a+b+x-1; z).
//
// Strategy:
//  1. Euler's transformation 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a,c-b;c;z)
//     when c-a-b < 0. It turns the series whose sum grows like
//     (1-z)^(c-a-b), and whose terms overflow for heavy buyers (large x), into
//     one whose terms shrink from the start; the factor is kept in log space.
//  2. The power series, summed until the bound on its tail is below machine
//     precision.
//  3. Near z = 1 the series needs O(1/(1-z)) terms. The usual cure, the
//     linear transformation to 1-z (Abramowitz & Stegun 15.3.6), degenerates
//     when c-a-b is an integer and cancels badly for the large a the models
//     produce, so there we integrate Euler's integral
//     2F1(a,b;c;z) = 1/B(b,c-b) ∫₀¹ t^(b-1) (1-t)^(c-b-1) (1-zt)^(-a) dt
//     (c > b > 0) by adaptive Gauss–Kronrod quadrature in the log-odds
//     variable, where the integrand is smooth and has no endpoint singularity.

var errHyp2f1Domain = errors.New("2F1: outside the supported domain")

// maxSeriesTerms bounds the direct series before quadrature takes over;
// at z = 0.99 the series needs about 3,000 terms.
const maxSeriesTerms = 5000

// hyp2f1 returns 2F1(a, b; c; z) for 0 <= z < 1 and c not a non-positive integer.
func hyp2f1(a, b, c, z float64) (float64, error) {
	logScale, v, err := hyp2f1Scaled(a, b, c, z)
	if err != nil {
		return math.NaN(), err
	}
	return v * math.Exp(logScale), nil
}

// logHyp2f1 returns log 2F1(a, b; c; z) for arguments where it is positive
// (for example a, b, c > 0). It does not overflow where 2F1 itself would.
func logHyp2f1(a, b, c, z float64) (float64, error) {
	logScale, v, err := hyp2f1Scaled(a, b, c, z)
	if err != nil {
		return math.NaN(), err
	}
	if !(v > 0) {
		return math.NaN(), fmt.Errorf("2F1(%g, %g; %g; %g) = %g is not positive", a, b, c, z, v)
	}
	return logScale + math.Log(v), nil
}

// hyp2f1Scaled returns (s, v) with 2F1(a, b; c; z) = v·exp(s).
func hyp2f1Scaled(a, b, c, z float64) (float64, float64, error) {
	if !(z >= 0 && z < 1) || math.IsNaN(a) || math.IsNaN(b) || math.IsNaN(c) || math.IsInf(a+b+c, 0) ||
		(c <= 0 && c == math.Floor(c)) {
		return 0, 0, fmt.Errorf("%w: a=%g b=%g c=%g z=%g", errHyp2f1Domain, a, b, c, z)
	}
	switch {
	case z == 0 || a == 0 || b == 0:
		return 0, 1, nil
	case a == c:
		return -b * math.Log1p(-z), 1, nil
	case b == c:
		return -a * math.Log1p(-z), 1, nil
	}
	logScale := 0.0
	if c-a-b < 0 {
		logScale = (c - a - b) * math.Log1p(-z)
		a, b = c-a, c-b
	}
	if v, ok := hyp2f1Series(a, b, c, z); ok {
		return logScale, v, nil
	}
	if b <= 0 || b >= c {
		a, b = b, a
	}
	if b > 0 && c > b {
		logV, err := logHyp2f1Euler(a, b, c, z)
		if err != nil {
			return 0, 0, err
		}
		return logScale + logV, 1, nil
	}
	return 0, 0, fmt.Errorf("2F1(%g, %g; %g; %g): series did not converge in %d terms", a, b, c, z, maxSeriesTerms)
}

// hyp2f1Series sums the power series; ok is false if it did not converge in
// maxSeriesTerms terms or its terms overflow.
func hyp2f1Series(a, b, c, z float64) (float64, bool) {
	const eps = 1e-16
	sum, term := 1.0, 1.0
	for k := 0.0; k < maxSeriesTerms; k++ {
		ratio := (a + k) * (b + k) / ((c + k) * (k + 1)) * z
		term *= ratio
		sum += term
		if term == 0 {
			return sum, true
		}
		if !(math.Abs(sum) < 1e300) { // overflow or NaN, in one comparison
			return 0, false
		}
		// Past the last sign change of (a+k)(b+k) the ratios tend
		// monotonically to z, so the tail is at most term·ρ/(1-ρ).
		if math.Abs(term) <= eps*math.Abs(sum) && k+1 > -math.Min(math.Min(a, b), c) {
			rho := math.Max(math.Abs(ratio), z)
			if rho < 1 && math.Abs(term)*rho/(1-rho) <= eps*math.Abs(sum) {
				return sum, true
			}
		}
	}
	return 0, false
}

// logHyp2f1Euler evaluates log 2F1 by Euler's integral, c > b > 0, with
// t = 1/(1+e^(-u)) so that dt = t(1-t) du:
//
//	B(b,c-b)·2F1 = ∫ exp(b·log t + (c-b)·log(1-t) - a·log(1-zt)) du  over u ∈ ℝ.
func logHyp2f1Euler(a, b, c, z float64) (float64, error) {
	cb := c - b
	logIntegrand := func(u float64) float64 {
		logT := -softplus(-u)  // log t
		log1mT := -softplus(u) // log(1-t)
		oneMinusZT := 1 - z*math.Exp(logT)
		if u > 0 { // 1 - z·t = (1-z) + z·(1-t), without cancellation
			oneMinusZT = (1 - z) + z*math.Exp(log1mT)
		}
		return b*logT + cb*log1mT - a*math.Log(oneMinusZT)
	}
	// The integrand decays like e^(b·u) on the left and like
	// e^(-(c-b)·u)·(1-z)^(-a) on the right; past these bounds the tails are
	// below e^-50 of the peak.
	mode := math.Log(b / cb)
	lz := -math.Log1p(-z)
	lo := math.Min(mode, 0) - 50/b
	hi := math.Max(math.Max(mode, 0), lz) + (50+math.Max(a, 0)*lz)/cb
	logI, err := logIntegrate(logIntegrand, lo, hi)
	if err != nil {
		return 0, fmt.Errorf("2F1(%g, %g; %g; %g): %w", a, b, c, z, err)
	}
	return logI - lbeta(b, cb), nil
}

func softplus(x float64) float64 { // log(1+e^x)
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

func lbeta(a, b float64) float64 {
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	return la + lb - lab
}

// logIntegrate returns log ∫ exp(logf(u)) du over [lo, hi] for a smooth
// positive integrand, scaled by its largest value on a grid so that neither
// tiny nor huge integrands leave the float64 range.
func logIntegrate(logf func(float64) float64, lo, hi float64) (float64, error) {
	const panels = 256
	width := (hi - lo) / panels
	peak := math.Inf(-1)
	for i := 0; i <= panels; i++ {
		peak = math.Max(peak, logf(lo+float64(i)*width))
	}
	if math.IsInf(peak, 0) || math.IsNaN(peak) {
		return 0, errors.New("integrand is not finite")
	}
	f := func(u float64) float64 { return math.Exp(logf(u) - peak) }
	vals := make([]float64, panels)
	errs := make([]float64, panels)
	total := 0.0
	for i := range vals {
		a := lo + float64(i)*width
		vals[i], errs[i] = gaussKronrod15(f, a, a+width)
		total += vals[i]
	}
	tol := 1e-14 * total
	total = 0
	for i := range vals {
		a := lo + float64(i)*width
		if errs[i] > tol {
			vals[i] = adaptiveGK(f, a, a+width, vals[i], errs[i], tol, 0)
		}
		total += vals[i]
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return 0, errors.New("quadrature failed")
	}
	return math.Log(total) + peak, nil
}

func adaptiveGK(f func(float64) float64, a, b, val, errEst, tol float64, depth int) float64 {
	if errEst <= tol || depth >= 40 {
		return val
	}
	m := (a + b) / 2
	v1, e1 := gaussKronrod15(f, a, m)
	v2, e2 := gaussKronrod15(f, m, b)
	return adaptiveGK(f, a, m, v1, e1, tol/2, depth+1) + adaptiveGK(f, m, b, v2, e2, tol/2, depth+1)
}

// Nodes and weights of the 7-point Gauss and 15-point Kronrod rules on [-1, 1]
// (QUADPACK qk15); gaussKronrodX[1], [3], [5] and 0 are the Gauss nodes.
var (
	gaussKronrodX = [8]float64{
		0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
		0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
		0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
		0.207784955007898467600689403773245, 0,
	}
	kronrodW = [8]float64{
		0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
		0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
		0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
		0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
	}
	gaussW = [4]float64{
		0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
		0.381830050505118944950369775488975, 0.417959183673469387755102040816327,
	}
)

// gaussKronrod15 integrates f over [a, b] and estimates the error as the
// difference between the Kronrod and the embedded Gauss rule.
func gaussKronrod15(f func(float64) float64, a, b float64) (float64, float64) {
	center, half := (a+b)/2, (b-a)/2
	fc := f(center)
	kronrod, gauss := fc*kronrodW[7], fc*gaussW[3]
	for i := 0; i < 7; i++ {
		dx := half * gaussKronrodX[i]
		pair := f(center-dx) + f(center+dx)
		kronrod += kronrodW[i] * pair
		if i%2 == 1 {
			gauss += gaussW[i/2] * pair
		}
	}
	return kronrod * half, math.Abs(kronrod-gauss) * half
}
