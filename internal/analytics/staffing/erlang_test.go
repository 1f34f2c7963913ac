package staffing

import (
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/vernost/vernost"
)

// exactErlangB sums aᵏ/k! in 256-bit floating point: slow but free of the
// recurrence we are testing.
func exactErlangB(n int, a float64) float64 {
	const prec = 256
	af := new(big.Float).SetPrec(prec).SetFloat64(a)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	k := new(big.Float).SetPrec(prec)
	for i := 1; i <= n; i++ {
		term.Mul(term, af)
		term.Quo(term, k.SetInt64(int64(i)))
		sum.Add(sum, term)
	}
	b, _ := new(big.Float).SetPrec(prec).Quo(term, sum).Float64()
	return b
}

func TestErlangBPublished(t *testing.T) {
	tests := []struct {
		name string
		n    int
		a    float64
		want float64
		tol  float64
	}{
		// Hand-computable: B(1,1) = 1/2, B(2,1) = (1/2)/(1+1+1/2).
		{"one server", 1, 1, 0.5, 1e-15},
		{"two servers", 2, 1, 0.2, 1e-15},
		// The classic textbook value B(10, 5) = 0.018385 (Erlang B tables).
		{"B(10,5)", 10, 5, 0.018385, 5e-7},
		// Erlang B tables (e.g. Westbay / erlang.com): 1% grade of service
		// is reached at 4.46 Erlangs on 10 lines and 84.06 on 100. The
		// tables round the load, which moves B by up to 6e-5 and 1e-5.
		{"table 10 lines 1%", 10, 4.46, 0.01, 6e-5},
		{"table 100 lines 1%", 100, 84.06, 0.01, 1e-5},
	}
	for _, tt := range tests {
		got, err := ErlangB(tt.n, tt.a)
		if err != nil {
			t.Fatalf("%s: ErlangB(%d, %v): %v", tt.name, tt.n, tt.a, err)
		}
		if math.Abs(got-tt.want) > tt.tol {
			t.Errorf("%s: ErlangB(%d, %v) = %.9f, want %.9f ± %g", tt.name, tt.n, tt.a, got, tt.want, tt.tol)
		}
	}
}

// TestErlangBThousands checks the recurrence against exact arithmetic where
// aᴺ/N! overflows float64 many times over.
func TestErlangBThousands(t *testing.T) {
	tests := []struct {
		n int
		a float64
	}{
		{200, 180.5},
		{1000, 950},
		{3000, 3000},
		{5000, 6000},  // overloaded: B near 1/6
		{3000, 2500},  // lightly loaded: B tiny
		{10000, 9900}, // the size of the benchmark
	}
	for _, tt := range tests {
		got, err := ErlangB(tt.n, tt.a)
		if err != nil {
			t.Fatalf("ErlangB(%d, %v): %v", tt.n, tt.a, err)
		}
		want := exactErlangB(tt.n, tt.a)
		// Each step of the recurrence loses at most a few ulps relative;
		// 1e-11 relative after 10,000 steps leaves a margin of 100.
		if rel := math.Abs(got-want) / want; rel > 1e-11 {
			t.Errorf("ErlangB(%d, %v) = %.15g, want %.15g (relative error %.2g > 1e-11)", tt.n, tt.a, got, want, rel)
		}
	}
}

// directErlangC is the textbook formula with factorials, fine for small n.
func directErlangC(n int, a float64) float64 {
	sum, term := 0.0, 1.0
	for k := 0; k < n; k++ {
		sum += term
		term *= a / float64(k+1)
	}
	top := term * float64(n) / (float64(n) - a) // aⁿ/n! · n/(n−a)
	return top / (sum + top)
}

func TestErlangCMatchesTextbookFormula(t *testing.T) {
	for _, n := range []int{1, 2, 5, 14, 40} {
		for _, frac := range []float64{0.01, 0.3, 0.7, 0.95, 0.999} {
			a := frac * float64(n)
			got, err := ErlangC(n, a)
			if err != nil {
				t.Fatalf("ErlangC(%d, %v): %v", n, a, err)
			}
			if want := directErlangC(n, a); math.Abs(got-want) > 1e-13 {
				t.Errorf("ErlangC(%d, %v) = %.15f, want %.15f ± 1e-13", n, a, got, want)
			}
		}
	}
	// One agent is M/M/1: P(wait) = ρ.
	if got, _ := ErlangC(1, 0.6); math.Abs(got-0.6) > 1e-15 {
		t.Errorf("ErlangC(1, 0.6) = %v, want 0.6", got)
	}
}

// TestWorkedExample is the example of the issue, from callcentrehelper.com
// ("Erlang C formula — made simple with an easy worked example"): 100 calls
// in 30 minutes, AHT 180 s, 80% in 20 s.
func TestWorkedExample(t *testing.T) {
	aht, target := 180*time.Second, 20*time.Second
	a, err := Load(100, 30*time.Minute, aht)
	if err != nil || a != 10 {
		t.Fatalf("Load(100, 30m, 180s) = %v, %v; want 10 Erlangs", a, err)
	}
	pw, _ := ErlangC(14, a)
	sl, _ := ServiceLevel(14, a, aht, target)
	asa, _ := ASA(14, a, aht)
	occ, _ := Occupancy(14, a)
	checks := []struct {
		name      string
		got, want float64
		tol       float64 // half a unit in the last published digit
	}{
		{"P(wait)", pw, 0.1741319, 5e-8},
		{"service level", sl, 0.88835, 5e-6},
		{"ASA seconds", asa.Seconds(), 7.836, 5e-4},
		{"occupancy", occ, 10.0 / 14, 1e-15},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > c.tol {
			t.Errorf("%s = %.8g, want %.8g ± %g", c.name, c.got, c.want, c.tol)
		}
	}
}

