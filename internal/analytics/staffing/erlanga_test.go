package staffing

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/mathext"

	"github.com/vernost/vernost"
)

type erlangACase struct {
	n                   int
	a, aht, patience, t float64 // seconds
}

func (c erlangACase) String() string {
	return fmt.Sprintf("n=%d a=%v aht=%vs patience=%vs t=%vs", c.n, c.a, c.aht, c.patience, c.t)
}

// birthDeath computes Erlang A state by state, with none of the closed
// forms: the stationary distribution by its product formula, and for a
// caller who finds j others queued, the chance to be answered, x/(x+j+1),
// and the wait when answered, a sum of exponential stages with rates
// θ(x+1), …, θ(x+j+1), whose distribution is the regularised incomplete
// beta I(1−e^{−θt}; j+1, x+1).
func birthDeath(c erlangACase) ErlangAResult {
	theta := 1 / c.patience
	x := float64(c.n) * c.patience / c.aht
	y := c.a * c.patience / c.aht
	below, w := 0.0, 1.0 // weights relative to the state with n busy
	for k := c.n; k >= 1; k-- {
		w *= float64(k) / c.a
		below += w
	}
	u := -math.Expm1(-theta * c.t)
	var queued, abandon, answeredInTime, answeredWait float64
	r, stages := 1.0, 0.0
	for j := 0; ; j++ {
		if j > 0 {
			r *= y / (x + float64(j))
		}
		answer := x / (x + float64(j) + 1)
		stages += 1 / (theta * (x + float64(j) + 1))
		queued += r
		abandon += r * (1 - answer)
		answeredInTime += r * answer * mathext.RegIncBeta(float64(j)+1, x+1, u)
		answeredWait += r * answer * stages
		if float64(j) > y-x && r < 1e-18*queued {
			break
		}
	}
	total := below + queued
	pAb := abandon / total
	return ErlangAResult{
		PWait:        queued / total,
		PAbandon:     pAb,
		ServiceLevel: (below + answeredInTime) / total,
		ASA:          seconds(answeredWait / total / (1 - pAb)),
	}
}

var erlangACases = []erlangACase{
	{14, 10, 180, 120, 20},   // the worked example with impatient callers
	{8, 10, 180, 60, 20},     // overloaded: only abandonment keeps it finite
	{3, 2.5, 300, 600, 60},   // small team, patient callers
	{50, 48, 240, 180, 15},   // large team near capacity
	{1, 0.5, 60, 30, 0},      // one agent, target "answered at once"
	{20, 30, 120, 1200, 30},  // heavily overloaded, patient: continued-fraction branch
	{30, 20, 60, 10, 5},      // patience far shorter than a call
	{12, 11.9, 200, 2000, 1}, // y = x − 1 almost: the branch boundary
}

func TestErlangAMatchesBirthDeath(t *testing.T) {
	for _, c := range erlangACases {
		got, err := erlangA(c.n, c.a, c.aht, c.patience, c.t)
		if err != nil {
			t.Fatalf("%v: %v", c, err)
		}
		want := birthDeath(c)
		// Closed forms and the state sums agree to rounding; 1e-10 leaves
		// room for gonum's incomplete beta.
		for _, m := range []struct {
			name      string
			got, want float64
		}{
			{"P(wait)", got.PWait, want.PWait},
			{"P(abandon)", got.PAbandon, want.PAbandon},
			{"service level", got.ServiceLevel, want.ServiceLevel},
		} {
			if math.Abs(m.got-m.want) > 1e-10 {
				t.Errorf("%v: %s = %.13f, state by state %.13f (± 1e-10)", c, m.name, m.got, m.want)
			}
		}
		// The quadrature is asked for 1e-10 relative.
		if g, w := got.ASA.Seconds(), want.ASA.Seconds(); math.Abs(g-w) > 1e-8*w+1e-9 {
			t.Errorf("%v: ASA = %.10fs, state by state %.10fs (± 1e-8 relative)", c, g, w)
		}
		if want := got.PAbandon * c.patience; math.Abs(got.QueueTime.Seconds()-want) > 1e-9 {
			t.Errorf("%v: queue time %v, want P(abandon) × patience = %.9fs", c, got.QueueTime, want)
		}
	}
}

