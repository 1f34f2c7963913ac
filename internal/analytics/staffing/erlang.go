// Package staffing sizes contact-center queues: Erlang B and C, Erlang A
// (callers who hang up), required agents for a service-level target,
// scheduled staff after shrinkage, chat concurrency and a day plan built from
// an interval forecast.
//
// Units: load a is in Erlangs (calls × handle time / interval length);
// handle, answer and patience times are time.Durations; probabilities are
// shares in [0, 1].
package staffing

import (
	"math"
	"time"

	"github.com/vernost/vernost"
)

// maxLoad bounds the offered load so that the O(a) recurrences stay fast;
// 10⁶ Erlangs is far beyond any single queue.
const maxLoad = 1e6

// Load is the offered load in Erlangs of calls arriving in an interval, each
// needing aht of agent time.
func Load(calls float64, interval, aht time.Duration) (float64, error) {
	if math.IsNaN(calls) || math.IsInf(calls, 0) || calls < 0 {
		return 0, vernost.Invalid("calls", "%v is not a non-negative number of calls", calls)
	}
	if interval <= 0 {
		return 0, vernost.Invalid("interval", "%v is not a positive interval length", interval)
	}
	if aht <= 0 {
		return 0, vernost.Invalid("aht", "%v is not a positive handle time", aht)
	}
	a := calls * aht.Seconds() / interval.Seconds()
	if err := checkLoad(a); err != nil {
		return 0, err
	}
	return a, nil
}

// ErlangB is the blocking probability for offered load a (Erlangs) on n servers.
//
// It uses the recurrence B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)): every
// step is a ratio of positive numbers, so nothing overflows or cancels and
// the result is accurate for thousands of servers, unlike aᴺ/N!.
func ErlangB(n int, a float64) (float64, error) {
	if n < 0 {
		return 0, vernost.Invalid("agents", "%d is negative", n)
	}
	if err := checkLoad(a); err != nil {
		return 0, err
	}
	return erlangBFromZero(n, a), nil
}

// erlangBFromZero runs the recurrence from B(0) = 1. While k ≤ a it uses
// the equivalent 1/B(k) = 1 + (k/a)/B(k−1): no division on the critical
// path, and the factor k/a ≤ 1 keeps 1/B below k+1 and damps rounding
// errors. Past a, where 1/B grows fast, it switches to B itself.
func erlangBFromZero(n int, a float64) float64 {
	limit := min(n, int(math.Floor(a)))
	inv, invA := 1.0, 1/a
	for k := 1; k <= limit; k++ {
		inv = 1 + inv*(float64(k)*invA)
	}
	return erlangB(n, a, 1/inv, max(limit, 0))
}

// erlangB continues the recurrence from B(from) = b up to B(n).
func erlangB(n int, a, b float64, from int) float64 {
	for k := from + 1; k <= n; k++ {
		ab := a * b
		b = ab / (float64(k) + ab)
	}
	return b
}

// ErlangC is the probability that an arriving call waits (n agents, load a
// Erlangs); error if a >= n or inputs invalid.
func ErlangC(n int, a float64) (float64, error) {
	if err := checkStable(n, a); err != nil {
		return 0, err
	}
	return erlangCFromB(n, a, erlangBFromZero(n, a)), nil
}

// erlangCFromB converts Erlang B on n servers to Erlang C; a < n.
func erlangCFromB(n int, a, b float64) float64 {
	nf := float64(n)
	return nf * b / (nf - a*(1-b))
}

// ServiceLevel is P(wait <= target) under Erlang C.
func ServiceLevel(n int, a float64, aht, target time.Duration) (float64, error) {
	if err := checkStable(n, a); err != nil {
		return 0, err
	}
	if err := checkTimes(aht, target); err != nil {
		return 0, err
	}
	c := erlangCFromB(n, a, erlangBFromZero(n, a))
	return serviceLevelC(n, a, c, aht.Seconds(), target.Seconds()), nil
}

// serviceLevelC is 1 − C·e^{−(n−a)·t/aht}: a waiting call's wait is
// exponential with rate (n − a)/aht.
func serviceLevelC(n int, a, c, aht, t float64) float64 {
	return 1 - c*math.Exp(-(float64(n)-a)*t/aht)
}

// ASA is the mean wait of all calls under Erlang C.
func ASA(n int, a float64, aht time.Duration) (time.Duration, error) {
	if err := checkStable(n, a); err != nil {
		return 0, err
	}
	if err := checkTimes(aht, 0); err != nil {
		return 0, err
	}
	c := erlangCFromB(n, a, erlangBFromZero(n, a))
	return seconds(asaC(n, a, c, aht.Seconds())), nil
}

// asaC is C·aht/(n − a) in seconds.
func asaC(n int, a, c, aht float64) float64 { return c * aht / (float64(n) - a) }

// Occupancy is the share of time agents are busy, a/n, under Erlang C.
func Occupancy(n int, a float64) (float64, error) {
	if err := checkStable(n, a); err != nil {
		return 0, err
	}
	return a / float64(n), nil
}

func checkLoad(a float64) error {
	switch {
	case math.IsNaN(a) || math.IsInf(a, 0) || a < 0:
		return vernost.Invalid("load", "%v is not a non-negative number of Erlangs", a)
	case a > maxLoad:
		return vernost.Invalid("load", "%.6g Erlangs is more than one queue can be sized for (at most %g)", a, float64(maxLoad))
	}
	return nil
}

// checkStable rejects loads Erlang C has no steady state for: with a ≥ n
// the queue grows without bound.
func checkStable(n int, a float64) error {
	if n < 1 {
		return vernost.Invalid("agents", "%d: need at least one agent", n)
	}
	if err := checkLoad(a); err != nil {
		return err
	}
	if a >= float64(n) {
		return vernost.Invalid("agents", "%d agents cannot carry %.4g Erlangs: the load must be below the number of agents, or the queue grows without end", n, a)
	}
	return nil
}

func checkTimes(aht, target time.Duration) error {
	if aht <= 0 {
		return vernost.Invalid("aht", "%v is not a positive handle time", aht)
	}
	if target < 0 {
		return vernost.Invalid("target", "answer time %v is negative", target)
	}
	return nil
}

// seconds converts float seconds to a Duration, rounded to the nanosecond.
func seconds(s float64) time.Duration {
	return time.Duration(math.Round(s * float64(time.Second)))
}
