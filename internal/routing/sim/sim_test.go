package sim

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vernost/vernost/internal/repotest"

	"github.com/vernost/vernost"
)

// runYAML parses and runs a scenario, failing the test on any error.
func runYAML(t *testing.T, doc string) *Report {
	t.Helper()
	s, err := ParseYAML([]byte(doc))
	if err != nil {
		t.Fatalf("ParseYAML: %v", err)
	}
	rep, err := Run(context.Background(), s)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	checkInvariants(t, rep)
	return rep
}

// checkInvariants holds for every report: each contact ends answered,
// abandoned or unserved, and every ratio is a share.
func checkInvariants(t *testing.T, rep *Report) {
	t.Helper()
	rows := append(append([]Row{rep.Total}, rep.Queues...), rep.Intervals...)
	for _, r := range rows {
		if r.Answered+r.Abandoned+r.Unserved != r.Offered {
			t.Errorf("%s: answered %d + abandoned %d + unserved %d != offered %d", r.Label, r.Answered, r.Abandoned, r.Unserved, r.Offered)
		}
		for name, p := range map[string]*float64{
			"service level": r.ServiceLevel, "abandon rate": r.AbandonRate, "occupancy": r.Occupancy,
			"first-offer acceptance": r.FirstOfferAcceptance, "manager reached": r.ManagerReached,
		} {
			if p != nil && !(*p >= 0 && *p <= 1+1e-9) {
				t.Errorf("%s: %s = %v, want a share from 0 to 1", r.Label, name, *p)
			}
		}
		if r.ASASeconds != nil && !(*r.ASASeconds >= 0) {
			t.Errorf("%s: ASA = %v s, want 0 or more", r.Label, *r.ASASeconds)
		}
	}
	var offered int
	for _, r := range rep.Intervals {
		offered += r.Offered
	}
	if offered != rep.Total.Offered {
		t.Errorf("intervals offer %d contacts in all, total row says %d", offered, rep.Total.Offered)
	}
}

// center is a one-queue scenario for behaviour tests; %s takes extra agent
// keys, then extra routing keys are appended by the caller if needed.
func center(queueExtra, agentExtra, routingExtra string) string {
	return `
name: test
seed: 3
interval: 1h
intervals: 20
routing:
  capacity: {call: 1}
` + routingExtra + `
queues:
  - name: calls
    channel: call
    skills: {general: 1}
    arrivals: {per_hour: 60}
    handle_time: {kind: exponential, mean: 3m}
    target: 20s
` + queueExtra + `
agents:
  - name: team
    count: 10
    skills: {general: 1}
` + agentExtra
}

