package clv

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"github.com/vernost/vernost"
)

// Estimate is one fitted parameter with its asymptotic standard error.
type Estimate struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	SE    float64 `json:"se"`
}

// FitResult describes a maximum-likelihood fit.
type FitResult struct {
	Model         string     `json:"model"`
	Params        []Estimate `json:"params"`
	LogLikelihood float64    `json:"log_likelihood"`
	Customers     int        `json:"customers"`
	Iterations    int        `json:"iterations"`
}

// negLogLik returns the negative log-likelihood at the (positive) parameters
// theta; when grad is not nil and the model has an analytic gradient it also
// stores ∂(-LL)/∂theta there. ok reports whether grad was filled.
type negLogLik func(theta, grad []float64) (nll float64, ok bool)

// minRepeatBuyers is the fewest customers with a repeat purchase for which
// the repeat-buying models are worth fitting: with fewer, the likelihood is
// nearly flat in the dropout parameters and the fit reports noise.
const minRepeatBuyers = 5

// maximizeLikelihood finds the maximum-likelihood parameters by BFGS on
// log-parameters (which keeps them positive and evens out their scales), then
// derives standard errors from the inverse of the numerical Hessian of the
// negative log-likelihood at the optimum.
func maximizeLikelihood(ctx context.Context, model string, names []string, start []float64, n int, nll negLogLik) (FitResult, error) {
	dim := len(start)
	theta := make([]float64, dim)
	gradTheta := make([]float64, dim)
	// The objective is the mean negative log-likelihood, so that one gradient
	// tolerance suits 2,000 customers and 1,000,000 alike.
	scale := 1 / float64(n)
	var (
		cacheX    []float64
		cacheF    float64
		cacheG    = make([]float64, dim)
		cacheHasG bool
	)
	eval := func(x []float64, wantGrad bool) (float64, []float64) {
		if cacheX != nil && slices.Equal(cacheX, x) && (!wantGrad || cacheHasG) {
			return cacheF, cacheG
		}
		for i := range x {
			theta[i] = math.Exp(x[i])
		}
		var g []float64
		if wantGrad {
			g = gradTheta
		}
		f, analytic := nll(theta, g)
		cacheX = append(cacheX[:0], x...)
		cacheF, cacheHasG = f*scale, false
		if wantGrad && analytic {
			for i := range cacheG {
				cacheG[i] = gradTheta[i] * theta[i] * scale
			}
			cacheHasG = true
		}
		return cacheF, cacheG
	}
	problem := optimize.Problem{
		Func: func(x []float64) float64 {
			f, _ := eval(x, false)
			return f
		},
		Grad: func(grad, x []float64) {
			_, g := eval(x, true)
			if cacheHasG {
				copy(grad, g)
				return
			}
			numericGradient(grad, x, func(y []float64) float64 { f, _ := eval(y, false); return f })
		},
		Status: func() (optimize.Status, error) {
			if err := ctx.Err(); err != nil {
				return optimize.Failure, err
			}
			return optimize.NotTerminated, nil
		},
	}
	x0 := make([]float64, dim)
	for i, v := range start {
		x0[i] = math.Log(v)
	}
	settings := &optimize.Settings{
		GradientThreshold: 1e-9,
		MajorIterations:   500,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-13, Relative: 1e-13, Iterations: 20},
	}
	res, err := optimize.Minimize(problem, x0, settings, &optimize.BFGS{})
	if ctxErr := ctx.Err(); ctxErr != nil {
		return FitResult{}, ctxErr
	}
	if res == nil || (err != nil && !usableStop(res)) {
		return FitResult{}, vernost.Errorf(vernost.EInvalid, "%s: the likelihood could not be maximized on this data (%v)", model, err)
	}
	for i, x := range res.X {
		theta[i] = math.Exp(x)
		if math.IsNaN(theta[i]) || math.IsInf(theta[i], 0) || theta[i] < 1e-8 || theta[i] > 1e8 {
			return FitResult{}, vernost.Errorf(vernost.EInvalid,
				"%s: parameter %s ran off to %g: the data do not identify the model (too few repeat purchases?)", model, names[i], theta[i])
		}
	}
	ll, _ := nll(theta, nil)
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return FitResult{}, vernost.Errorf(vernost.EInvalid, "%s: the log-likelihood is not finite at the optimum", model)
	}
	se, err := standardErrors(theta, nll)
	if err != nil {
		return FitResult{}, vernost.Errorf(vernost.EInvalid, "%s: %v", model, err)
	}
	fit := FitResult{Model: model, LogLikelihood: -ll, Customers: n, Iterations: res.MajorIterations}
	for i, name := range names {
		fit.Params = append(fit.Params, Estimate{Name: name, Value: theta[i], SE: se[i]})
	}
	return fit, nil
}