// TestPublishedDelayExample is the example of the Erlang C calculator at
// personal.telefonica.terra.es/web/vr/erlang/eng/mcerlc.htm: 600 calls an
// hour of 120 s (20 Erlangs); 26 circuits keep the delay probability under
// 15%; the average delay is 2.5 s per 100 call-seconds, "3 seconds per
// call"; 30 circuits cut the delay probability to 2.5%; and 30 circuits at
// 15% carry 23.6 Erlangs.
func TestPublishedDelayExample(t *testing.T) {
	aht := 120 * time.Second
	a, _ := Load(600, time.Hour, aht)
	r, err := RequiredAgents(a, aht, Target{ServiceLevel: 0.85}) // answered at once = 1 − P(wait)
	if err != nil {
		t.Fatal(err)
	}
	if r.Agents != 26 {
		t.Errorf("agents for P(wait) ≤ 15%% at 20 Erlangs = %d, want 26", r.Agents)
	}
	// Published to the whole second.
	if got := r.ASA.Seconds(); math.Abs(got-3) > 0.5 {
		t.Errorf("ASA with 26 agents = %.3fs, want 3s ± 0.5", got)
	}
	if got, _ := ErlangC(30, a); math.Abs(got-0.025) > 0.0005 {
		t.Errorf("P(wait) with 30 agents = %.5f, want 0.025 ± 0.0005", got)
	}
	// The published 23.6 is rounded to 0.1 Erlang, so P(wait) = 15% must
	// fall between 23.55 and 23.65 Erlangs.
	lo, _ := ErlangC(30, 23.55)
	hi, _ := ErlangC(30, 23.65)
	if !(lo < 0.15 && hi > 0.15) {
		t.Errorf("P(wait) on 30 agents at 23.55 and 23.65 Erlangs = %.4f, %.4f; want them to straddle 0.15", lo, hi)
	}
}

// TestPublishedAnswerExample is the application note of the Footbridge Call
// Calc (al911.org/qos_calc.htm): 2 call takers, 30 calls an hour of 60 s:
// "fewer than 8 percent of callers will wait more than 10 seconds"; with
// 20 s more of work per call "the QOS falls to 14 percent".
func TestPublishedAnswerExample(t *testing.T) {
	tests := []struct {
		aht  time.Duration
		want float64 // share waiting over 10 s
		tol  float64
	}{
		{60 * time.Second, 0.078, 0.002}, // "fewer than 8 percent"
		{80 * time.Second, 0.14, 0.005},  // "14 percent"
	}
	for _, tt := range tests {
		a, _ := Load(30, time.Hour, tt.aht)
		sl, err := ServiceLevel(2, a, tt.aht, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if got := 1 - sl; math.Abs(got-tt.want) > tt.tol {
			t.Errorf("AHT %v: share waiting over 10s = %.4f, want %.3f ± %g", tt.aht, got, tt.want, tt.tol)
		}
	}
}

func TestServiceLevelAtZeroAnswerTimeIsNoWait(t *testing.T) {
	pw, _ := ErlangC(12, 9.5)
	sl, _ := ServiceLevel(12, 9.5, time.Minute, 0)
	if math.Abs(sl-(1-pw)) > 1e-15 {
		t.Errorf("ServiceLevel(t=0) = %v, want 1 − P(wait) = %v", sl, 1-pw)
	}
}

func TestErlangBadInput(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"load equals agents", func() error { _, err := ErlangC(10, 10); return err }, "agents"},
		{"load above agents", func() error { _, err := ErlangC(10, 12.5); return err }, "agents"},
		{"no agents", func() error { _, err := ErlangC(0, 0.5); return err }, "agents"},
		{"negative load", func() error { _, err := ErlangC(3, -1); return err }, "load"},
		{"NaN load", func() error { _, err := ErlangB(3, nan); return err }, "load"},
		{"infinite load", func() error { _, err := ErlangB(3, math.Inf(1)); return err }, "load"},
		{"load too large", func() error { _, err := ErlangB(3, 2e6); return err }, "load"},
		{"negative servers", func() error { _, err := ErlangB(-1, 1); return err }, "agents"},
		{"zero AHT", func() error { _, err := ServiceLevel(3, 1, 0, time.Second); return err }, "aht"},
		{"negative answer time", func() error { _, err := ServiceLevel(3, 1, time.Minute, -time.Second); return err }, "target"},
		{"ASA overloaded", func() error { _, err := ASA(3, 3, time.Minute); return err }, "agents"},
		{"occupancy overloaded", func() error { _, err := Occupancy(3, 4); return err }, "agents"},
		{"negative calls", func() error { _, err := Load(-5, time.Hour, time.Minute); return err }, "calls"},
		{"zero interval", func() error { _, err := Load(5, 0, time.Minute); return err }, "interval"},
		{"zero AHT load", func() error { _, err := Load(5, time.Hour, 0); return err }, "aht"},
	}
	for _, tt := range tests {
		err := tt.call()
		if code := vernost.ErrorCode(err); code != vernost.EInvalid {
			t.Errorf("%s: error %v has code %q, want %q", tt.name, err, code, vernost.EInvalid)
			continue
		}
		if f := vernost.ErrorField(err); f != tt.field {
			t.Errorf("%s: error %q names field %q, want %q", tt.name, err, f, tt.field)
		}
	}
}

func TestErlangBZeroLoad(t *testing.T) {
	if b, err := ErlangB(4, 0); err != nil || b != 0 {
		t.Errorf("ErlangB(4, 0) = %v, %v; want 0", b, err)
	}
	if b, err := ErlangB(0, 3); err != nil || b != 1 {
		t.Errorf("ErlangB(0, 3) = %v, %v; want 1 (no server blocks every call)", b, err)
	}
}