func TestRunIsReproducible(t *testing.T) {
	s, err := Load(repoFile(t, "docs/scenarios/small-bank.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	report := func(seed uint64) string {
		s.Seed = seed
		rep, err := Run(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := rep.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	first, again, other := report(11), report(11), report(12)
	if first != again {
		t.Error("two runs with seed 11 gave different reports")
	}
	if first == other {
		t.Error("seeds 11 and 12 gave the same report")
	}
}

func TestArrivalsFollowTheVolumeCurve(t *testing.T) {
	// Nobody has the skill, so contacts only arrive and stay unserved.
	rep := runYAML(t, `
interval: 1h
intervals: 3
queues:
  - {name: q, channel: call, skills: {rare: 1}, arrivals: {per_interval: [1000, 0, 3000]},
     handle_time: {kind: constant, mean: 1m}, target: 20s}
agents:
  - {count: 1, skills: {common: 1}}
`)
	for i, want := range []float64{1000, 0, 3000} {
		got := float64(rep.Intervals[i].Offered)
		// Poisson counts: 4 standard deviations is sqrt(want)*4.
		if math.Abs(got-want) > 4*math.Sqrt(want) {
			t.Errorf("interval %d offered %v contacts, want %v ± %.0f", i, got, want, 4*math.Sqrt(want))
		}
	}
	if rep.Total.Unserved != rep.Total.Offered || rep.Total.Answered != 0 {
		t.Errorf("unserved %d, answered %d of %d offered; want all unserved", rep.Total.Unserved, rep.Total.Answered, rep.Total.Offered)
	}
	if sl := rep.Total.ServiceLevel; sl == nil || *sl != 0 {
		t.Errorf("service level = %v, want 0", sl)
	}
	if rep.Intervals[1].ServiceLevel != nil || rep.Intervals[1].ASASeconds != nil {
		t.Errorf("empty interval: service level %v, ASA %v; want both nil (nothing to measure)", rep.Intervals[1].ServiceLevel, rep.Intervals[1].ASASeconds)
	}
}

func TestImpatientCustomersAbandon(t *testing.T) {
	rep := runYAML(t, `
interval: 1h
intervals: 2
queues:
  - {name: q, channel: call, skills: {rare: 1}, arrivals: {per_hour: 100},
     handle_time: {kind: constant, mean: 1m}, patience: {kind: constant, mean: 1m}, target: 20s}
agents:
  - {count: 1, skills: {common: 1}}
`)
	if rep.Total.Offered == 0 || rep.Total.Abandoned != rep.Total.Offered {
		t.Errorf("abandoned %d of %d, want every contact", rep.Total.Abandoned, rep.Total.Offered)
	}
	if r := rep.Total.AbandonRate; r == nil || *r != 1 {
		t.Errorf("abandon rate = %v, want 1", r)
	}
	if rep.Total.ASASeconds != nil {
		t.Errorf("ASA = %v, want nil: nobody was answered", *rep.Total.ASASeconds)
	}
}

func TestAgentBehaviourSetsFirstOfferAcceptance(t *testing.T) {
	// About 1,200 contacts are offered; the standard deviation of the share
	// is at most 1.5 points, so ±5 points is over 3 of them.
	tests := []struct {
		name  string
		agent string
		want  float64
	}{
		{"always accepts", "", 1},
		{"rejects 30%", "    reject_probability: 0.3\n", 0.7},
		{"misses 30%", "    miss_probability: 0.3\n", 0.7},
		{"rejects 20% after 5s, misses 20%", "    reject_probability: 0.2\n    miss_probability: 0.2\n    answer_delay: 5s\n", 0.6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := runYAML(t, center("", tt.agent, ""))
			got := rep.Total.FirstOfferAcceptance
			if got == nil || math.Abs(*got-tt.want) > 0.05 {
				t.Errorf("first-offer acceptance = %v, want %.2f ± 0.05", deref(got), tt.want)
			}
			if rep.Total.Answered != rep.Total.Offered {
				t.Errorf("answered %d of %d; want all, since every offer is eventually taken", rep.Total.Answered, rep.Total.Offered)
			}
		})
	}
}

func TestManagerFirstPolicyReachesManagers(t *testing.T) {
	// Every customer has one of the 10 agents as manager. Waiting up to
	// 10 minutes for the manager at 30% load almost always works; routing
	// by skills alone finds the manager by chance, about 1 time in 10.
	tests := []struct {
		name     string
		policy   string
		min, max float64
	}{
		{"manager first", "[{target: manager, timeout: 10m}, {target: skills}]", 0.95, 1},
		{"skills only", "[{target: skills}]", 0, 0.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := runYAML(t, center("    manager_share: 1\n", "    personal_managers: true\n",
				"  policies: [{name: p, steps: "+tt.policy+"}]\n"))
			got := rep.Total.ManagerReached
			if rep.Total.WithManager != rep.Total.Offered {
				t.Errorf("with manager = %d, want every contact (%d)", rep.Total.WithManager, rep.Total.Offered)
			}
			if got == nil || *got < tt.min || *got > tt.max {
				t.Errorf("manager reached = %v, want from %.2f to %.2f", deref(got), tt.min, tt.max)
			}
		})
	}
}

func TestTransfers(t *testing.T) {
	rep := runYAML(t, `
interval: 1h
intervals: 20
queues:
  - {name: front, channel: call, skills: {front: 1}, arrivals: {per_hour: 60},
     handle_time: {kind: exponential, mean: 2m}, target: 20s, transfer: {probability: 0.5, to: back}}
  - {name: back, channel: call, skills: {back: 1}, arrivals: {per_interval: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]},
     handle_time: {kind: exponential, mean: 2m}, target: 20s}
agents:
  - {count: 5, skills: {front: 1}}
  - {count: 5, skills: {back: 1}}
`)
	front := rep.Queues[0]
	// Binomial(answered, 0.5): 4 standard deviations is 2*sqrt(answered).
	want := float64(front.Answered) / 2
	if got := float64(front.Transfers); math.Abs(got-want) > 2*math.Sqrt(float64(front.Answered)) {
		t.Errorf("transfers = %v, want %v ± %.0f", got, want, 2*math.Sqrt(float64(front.Answered)))
	}
	if rep.Queues[1].Offered != 0 {
		t.Errorf("back queue offered %d, want 0: transferred contacts stay with the queue they arrived in", rep.Queues[1].Offered)
	}
}

func TestWrapUpCountsAsBusyTime(t *testing.T) {
	// 60 calls an hour of 3 minutes on 10 agents is 0.3 of their time; a
	// 1-minute wrap-up makes it 0.4. Over 20 hours the estimate's standard
	// deviation is about 0.006, so ±0.02 is over 3 of them.
	tests := []struct {
		name    string
		routing string
		want    float64
	}{
		{"no wrap-up", "", 0.3},
		{"1m wrap-up", "  wrap_up: {call: 1m}\n", 0.4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := runYAML(t, center("", "", tt.routing))
			if got := rep.Total.Occupancy; got == nil || math.Abs(*got-tt.want) > 0.02 {
				t.Errorf("occupancy = %v, want %.2f ± 0.02", deref(got), tt.want)
			}
		})
	}
}