// usableStop accepts a line search that can make no further progress: at a
// flat optimum in float64 that is convergence, and the Hessian check below
// still rejects a point that is not a proper maximum.
func usableStop(res *optimize.Result) bool {
	return res.Status != optimize.Failure || res.MajorIterations > 0
}

// numericGradient fills grad with central differences of f at x.
func numericGradient(grad, x []float64, f func([]float64) float64) {
	y := slices.Clone(x)
	for i := range x {
		h := 1e-5 * math.Max(1, math.Abs(x[i]))
		y[i] = x[i] + h
		fp := f(y)
		y[i] = x[i] - h
		fm := f(y)
		y[i] = x[i]
		grad[i] = (fp - fm) / (2 * h)
	}
}

// standardErrors inverts the observed information, the Hessian of the negative
// log-likelihood in the natural parameters, computed by central differences
// of the analytic gradient when there is one and of the function otherwise.
func standardErrors(theta []float64, nll negLogLik) ([]float64, error) {
	dim := len(theta)
	h := make([]float64, dim)
	for i, v := range theta {
		h[i] = 1e-4 * v
	}
	hess := mat.NewSymDense(dim, nil)
	probe := slices.Clone(theta)
	gp, gm := make([]float64, dim), make([]float64, dim)
	if _, analytic := nll(theta, gp); analytic {
		for j := range dim {
			probe[j] = theta[j] + h[j]
			nll(probe, gp)
			probe[j] = theta[j] - h[j]
			nll(probe, gm)
			probe[j] = theta[j]
			for i := 0; i <= j; i++ {
				// Average the two one-sided estimates of the symmetric entry.
				d := (gp[i] - gm[i]) / (2 * h[j])
				if i == j {
					hess.SetSym(i, j, d)
				} else {
					hess.SetSym(i, j, (hess.At(i, j)+d)/2)
				}
			}
			for i := j + 1; i < dim; i++ {
				hess.SetSym(i, j, (gp[i]-gm[i])/(2*h[j]))
			}
		}
	} else {
		f := func(p []float64) float64 { v, _ := nll(p, nil); return v }
		f0 := f(theta)
		for i := range dim {
			for j := 0; j <= i; j++ {
				var d float64
				if i == j {
					probe[i] = theta[i] + h[i]
					fp := f(probe)
					probe[i] = theta[i] - h[i]
					fm := f(probe)
					d = (fp - 2*f0 + fm) / (h[i] * h[i])
				} else {
					corner := func(si, sj float64) float64 {
						probe[i], probe[j] = theta[i]+si*h[i], theta[j]+sj*h[j]
						return f(probe)
					}
					d = (corner(1, 1) - corner(1, -1) - corner(-1, 1) + corner(-1, -1)) / (4 * h[i] * h[j])
				}
				probe[i], probe[j] = theta[i], theta[j]
				hess.SetSym(i, j, d)
			}
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(hess) {
		return nil, errors.New("the information matrix is singular or not positive definite at the optimum: the parameters are not identified by this data")
	}
	var cov mat.SymDense
	if err := chol.InverseTo(&cov); err != nil {
		return nil, fmt.Errorf("invert the information matrix: %w", err)
	}
	se := make([]float64, dim)
	for i := range se {
		v := cov.At(i, i)
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, errors.New("the information matrix is singular at the optimum: the parameters are not identified by this data")
		}
		se[i] = math.Sqrt(v)
	}
	return se, nil
}

// parallelSum splits [0, n) into one chunk per CPU and adds up what part
// returns for each chunk. Small inputs run on the calling goroutine.
func parallelSum(n int, part func(lo, hi int, acc []float64) float64, accLen int) (float64, []float64) {
	workers := runtime.GOMAXPROCS(0)
	if n < 20000 || workers == 1 {
		acc := make([]float64, accLen)
		return part(0, n, acc), acc
	}
	sums := make([]float64, workers)
	accs := make([][]float64, workers)
	var wg sync.WaitGroup
	for w := range workers {
		accs[w] = make([]float64, accLen)
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			sums[w] = part(lo, hi, accs[w])
		}()
	}
	wg.Wait()
	total, acc := 0.0, make([]float64, accLen)
	for w := range workers {
		total += sums[w]
		for i := range acc {
			acc[i] += accs[w][i]
		}
	}
	return total, acc
}