// TestErlangAReducesToErlangC: as patience grows, Erlang A must approach
// Erlang C, and ever more closely.
func TestErlangAReducesToErlangC(t *testing.T) {
	const n, a = 14, 10.0
	aht, target := 180*time.Second, 20*time.Second
	pw, _ := ErlangC(n, a)
	sl, _ := ServiceLevel(n, a, aht, target)
	asa, _ := ASA(n, a, aht)
	prev := math.Inf(1)
	for _, ratio := range []float64{1e2, 1e4, 1e6, 1e7} {
		patience := time.Duration(ratio * float64(aht))
		got, err := ErlangA(n, a/aht.Seconds(), aht, patience, target)
		if err != nil {
			t.Fatalf("patience %v: %v", patience, err)
		}
		gap := math.Max(math.Max(math.Abs(got.PWait-pw), math.Abs(got.ServiceLevel-sl)),
			math.Max(got.PAbandon, math.Abs(got.ASA.Seconds()-asa.Seconds())/asa.Seconds()))
		if gap >= prev {
			t.Errorf("patience %v×AHT: distance to Erlang C %.3g did not shrink from %.3g", ratio, gap, prev)
		}
		// The distance is of order AHT/patience (one more abandon per
		// patience/AHT callers); allow ten times that.
		if gap > 10/ratio {
			t.Errorf("patience %v×AHT: distance to Erlang C %.3g, want below %.3g", ratio, gap, 10/ratio)
		}
		prev = gap
	}
}

// TestErlangAOverload: callers beyond what n agents can carry must hang up,
// so a·(1 − P(abandon)) ≤ n; very patient callers make it an equality.
func TestErlangAOverload(t *testing.T) {
	for _, patience := range []float64{30, 300, 3e5} {
		got, err := erlangA(8, 10, 180, patience, 20)
		if err != nil {
			t.Fatal(err)
		}
		if carried := 10 * (1 - got.PAbandon); carried > 8+1e-9 {
			t.Errorf("patience %vs: carried load %.6f exceeds the 8 agents", patience, carried)
		}
		if patience == 3e5 && math.Abs(got.PAbandon-0.2) > 1e-3 {
			t.Errorf("patience %vs: P(abandon) = %.6f, want 1 − 8/10 = 0.2 ± 1e-3", patience, got.PAbandon)
		}
	}
}

// simulate runs a seeded discrete-event simulation of M/M/n+M in first-come
// first-served order: each caller is taken by the agent who frees up first,
// at max(arrival, that time), unless that is beyond its patience. Statistics
// are batch means over 20 batches after a warm-up, giving each measure's
// mean and standard error.
func simulate(c erlangACase, arrivals int, seed uint64) (mean, se [4]float64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	lambda := c.a / c.aht
	freeAt := make([]float64, c.n)
	const batches = 20
	warmup := arrivals / 10
	perBatch := (arrivals - warmup) / batches
	var batch [batches][4]float64
	now := 0.0
	var waited, abandoned, inTime, served, waitServed float64
	for i := 0; i < warmup+batches*perBatch; i++ {
		now += rng.ExpFloat64() / lambda
		first := 0
		for k, f := range freeAt {
			if f < freeAt[first] {
				first = k
			}
		}
		wait := math.Max(0, freeAt[first]-now)
		if wait > 0 {
			waited++
		}
		if patience := rng.ExpFloat64() * c.patience; wait > patience {
			abandoned++
		} else {
			freeAt[first] = now + wait + rng.ExpFloat64()*c.aht
			served++
			waitServed += wait
			if wait <= c.t {
				inTime++
			}
		}
		if i == warmup-1 {
			waited, abandoned, inTime, served, waitServed = 0, 0, 0, 0, 0
		}
		if j := i - warmup; j >= 0 && (j+1)%perBatch == 0 {
			n := float64(perBatch)
			batch[j/perBatch] = [4]float64{waited / n, abandoned / n, inTime / n, waitServed / served}
			waited, abandoned, inTime, served, waitServed = 0, 0, 0, 0, 0
		}
	}
	for m := range 4 {
		for _, b := range batch {
			mean[m] += b[m] / batches
		}
		for _, b := range batch {
			se[m] += (b[m] - mean[m]) * (b[m] - mean[m])
		}
		se[m] = math.Sqrt(se[m] / (batches - 1) / batches)
	}
	return mean, se
}