func TestAgentsLeaveAtShiftEnd(t *testing.T) {
	rep := runYAML(t, center("", "    shifts: [{start: 0h, end: 10h}]\n", ""))
	for i, r := range rep.Intervals {
		switch {
		case i < 9 && r.Answered != r.Offered:
			t.Errorf("interval %d (staffed): answered %d of %d, want all", i, r.Answered, r.Offered)
		case i >= 10 && (r.Answered != 0 || r.Unserved != r.Offered):
			t.Errorf("interval %d (nobody logged in): answered %d, unserved %d of %d; want 0 and all", i, r.Answered, r.Unserved, r.Offered)
		}
		// Calls taken just before 10:00 are finished after it, so agent time
		// runs into interval 10 (fully busy); from interval 11 on, none.
		if i >= 11 && r.Occupancy != nil {
			t.Errorf("interval %d: occupancy %v, want nil: nobody was at work", i, *r.Occupancy)
		}
	}
}

func TestAgentsComeBackFromAway(t *testing.T) {
	// The first group misses every offer and is sent away after one miss;
	// the second answers. Everyone is served, and the first offers that
	// went to the first group count against first-offer acceptance.
	rep := runYAML(t, center("", `    miss_probability: 1
    away_for: 1m
  - name: reliable
    count: 10
    skills: {general: 1}
`, "  max_misses: 1\n  offer_timeout: 10s\n"))
	if rep.Total.Answered != rep.Total.Offered {
		t.Errorf("answered %d of %d, want all", rep.Total.Answered, rep.Total.Offered)
	}
	if got := rep.Total.FirstOfferAcceptance; got == nil || *got > 0.95 || *got < 0.3 {
		t.Errorf("first-offer acceptance = %v, want between 0.3 and 0.95", deref(got))
	}
}

func TestEveryoneMissingEndsTheRun(t *testing.T) {
	// Agents who never answer and customers who give up: the run must still
	// end, with every contact abandoned.
	rep := runYAML(t, center("    patience: {kind: exponential, mean: 1m}\n", "    miss_probability: 1\n    away_for: 30s\n", "  max_misses: 2\n"))
	if rep.Total.Abandoned != rep.Total.Offered || rep.Total.FirstOfferAcceptance == nil || *rep.Total.FirstOfferAcceptance != 0 {
		t.Errorf("abandoned %d of %d, first-offer acceptance %v; want all abandoned and 0", rep.Total.Abandoned, rep.Total.Offered, deref(rep.Total.FirstOfferAcceptance))
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	s, err := ParseYAML([]byte(center("", "", "")))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Run(ctx, s)
	if got := vernost.ErrorCode(err); got != vernost.EUnavailable {
		t.Errorf("Run(cancelled) error = %v (code %q), want code %q", err, got, vernost.EUnavailable)
	}
}

func TestExampleScenariosLoadAndRun(t *testing.T) {
	files, err := filepath.Glob(repoFile(t, "docs/scenarios/*.yaml"))
	if err != nil || len(files) < 2 {
		t.Fatalf("found %d example scenarios (%v), want at least 2", len(files), err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			s, err := Load(f)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if s.Intervals > 48 {
				// erlang-check is 420 days; erlang_test.go runs it in full.
				s.Intervals = 2
			}
			rep, err := Run(context.Background(), s)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			checkInvariants(t, rep)
			if rep.Total.Answered == 0 {
				t.Error("nobody was answered")
			}
			var table bytes.Buffer
			if err := rep.WriteTable(&table); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"scenario " + s.Name, "interval", "queue", "total"} {
				if !strings.Contains(table.String(), want) {
					t.Errorf("table lacks %q:\n%s", want, table.String())
				}
			}
		})
	}
}

func TestAgendaPopsInTimeThenSchedulingOrder(t *testing.T) {
	var h agenda
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 1000 {
		h.push(event{at: time.Duration(r.IntN(50)), n: int32(i)})
	}
	prev := h.pop()
	for h.len() > 0 {
		e := h.pop()
		if e.at < prev.at || e.at == prev.at && e.n < prev.n {
			t.Fatalf("popped (at %v, n %d) after (at %v, n %d)", e.at, e.n, prev.at, prev.n)
		}
		prev = e
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// repoFile finds a file by its path from the repository root.
func repoFile(t *testing.T, rel string) string {
	return repotest.File(t, rel)
}
