package staffing

import (
	"math"
	"time"

	"github.com/vernost/vernost"
)

// Erlang A is the M/M/n+M queue: Poisson arrivals at rate λ, n agents with
// exponential handle times of mean aht (μ = 1/aht), and callers who hang up
// after an exponential patience of mean 1/θ if nobody has answered them.
//
// With x = nμ/θ and y = λ/θ, the stationary distribution has
// π(n+j) = π(n)·rⱼ with rⱼ = yʲ/((x+1)…(x+j)) for callers in queue, so
// Σ rⱼ = A = x·F(x, y) (gamma.go), and a waiting caller's virtual wait
// (the wait before service if it never hung up) has the density
// g(v) = nμ·exp(−nμv + y(1 − e^{−θv})) summed over the queue it finds. From
// these, exactly (Garnett, Mandelbaum & Reiman 2002; Mandelbaum & Zeltyn,
// "The Palm/Erlang-A queue"):
//
//	π(n)              = 1/(L + A), L = Σ_{k<n} aᵏ/k! ÷ aⁿ/n! = 1/B(n, a) − 1
//	P(wait)           = π(n)·A
//	P(abandon)        = π(n)·Σ j·rⱼ / y        (θ·E[queue] = λ·P(abandon))
//	P(answered, W>t)  = π(n)·∫ₜ^∞ g(v)e^{−θv} dv = π(n)·x·e^{y−z}(z/y)^{x+1}·F(x+1, z), z = y·e^{−θt}
//
// The mean wait of answered callers, π(n)·∫₀^∞ v·g(v)e^{−θv} dv, has no
// closed form and is integrated numerically (quad.go) to 10⁻¹⁰.

// ErlangAResult holds the steady-state measures of an M/M/n+M queue.
type ErlangAResult struct {
	// PWait is the share of callers who find every agent busy; they either
	// wait and are answered or hang up.
	PWait float64
	// PAbandon is the share of callers who hang up before an answer.
	PAbandon float64
	// ServiceLevel is the share of all arriving callers who are answered
	// within the target time. Callers who hang up count as misses even when
	// they hang up before the target (the strict convention; some ACDs leave
	// short abandons out of the denominator, which reads higher).
	ServiceLevel float64
	// ASA is the mean wait of answered callers, those answered at once
	// counting as zero. As patience grows it becomes Erlang C's ASA.
	ASA time.Duration
	// QueueTime is the mean time in queue over all callers, abandoned ones
	// included; it equals PAbandon × mean patience.
	QueueTime time.Duration
	// Occupancy is the share of agent time spent on calls: the carried load
	// a·(1 − PAbandon) over n.
	Occupancy float64
}

// maxPatienceRatio caps patience/aht: beyond ten million handle times
// Erlang A equals Erlang C to every printed digit, and the series would only
// get slower.
const maxPatienceRatio = 1e7

// ErlangA computes M/M/n+M measures for n agents, arrivalRate callers per
// second, mean handle time aht, mean patience, and the service-level target
// answer time. Unlike Erlang C it accepts loads at or above n: callers who
// hang up keep the queue finite.
func ErlangA(n int, arrivalRate float64, aht, patience, target time.Duration) (ErlangAResult, error) {
	if math.IsNaN(arrivalRate) || math.IsInf(arrivalRate, 0) || arrivalRate < 0 {
		return ErlangAResult{}, vernost.Invalid("arrival_rate", "%v is not a non-negative rate", arrivalRate)
	}
	if err := checkTimes(aht, target); err != nil {
		return ErlangAResult{}, err
	}
	a := arrivalRate * aht.Seconds()
	if err := checkErlangA(n, a, aht, patience); err != nil {
		return ErlangAResult{}, err
	}
	return erlangA(n, a, aht.Seconds(), patience.Seconds(), target.Seconds())
}

func checkErlangA(n int, a float64, aht, patience time.Duration) error {
	if n < 1 {
		return vernost.Invalid("agents", "%d: need at least one agent", n)
	}
	if err := checkLoad(a); err != nil {
		return err
	}
	if patience <= 0 {
		return vernost.Invalid("patience", "%v is not a positive mean patience", patience)
	}
	if patience.Seconds() > maxPatienceRatio*aht.Seconds() {
		return vernost.Invalid("patience", "%v is over %g handle times; callers that patient never hang up, use Erlang C", patience, maxPatienceRatio)
	}
	return nil
}

