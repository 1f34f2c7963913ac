package staffing

import (
	"math"
	"testing"
	"time"

	"github.com/vernost/vernost"
)

func TestRequiredAgentsWorkedExample(t *testing.T) {
	r, err := RequiredAgents(10, 180*time.Second, Target{ServiceLevel: 0.8, AnswerTime: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if r.Agents != 14 {
		t.Errorf("agents = %d, want 14", r.Agents)
	}
	sched, err := Scheduled(r.Agents, 0.3)
	if err != nil || sched != 20 {
		t.Errorf("scheduled after 30%% shrinkage = %d, %v; want 20", sched, err)
	}
}

// TestRequiredAgentsIsFewest checks the incremental search against
// evaluating each staffing from scratch: the answer meets every goal and one
// agent fewer misses one.
func TestRequiredAgentsIsFewest(t *testing.T) {
	targets := []Target{
		{ServiceLevel: 0.8, AnswerTime: 20 * time.Second},
		{ServiceLevel: 0.95, AnswerTime: 10 * time.Second, MaxOccupancy: 0.85},
		{ServiceLevel: 0.5, AnswerTime: time.Minute, MaxOccupancy: 0.7},
		{MaxASA: 15 * time.Second},
		{ServiceLevel: 0.9, AnswerTime: 0, MaxASA: 5 * time.Second},
	}
	for _, a := range []float64{0.2, 1, 7.3, 10, 48, 250.5, 2000} {
		for _, tg := range targets {
			q := Queue{Load: a, AHT: 4 * time.Minute}
			r, err := q.Staff(tg)
			if err != nil {
				t.Fatalf("a=%v %+v: %v", a, tg, err)
			}
			if !meets(q, r.Agents, tg) {
				t.Errorf("a=%v %+v: %d agents reported, but they miss the target: %+v", a, tg, r.Agents, r)
			}
			if float64(r.Agents-1) > a && meets(q, r.Agents-1, tg) {
				t.Errorf("a=%v %+v: %d agents reported, but %d already meet the target", a, tg, r.Agents, r.Agents-1)
			}
		}
	}
}

// meets evaluates n agents from scratch, Erlang C or A alike.
func meets(q Queue, n int, tg Target) bool {
	r, err := q.Evaluate(n, tg.AnswerTime)
	return err == nil && tg.metBy(r.ServiceLevel, r.ASA.Seconds(), r.Occupancy, r.PAbandon)
}

func TestRequiredAgentsOccupancyCap(t *testing.T) {
	// 14 agents meet 80/20 at 10 Erlangs but run at 71.4%; a 70% cap
	// needs 10/0.7 = 14.3, so 15.
	r, err := RequiredAgents(10, 3*time.Minute, Target{ServiceLevel: 0.8, AnswerTime: 20 * time.Second, MaxOccupancy: 0.7})
	if err != nil || r.Agents != 15 {
		t.Errorf("agents with a 70%% occupancy cap = %d, %v; want 15", r.Agents, err)
	}
	// A cap met exactly (8.5/10 = 85%) must not add an agent.
	r, err = RequiredAgents(8.5, 3*time.Minute, Target{MaxOccupancy: 0.85})
	if err != nil || r.Agents != 10 {
		t.Errorf("agents for 8.5 Erlangs at most 85%% busy = %d, %v; want 10", r.Agents, err)
	}
}

func TestRequiredAgentsTenThousandErlangs(t *testing.T) {
	tg := Target{ServiceLevel: 0.8, AnswerTime: 20 * time.Second}
	q := Queue{Load: 10000, AHT: 3 * time.Minute}
	r, err := q.Staff(tg)
	if err != nil {
		t.Fatal(err)
	}
	if !meets(q, r.Agents, tg) || meets(q, r.Agents-1, tg) {
		t.Errorf("%d agents for 10,000 Erlangs is not the fewest meeting 80/20: %+v", r.Agents, r)
	}
	// Square-root staffing: n ≈ a + β√a with β between 0 and 3 for any
	// sensible target.
	if extra := float64(r.Agents) - 10000; extra < 0 || extra > 300 {
		t.Errorf("%d agents is %.0f above the load; want 0–300 (β√a with β ≤ 3)", r.Agents, extra)
	}
}

func TestScheduled(t *testing.T) {
	tests := []struct {
		agents    int
		shrinkage float64
		want      int
	}{
		{14, 0.3, 20}, // 14/0.7 is 20.000000000000004 in float64
		{14, 0, 14},
		{10, 0.35, 16}, // 15.38 rounds up
		{0, 0.3, 0},
		{7, 0.5, 14},
		{1, 0.01, 2},
	}
	for _, tt := range tests {
		if got, err := Scheduled(tt.agents, tt.shrinkage); err != nil || got != tt.want {
			t.Errorf("Scheduled(%d, %v) = %d, %v; want %d", tt.agents, tt.shrinkage, got, err, tt.want)
		}
	}
	for _, s := range []float64{1, 1.2, -0.1, math.NaN()} {
		if _, err := Scheduled(10, s); vernost.ErrorField(err) != "shrinkage" {
			t.Errorf("Scheduled(10, %v) error = %v, want one naming shrinkage", s, err)
		}
	}
}

func TestParseTarget(t *testing.T) {
	good := []struct {
		in   string
		sl   float64
		wait time.Duration
	}{
		{"80/20s", 0.8, 20 * time.Second},
		{"80%/20s", 0.8, 20 * time.Second},
		{" 90 / 15 ", 0.9, 15 * time.Second},
		{"95/1m", 0.95, time.Minute},
		{"99.5/0s", 0.995, 0},
		{"50/2.5", 0.5, 2500 * time.Millisecond},
	}
	for _, tt := range good {
		got, err := ParseTarget(tt.in)
		if err != nil || math.Abs(got.ServiceLevel-tt.sl) > 1e-15 || got.AnswerTime != tt.wait {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %v within %v", tt.in, got, err, tt.sl, tt.wait)
		}
	}
	for _, in := range []string{"", "80", "100/20s", "0/20s", "-5/20s", "120/20s", "80/soon", "80/-3s", "eighty/20s", "NaN/20s"} {
		if _, err := ParseTarget(in); vernost.ErrorField(err) != "target" {
			t.Errorf("ParseTarget(%q) error = %v, want one naming target", in, err)
		}
	}
}

func TestStaffBadTargets(t *testing.T) {
	q := Queue{Load: 10, AHT: 3 * time.Minute}
	tests := []struct {
		name  string
		tg    Target
		field string
	}{
		{"service level 100%", Target{ServiceLevel: 1, AnswerTime: time.Second}, "target"},
		{"service level over 100%", Target{ServiceLevel: 1.2}, "target"},
		{"negative service level", Target{ServiceLevel: -0.1}, "target"},
		{"negative answer time", Target{ServiceLevel: 0.8, AnswerTime: -time.Second}, "target"},
		{"occupancy over 1", Target{MaxOccupancy: 1.5}, "max_occupancy"},
		{"abandon 100%", Target{MaxAbandon: 1}, "max_abandon"},
		{"negative ASA", Target{MaxASA: -time.Second}, "max_asa"},
		{"no goal", Target{AnswerTime: 20 * time.Second}, "target"},
		{"occupancy near zero", Target{MaxOccupancy: 1e-9}, "max_occupancy"},
	}
	for _, tt := range tests {
		_, err := q.Staff(tt.tg)
		if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != tt.field {
			t.Errorf("%s: Staff error = %v (field %q), want an invalid-input error naming %q", tt.name, err, vernost.ErrorField(err), tt.field)
		}
	}
	if _, err := (Queue{Load: 10, AHT: time.Minute, Concurrency: -2}).Staff(Target{ServiceLevel: 0.8}); vernost.ErrorField(err) != "concurrency" {
		t.Errorf("negative concurrency: error = %v, want one naming concurrency", err)
	}
}

func TestStaffZeroLoadNeedsNoAgents(t *testing.T) {
	r, err := Queue{Load: 0, AHT: time.Minute}.Staff(Target{ServiceLevel: 0.8, AnswerTime: 20 * time.Second})
	if err != nil || r.Agents != 0 || r.ServiceLevel != 1 {
		t.Errorf("zero load: %+v, %v; want 0 agents and service level 1", r, err)
	}
}

// TestConcurrency checks the chat approximation: an agent with k sessions is
// k servers, and agents are the servers rounded up to whole people.
func TestConcurrency(t *testing.T) {
	tg := Target{ServiceLevel: 0.8, AnswerTime: 30 * time.Second}
	sessionAHT := 6 * time.Minute
	for _, k := range []int{1, 2, 3, 4} {
		for _, a := range []float64{3, 17.5, 40} {
			chat, err := Queue{Load: a, AHT: sessionAHT, Concurrency: k}.Staff(tg)
			if err != nil {
				t.Fatal(err)
			}
			calls, err := Queue{Load: a, AHT: sessionAHT}.Staff(tg)
			if err != nil {
				t.Fatal(err)
			}
			want := (calls.Agents + k - 1) / k
			if chat.Agents != want || chat.Servers != want*k {
				t.Errorf("k=%d a=%v: %d agents, %d servers; want %d agents (⌈%d single-session servers / %d⌉) and %d servers",
					k, a, chat.Agents, chat.Servers, want, calls.Agents, k, want*k)
			}
			same, _ := Queue{Load: a, AHT: sessionAHT}.Evaluate(chat.Servers, tg.AnswerTime)
			if math.Abs(chat.ServiceLevel-same.ServiceLevel) > 1e-15 || chat.ServiceLevel < tg.ServiceLevel {
				t.Errorf("k=%d a=%v: service level %v, want %v (that of %d servers, at least the target)", k, a, chat.ServiceLevel, same.ServiceLevel, chat.Servers)
			}
		}
	}
}