func TestErlangAAgreesWithSimulation(t *testing.T) {
	cases := []erlangACase{
		{14, 10, 180, 120, 20},
		{8, 10, 180, 60, 20},
		{2, 1.8, 60, 90, 10},
	}
	for i, c := range cases {
		got, err := erlangA(c.n, c.a, c.aht, c.patience, c.t)
		if err != nil {
			t.Fatal(err)
		}
		mean, se := simulate(c, 500_000, uint64(i+1))
		formula := [4]float64{got.PWait, got.PAbandon, got.ServiceLevel, got.ASA.Seconds()}
		names := [4]string{"P(wait)", "P(abandon)", "service level", "ASA seconds"}
		for m := range 4 {
			// Four standard errors of the batch means: a correct formula
			// fails this about once in 16,000 seeds; a formula off by a few
			// percent fails it every time.
			if math.Abs(formula[m]-mean[m]) > 4*se[m] {
				t.Errorf("%v: %s = %.5f, simulation %.5f ± %.5f (4 standard errors)", c, names[m], formula[m], mean[m], 4*se[m])
			}
			// The simulation must be precise enough to catch an error:
			// probabilities to ±0.02, ASA to ±12% (a mean wait over all
			// callers instead of answered ones is 15–20% off).
			limit := 0.005
			if m == 3 {
				limit = 0.03 * formula[m]
			}
			if se[m] > limit {
				t.Errorf("%v: %s simulated with standard error %.4f, too loose to test (want ≤ %.4f)", c, names[m], se[m], limit)
			}
		}
	}
}

func TestStaffErlangAIsFewest(t *testing.T) {
	targets := []Target{
		{ServiceLevel: 0.8, AnswerTime: 20 * time.Second},
		{MaxAbandon: 0.03},
		{ServiceLevel: 0.9, AnswerTime: 30 * time.Second, MaxASA: 10 * time.Second, MaxOccupancy: 0.9},
	}
	for _, a := range []float64{0.7, 10, 55.5} {
		for _, tg := range targets {
			q := Queue{Load: a, AHT: 3 * time.Minute, Patience: 90 * time.Second}
			r, err := q.Staff(tg)
			if err != nil {
				t.Fatalf("a=%v %+v: %v", a, tg, err)
			}
			want := 1
			for !meets(q, want, tg) {
				want++
			}
			if r.Agents != want {
				t.Errorf("a=%v %+v: Staff gives %d agents, counting up from 1 gives %d", a, tg, r.Agents, want)
			}
		}
	}
}

func TestErlangABadInput(t *testing.T) {
	aht := 3 * time.Minute
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"zero patience", func() error { _, err := ErlangA(5, 0.01, aht, 0, time.Second); return err }, "patience"},
		{"endless patience", func() error { _, err := ErlangA(5, 0.01, aht, 2e7*aht, time.Second); return err }, "patience"},
		{"negative rate", func() error { _, err := ErlangA(5, -0.01, aht, time.Minute, time.Second); return err }, "arrival_rate"},
		{"NaN rate", func() error { _, err := ErlangA(5, math.NaN(), aht, time.Minute, time.Second); return err }, "arrival_rate"},
		{"no agents", func() error { _, err := ErlangA(0, 0.01, aht, time.Minute, time.Second); return err }, "agents"},
		{"zero AHT", func() error { _, err := ErlangA(5, 0.01, 0, time.Minute, time.Second); return err }, "aht"},
		{"negative target", func() error { _, err := ErlangA(5, 0.01, aht, time.Minute, -time.Second); return err }, "target"},
		{"load too large", func() error { _, err := ErlangA(5, 1e5, aht, time.Minute, time.Second); return err }, "load"},
	}
	for _, tt := range tests {
		err := tt.call()
		if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != tt.field {
			t.Errorf("%s: error %v (field %q), want an invalid-input error naming %q", tt.name, err, vernost.ErrorField(err), tt.field)
		}
	}
}

