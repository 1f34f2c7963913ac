package churn

import (
	"errors"
	"fmt"
	"math"
)

// logistic is a fitted logistic regression on coded features.
type logistic struct {
	intercept  float64
	weights    []float64
	iterations int
}

// singularError says the design is rank-deficient: feature (or the intercept,
// when feature is -1) is a linear combination of the ones before it.
// separated is set when the design was fine at the start but the fit drove
// the probabilities to 0 and 1: the classes are (almost) separable.
type singularError struct {
	feature   int
	separated bool
}

func (e *singularError) Error() string {
	if e.separated {
		return "the classes are perfectly separated by the features"
	}
	return fmt.Sprintf("singular design at feature %d", e.feature)
}

// errNoConvergence means Newton's method ran out of iterations.
var errNoConvergence = errors.New("no convergence")

// fitLogistic minimises the summed log loss of P(y=1) = σ(b + x·w) plus
// lambda/2·|w|² by Newton's method with backtracking. y holds 0s and 1s of
// both classes. The design gets an implicit leading column of ones for b.
func fitLogistic(x matrix, y []float64, lambda float64, maxIter int) (logistic, error) {
	p := x.cols + 1 // coefficient 0 is the intercept
	beta := make([]float64, p)
	var ybar float64
	for _, v := range y {
		ybar += v
	}
	ybar /= float64(len(y))
	beta[0] = math.Log(ybar / (1 - ybar)) // start at the base rate: fewer steps

	grad := make([]float64, p)
	hess := make([]float64, p*p)
	step := make([]float64, p)
	trial := make([]float64, p)
	loss := objective(x, y, beta, lambda)
	prev := math.Inf(1) // the last Newton decrement
	for it := 1; it <= maxIter; it++ {
		derivatives(x, y, beta, lambda, grad, hess)
		if j := cholesky(hess, p); j >= 0 {
			return logistic{}, &singularError{feature: j - 1, separated: it > 1}
		}
		copy(step, grad)
		cholSolve(hess, p, step)
		// The Newton decrement g·H⁻¹g/2 estimates how far the loss is above
		// its minimum. Convergence is quadratic, so asking for the precision
		// of the arithmetic costs only an iteration or two; and once the
		// decrement is small, a step that fails to shrink it tenfold means
		// rounding has set the floor, so stop there too.
		decrement := dot(grad, step) / 2
		scale := math.Max(1, loss)
		atFloor := decrement <= 1e-10*scale && decrement > prev/10
		prev = decrement
		if decrement <= 1e-20*scale || atFloor {
			if lambda == 0 && maxAbsLinear(x, beta) > separatedLogit {
				return logistic{}, &singularError{feature: -1, separated: true}
			}
			return logistic{intercept: beta[0], weights: beta[1:], iterations: it}, nil
		}
		t := 1.0
		for {
			for j := range beta {
				trial[j] = beta[j] - t*step[j]
			}
			next := objective(x, y, trial, lambda)
			// Armijo condition (a quarter of the predicted decrease g·step =
			// 2·decrement), with slack for rounding near the optimum.
			if next <= loss-0.5*t*decrement+1e-12*math.Abs(loss) {
				copy(beta, trial)
				loss = next
				break
			}
			if t /= 2; t < 1e-10 {
				return logistic{}, errNoConvergence
			}
		}
	}
	return logistic{}, errNoConvergence
}

// separatedLogit is the log-odds beyond which an unpenalised fit is taken to
// have run off to infinity: σ(30) is within 1e-13 of 1, no credible churn
// probability, and what separable classes drive a maximum-likelihood fit to.
const separatedLogit = 30

func maxAbsLinear(x matrix, beta []float64) float64 {
	var m float64
	for i := range x.rows {
		m = math.Max(m, math.Abs(linear(x.row(i), beta)))
	}
	return m
}

// objective is the summed log loss plus the penalty.
func objective(x matrix, y, beta []float64, lambda float64) float64 {
	var f float64
	for i := range x.rows {
		eta := linear(x.row(i), beta)
		// -log σ(η) = log(1+e^-η), computed without overflow either way.
		if y[i] == 1 {
			f += softplus(-eta)
		} else {
			f += softplus(eta)
		}
	}
	var ss float64
	for _, b := range beta[1:] {
		ss += b * b
	}
	return f + lambda/2*ss
}

// derivatives fills the gradient and the lower triangle of the Hessian of the
// objective at beta. The Hessian is XᵀWX + λI (intercept unpenalised), with
// W = p(1-p). Only the nonzero features of each row are visited: one-hot
// coding leaves most of them zero, and the work is quadratic in their number.
func derivatives(x matrix, y, beta []float64, lambda float64, grad, hess []float64) {
	p := len(beta)
	clear(grad)
	clear(hess)
	nz := make([]int, 0, p)
	for i := range x.rows {
		r := x.row(i)
		prob := sigmoid(linear(r, beta))
		res := prob - y[i]
		w := prob * (1 - prob)
		grad[0] += res
		hess[0] += w
		nz = nz[:0]
		for j, xj := range r {
			if xj == 0 {
				continue
			}
			nz = append(nz, j)
			grad[j+1] += res * xj
			wx := w * xj
			row := hess[(j+1)*p:]
			row[0] += wx
			for _, k := range nz {
				row[k+1] += wx * r[k]
			}
		}
	}
	for j := 1; j < p; j++ {
		grad[j] += lambda * beta[j]
		hess[j*p+j] += lambda
	}
}

func linear(r, beta []float64) float64 {
	eta := beta[0]
	for j, v := range r {
		eta += beta[j+1] * v
	}
	return eta
}

func sigmoid(eta float64) float64 {
	if eta >= 0 {
		return 1 / (1 + math.Exp(-eta))
	}
	e := math.Exp(eta)
	return e / (1 + e)
}

// softplus is log(1+e^x).
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// cholesky factors the symmetric matrix a (n×n, row-major, lower triangle
// read) in place into L with a = LLᵀ. It returns -1, or the first column
// that is numerically a combination of the ones before it: its pivot has
// fallen below 1e-10 of its diagonal, i.e. 1-R² < 1e-10.
func cholesky(a []float64, n int) int {
	for j := range n {
		diag := a[j*n+j]
		d := diag
		for k := range j {
			d -= a[j*n+k] * a[j*n+k]
		}
		if !(d > 1e-10*diag) { // also catches diag ≤ 0 and NaN
			return j
		}
		ljj := math.Sqrt(d)
		a[j*n+j] = ljj
		for i := j + 1; i < n; i++ {
			s := a[i*n+j]
			for k := range j {
				s -= a[i*n+k] * a[j*n+k]
			}
			a[i*n+j] = s / ljj
		}
	}
	return -1
}

// cholSolve overwrites b with the solution of LLᵀx = b.
func cholSolve(l []float64, n int, b []float64) {
	for i := range n {
		s := b[i]
		for k := range i {
			s -= l[i*n+k] * b[k]
		}
		b[i] = s / l[i*n+i]
	}
	for i := n - 1; i >= 0; i-- {
		s := b[i]
		for k := i + 1; k < n; k++ {
			s -= l[k*n+i] * b[k]
		}
		b[i] = s / l[i*n+i]
	}
}