// rfmGroup is one distinct (x, t_x, T) history and how many customers share
// it; fitting on groups rather than customers costs the same answer and, on
// day-grained data, a fraction of the time.
type rfmGroup struct {
	x       int
	xi      int32 // index of x in rfmData.xs
	txi, Ti int32 // indexes of t_x and T in rfmData.times
	tx, T   float64
	weight  float64
}

// rfmData is a fitting data set of repeat-purchase histories.
type rfmData struct {
	groups       []rfmGroup
	xs           []int     // distinct frequencies, ascending
	times        []float64 // distinct values of t_x and T, ascending
	customers    int
	repeatBuyers int
}

func newRFMData(cs []Customer) (*rfmData, error) {
	if err := validateCustomers(cs); err != nil {
		return nil, err
	}
	type key struct {
		x     int
		tx, T float64
	}
	index := make(map[key]int32, len(cs)/2)
	d := &rfmData{customers: len(cs)}
	seenX := map[int]bool{}
	for _, c := range cs {
		if c.Frequency > 0 {
			d.repeatBuyers++
		}
		k := key{c.Frequency, c.Recency, c.T}
		if i, ok := index[k]; ok {
			d.groups[i].weight++
			continue
		}
		index[k] = int32(len(d.groups))
		d.groups = append(d.groups, rfmGroup{x: c.Frequency, tx: c.Recency, T: c.T, weight: 1})
		if !seenX[c.Frequency] {
			seenX[c.Frequency] = true
			d.xs = append(d.xs, c.Frequency)
		}
	}
	slices.Sort(d.xs)
	// Real logs are day-grained, so ages and recencies take few distinct
	// values: the likelihood takes its logarithms once per value, not per group.
	d.times = make([]float64, 0, 2*len(d.groups))
	for _, g := range d.groups {
		d.times = append(d.times, g.tx, g.T)
	}
	slices.Sort(d.times)
	d.times = slices.Compact(d.times)
	for i := range d.groups {
		g := &d.groups[i]
		xi, _ := slices.BinarySearch(d.xs, g.x)
		txi, _ := slices.BinarySearch(d.times, g.tx)
		ti, _ := slices.BinarySearch(d.times, g.T)
		g.xi, g.txi, g.Ti = int32(xi), int32(txi), int32(ti)
	}
	return d, nil
}

// checkRepeatBuyers refuses data that cannot identify a repeat-buying model.
func (d *rfmData) checkRepeatBuyers(model string) error {
	if d.repeatBuyers < minRepeatBuyers {
		return vernost.Errorf(vernost.EInvalid,
			"%s cannot be fitted: only %d of %d customers made a repeat purchase; at least %d are needed",
			model, d.repeatBuyers, d.customers, minRepeatBuyers)
	}
	return nil
}

// meanT is the average customer age, the natural scale for the rate parameters.
func (d *rfmData) meanT() float64 {
	var sum, w float64
	for _, g := range d.groups {
		sum += g.T * g.weight
		w += g.weight
	}
	return math.Max(sum/w, 1e-3)
}