// erlangA works in seconds; inputs are valid.
func erlangA(n int, a, aht, patience, t float64) (ErlangAResult, error) {
	if a == 0 {
		return ErlangAResult{ServiceLevel: 1}, nil
	}
	nf := float64(n)
	theta := 1 / patience
	x := nf * patience / aht // nμ/θ
	y := a * patience / aht  // λ/θ

	// A = Σ rⱼ is astronomically large when the queue is overloaded and
	// patience long, so it is kept as a logarithm, and the measures are
	// formed from ratios: P(wait) = A/(L + A) = 1/(1 + L/A) and
	// P(abandon) = P(wait)·(D/A)/y with D = Σ j·rⱼ.
	var lnA, dOverA float64
	if y < x+1 {
		s0, s1, err := gammaSeries(x, y)
		if err != nil {
			return ErlangAResult{}, vernost.Internal(err)
		}
		lnA, dOverA = math.Log(x*s0), s1/s0
	} else {
		lf, err := lnF(x, y)
		if err != nil {
			return ErlangAResult{}, vernost.Internal(err)
		}
		lnA = math.Log(x) + lf
		// D = x + (y − x)·A; both terms are positive here.
		dOverA = (y - x) + x*math.Exp(-lnA)
	}
	pWait := 1 / (1 + math.Exp(lnBelow(n, a)-lnA))
	lnPi := math.Log(pWait) - lnA // ln π(n)
	res := ErlangAResult{PWait: pWait, PAbandon: pWait * dOverA / y}

	z := y * math.Exp(-theta*t)
	lfz, err := lnF(x+1, z)
	if err != nil {
		return ErlangAResult{}, vernost.Internal(err)
	}
	lnLate := lnPi + math.Log(x) - y*math.Expm1(-theta*t) - (x+1)*theta*t + lfz
	res.ServiceLevel = clamp01(1 - res.PAbandon - math.Exp(lnLate))

	if res.PWait > 0 {
		lnW, err := lnAnsweredWait(nf/aht, theta, y)
		if err != nil {
			return ErlangAResult{}, vernost.Internal(err)
		}
		res.ASA = seconds(math.Exp(lnPi+math.Log(nf/aht)+lnW) / (1 - res.PAbandon))
	}
	res.QueueTime = seconds(res.PAbandon * patience)
	res.Occupancy = clamp01(a * (1 - res.PAbandon) / nf)
	return res, nil
}

// lnBelow is ln L, L = Σ_{k<n} aᵏ/k! ÷ aⁿ/n!, the weight of the states with
// a free agent relative to the state with all n busy. When a < n it comes
// from Erlang B (L = 1/B − 1, B ≤ ½ so no cancellation; +Inf once B
// underflows); otherwise from L(k) = (k/a)(1 + L(k−1)), which stays below n.
func lnBelow(n int, a float64) float64 {
	if a < float64(n) {
		b := erlangBFromZero(n, a)
		if b == 0 {
			return math.Inf(1)
		}
		return math.Log1p(-b) - math.Log(b)
	}
	l := 0.0
	for k := 1; k <= n; k++ {
		l = float64(k) / a * (1 + l)
	}
	return math.Log(l)
}

// lnAnsweredWait returns ln ∫₀^∞ v·e^{ψ(v)} dv with
// ψ(v) = −(nμ+θ)v + y(1 − e^{−θv}), so that nμ times the integral is the
// waiting time of answered callers summed over the queue they find. The
// integrand e^{h(v)}, h = ln v + ψ, is log-concave; it is integrated between
// the points where it has fallen by e⁻⁴⁶ (below 10⁻²⁰ of its peak).
func lnAnsweredWait(nmu, theta, y float64) (float64, error) {
	lambda := y * theta
	rate := nmu + theta
	dh := func(v float64) float64 { return 1/v - rate + lambda*math.Exp(-theta*v) }

	// dh falls from +∞ to −rate: bracket its root, then bisect.
	lo, hi := 0.0, 1/rate
	for dh(hi) > 0 {
		lo, hi = hi, 2*hi
	}
	for i := 0; i < 200 && hi-lo > 1e-12*hi; i++ {
		if mid := (lo + hi) / 2; dh(mid) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	peak := (lo + hi) / 2
	top := math.Log(peak) - rate*peak - y*math.Expm1(-theta*peak)

	// In overload with patient callers the peak lies near patience·ln ρ and
	// rate·v and y(1 − e^{−θv}) are huge and nearly equal; h(v) − h(peak) is
	// therefore written in d = v − peak without that cancellation, using
	// c = λe^{−θ·peak}:
	//   ln(1 + d/peak) − (rate − c)·d − (c/θ)·(e^{−θd} − 1 + θd).
	c := lambda * math.Exp(-theta*peak)
	rel := func(d float64) float64 {
		return math.Log1p(d/peak) - (rate-c)*d - c/theta*expm1mx(-theta*d)
	}

	// rel rises to 0 at d = 0 and falls after: bisect for the points where
	// it is drop below, keeping the side just outside.
	const drop = 46
	low := func(d float64) bool { return rel(d) < -drop }
	step := math.Max(peak, 1/rate)
	for !low(step) {
		step *= 2
	}
	endIn, end := 0.0, step
	startOut, startIn := -peak, 0.0
	for i := 0; i < 80; i++ {
		if mid := (endIn + end) / 2; low(mid) {
			end = mid
		} else {
			endIn = mid
		}
		if mid := (startOut + startIn) / 2; low(mid) {
			startOut = mid
		} else {
			startIn = mid
		}
	}
	f := func(d float64) float64 {
		if d <= -peak {
			return 0
		}
		return math.Exp(rel(d))
	}
	integral, err := integrate(f, 1e-10, startOut, 0, end)
	if err != nil {
		return 0, err
	}
	return top + math.Log(integral), nil
}

// expm1mx is eᵘ − 1 − u without cancellation for small u.
func expm1mx(u float64) float64 {
	if math.Abs(u) > 0.5 {
		return math.Expm1(u) - u
	}
	// u²/2! + u³/3! + …; at |u| ≤ ½ twenty terms reach 10⁻²⁰ of the sum.
	sum, term := 0.0, u
	for k := 2; k < 24; k++ {
		term *= u / float64(k)
		next := sum + term
		if next == sum {
			break
		}
		sum = next
	}
	return sum
}

// logAddExp is ln(eᵖ + e^q) without overflow.
func logAddExp(p, q float64) float64 {
	if p < q {
		p, q = q, p
	}
	if math.IsInf(p, 0) || math.IsInf(q, -1) {
		return p
	}
	return p + math.Log1p(math.Exp(q-p))
}

func clamp01(p float64) float64 { return math.Max(0, math.Min(1, p)) }