func TestErlangANoCalls(t *testing.T) {
	got, err := ErlangA(3, 0, time.Minute, time.Minute, 20*time.Second)
	if err != nil || got != (ErlangAResult{ServiceLevel: 1}) {
		t.Errorf("no calls: %+v, %v; want nothing waiting and service level 1", got, err)
	}
}

// TestErlangAExtremes sweeps team size, load and patience far past
// practical values: every result must be a set of probabilities that add
// up; and in overload with very patient callers exactly the excess load
// must hang up, P(abandon) = 1 − n/a, once the excess queue y − x dwarfs
// its fluctuations √x, i.e. (ρ − 1)·√x ≫ 1 with x = n·patience/aht.
func TestErlangAExtremes(t *testing.T) {
	const aht = 100.0
	for _, n := range []int{1, 10, 1000, 20000} {
		for _, rho := range []float64{0.001, 0.5, 0.99, 1, 1.01, 2, 100} {
			for _, ratio := range []float64{0.001, 1, 100, 1e5, 1e7} {
				c := erlangACase{n, rho * float64(n), aht, ratio * aht, 20}
				if c.a > maxLoad {
					continue
				}
				r, err := erlangA(c.n, c.a, c.aht, c.patience, c.t)
				if err != nil {
					t.Errorf("%v: %v", c, err)
					continue
				}
				if !(r.PWait >= 0 && r.PWait <= 1 && r.PAbandon >= 0 && r.PAbandon <= r.PWait+1e-12 &&
					r.ServiceLevel >= 0 && r.ServiceLevel+r.PAbandon <= 1+1e-12 && r.ASA >= 0) {
					t.Errorf("%v: inconsistent %+v", c, r)
				}
				if x := float64(n) * ratio; rho > 1 && (rho-1)*math.Sqrt(x) > 30 {
					if want := 1 - 1/rho; math.Abs(r.PAbandon-want) > 1e-6 {
						t.Errorf("%v: P(abandon) = %.9f, want 1 − n/a = %.9f ± 1e-6", c, r.PAbandon, want)
					}
				}
			}
		}
	}
}

func TestExpm1mx(t *testing.T) {
	for _, u := range []float64{-3, -0.6, 0.7, 2} {
		want := math.Expm1(u) - u
		if got := expm1mx(u); math.Abs(got-want) > 1e-15*math.Abs(want) {
			t.Errorf("expm1mx(%v) = %.17g, want %.17g", u, got, want)
		}
	}
	// Small u: the series u²/2 + u³/6 + u⁴/24 + u⁵/120 leaves under u⁶.
	for _, u := range []float64{0.3, -0.01, 1e-5, -1e-9} {
		want := u*u/2 + u*u*u/6 + u*u*u*u/24 + u*u*u*u*u/120 + math.Pow(u, 6)/720 + math.Pow(u, 7)/5040 + math.Pow(u, 8)/40320 + math.Pow(u, 9)/362880 + math.Pow(u, 10)/3628800 + math.Pow(u, 11)/39916800 + math.Pow(u, 12)/479001600
		if got := expm1mx(u); math.Abs(got-want) > 1e-15*math.Abs(want) {
			t.Errorf("expm1mx(%v) = %.17g, want %.17g", u, got, want)
		}
	}
}
