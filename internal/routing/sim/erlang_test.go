package sim

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/vernost/vernost/internal/analytics/staffing"
)

// The simulator checked against queueing theory, through the real engine:
// one queue, one skill, FIFO, Poisson arrivals, exponential handle times.
// Each run is about 200,000 calls and takes a few seconds.
//
// Tolerances come from the issue: service level within 1 percentage point,
// ASA within 5%, abandonment within 1 point. The simulation's own sampling
// error, measured over 8 to 16 seeds, is for the Erlang C case SL 0.33
// points, ASA 1.9%, occupancy 0.2 points; for the Erlang A case abandonment
// 0.11 points, SL 0.23 points, ASA 0.65%. So every check is at least 3
// standard deviations wide except Erlang C's ASA, which is 2.6: about one
// seed in a hundred would miss it by chance. The runs use the seed written
// in erlang-check.yaml, which was not picked to pass. Independent runs of a
// million calls agree with Erlang A to 0.03 points and 0.1%.

func TestErlangC(t *testing.T) {
	s, err := Load(repoFile(t, "docs/scenarios/erlang-check.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	n, aht, target, rate := erlangInputs(t, s)
	load := rate * aht.Seconds()
	wantSL, err := staffing.ServiceLevel(n, load, aht, target)
	if err != nil {
		t.Fatal(err)
	}
	wantASA, err := staffing.ASA(n, load, aht)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	got := rep.Total
	if got.Offered < 200_000 || got.Answered != got.Offered {
		t.Fatalf("offered %d, answered %d; want at least 200,000 calls, all answered", got.Offered, got.Answered)
	}
	t.Logf("n=%d load=%.2f: SL %.4f (Erlang C %.4f), ASA %.2f s (%.2f s), occupancy %.4f (%.4f)",
		n, load, *got.ServiceLevel, wantSL, *got.ASASeconds, wantASA.Seconds(), *got.Occupancy, load/float64(n))
	if d := math.Abs(*got.ServiceLevel - wantSL); d > 0.01 {
		t.Errorf("service level = %.4f, Erlang C %.4f: off by %.2f points, want at most 1", *got.ServiceLevel, wantSL, 100*d)
	}
	if d := math.Abs(*got.ASASeconds/wantASA.Seconds() - 1); d > 0.05 {
		t.Errorf("ASA = %.2f s, Erlang C %.2f s: off by %.1f%%, want at most 5%%", *got.ASASeconds, wantASA.Seconds(), 100*d)
	}
	// Occupancy is the carried load over the agents.
	if d := math.Abs(*got.Occupancy - load/float64(n)); d > 0.01 {
		t.Errorf("occupancy = %.4f, want %.4f ± 0.01", *got.Occupancy, load/float64(n))
	}
}

func TestErlangA(t *testing.T) {
	// A center short of staff: 12 Erlang offered to 10 agents, customers
	// with an exponential patience of 2 minutes. Erlang C has no answer
	// here (the queue would grow without end); Erlang A does.
	s, err := Load(repoFile(t, "docs/scenarios/erlang-check.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const (
		agents   = 10
		perHour  = 240
		patience = 2 * time.Minute
	)
	s.Agents[0].Count = agents
	s.Queues[0].Arrivals.PerHour = perHour
	s.Queues[0].Patience = &DistSpec{Kind: "exponential", Mean: Duration(patience)}
	s.Intervals = 35 // days: 201,600 calls expected
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	n, aht, target, rate := erlangInputs(t, s)
	want, err := staffing.ErlangA(n, rate, aht, patience, target)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	got := rep.Total
	if got.Offered < 200_000 {
		t.Fatalf("offered %d calls, want at least 200,000", got.Offered)
	}
	t.Logf("abandoned %.4f (Erlang A %.4f), SL %.4f (%.4f), ASA %.2f s (%.2f s)",
		*got.AbandonRate, want.PAbandon, *got.ServiceLevel, want.ServiceLevel, *got.ASASeconds, want.ASA.Seconds())
	if d := math.Abs(*got.AbandonRate - want.PAbandon); d > 0.01 {
		t.Errorf("abandonment = %.4f, Erlang A %.4f: off by %.2f points, want at most 1", *got.AbandonRate, want.PAbandon, 100*d)
	}
	if d := math.Abs(*got.ServiceLevel - want.ServiceLevel); d > 0.01 {
		t.Errorf("service level = %.4f, Erlang A %.4f: off by %.2f points, want at most 1", *got.ServiceLevel, want.ServiceLevel, 100*d)
	}
	if d := math.Abs(*got.ASASeconds/want.ASA.Seconds() - 1); d > 0.05 {
		t.Errorf("ASA = %.2f s, Erlang A %.2f s: off by %.1f%%, want at most 5%%", *got.ASASeconds, want.ASA.Seconds(), 100*d)
	}
}

// erlangInputs reads the single-queue scenario's parameters, checking that
// it is the case the formulas describe.
func erlangInputs(t *testing.T, s *Scenario) (n int, aht, target time.Duration, perSecond float64) {
	t.Helper()
	if len(s.Queues) != 1 || len(s.Agents) != 1 || s.Queues[0].HandleTime.Kind != "exponential" || s.Queues[0].Arrivals.PerHour == 0 {
		t.Fatalf("scenario %s is not one queue, one agent group, exponential handle times and a flat rate", s.Name)
	}
	q := s.Queues[0]
	return s.Agents[0].Count, q.HandleTime.Mean.Std(), q.Target.Std(), q.Arrivals.PerHour / 3600
}
