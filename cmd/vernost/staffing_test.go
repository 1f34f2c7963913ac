package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vernost/vernost/internal/analytics/staffing"
)

func TestStaffingUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		say  string
	}{
		{[]string{"staffing"}, 2, "erlang-c"},
		{[]string{"staffing", "erlang-x"}, 2, `unknown subcommand "erlang-x"`},
		{[]string{"staffing", "help"}, 0, "plan"},
		{[]string{"staffing", "erlang-c", "--help"}, 0, "--concurrency"},
		{[]string{"staffing", "plan", "--bogus"}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, "", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.say) {
			t.Errorf("vernost %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tt.args, " "), code, stderr, tt.code, tt.say)
		}
	}
}

// TestStaffingErlangCWorkedExample runs the example end to end.
func TestStaffingErlangCWorkedExample(t *testing.T) {
	args := []string{"staffing", "erlang-c", "--calls", "100", "--interval", "30m", "--aht", "180s", "--target", "80/20s", "--shrinkage", "0.3"}
	code, stdout, stderr := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, line := range []string{"10.00 Erlangs", "agents         14\n", "scheduled      20 ", "P(wait)        17.41%", "88.84% answered within 20s", "ASA            7.84s", "occupancy      71.4%"} {
		if !strings.Contains(stdout, line) {
			t.Errorf("output lacks %q:\n%s", line, stdout)
		}
	}

	code, stdout, stderr = runCLI(t, "", append(args, "--json")...)
	if code != 0 {
		t.Fatalf("--json: exit %d: %s", code, stderr)
	}
	var got staffingJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("--json output %q: %v", stdout, err)
	}
	if got.Agents != 14 || got.Scheduled != 20 || got.Load != 10 || math.Abs(got.PWait-0.1741319) > 5e-8 ||
		math.Abs(got.ServiceLevel-0.88835) > 5e-6 || math.Abs(got.ASASeconds-7.836) > 5e-4 {
		t.Errorf("--json = %+v; want 14 agents, 20 scheduled, P(wait) 0.1741319, SL 0.88835, ASA 7.836s", got)
	}
}

func TestStaffingErlangA(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "staffing", "erlang-a", "--calls", "100", "--aht", "3m", "--patience", "2m", "--max-abandon", "0.03", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got staffingJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	want, err := staffing.Queue{Load: 10, AHT: 3 * time.Minute, Patience: 2 * time.Minute}.Staff(
		staffing.Target{ServiceLevel: 0.8, AnswerTime: 20 * time.Second, MaxAbandon: 0.03})
	if err != nil {
		t.Fatal(err)
	}
	if got.Model != "erlang-a" || got.Agents != want.Agents || got.PAbandon != want.PAbandon || got.PAbandon > 0.03 {
		t.Errorf("--json = %+v; want Erlang A with %d agents and abandonment %v ≤ 3%%", got, want.Agents, want.PAbandon)
	}
}

func TestStaffingConcurrency(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "staffing", "erlang-c", "--calls", "120", "--interval", "1h", "--aht", "6m", "--concurrency", "3", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got staffingJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	single, _ := staffing.RequiredAgents(12, 6*time.Minute, staffing.Target{ServiceLevel: 0.8, AnswerTime: 20 * time.Second})
	if want := (single.Agents + 2) / 3; got.Agents != want || got.Servers != 3*want {
		t.Errorf("3 chats per agent: %d agents, %d servers; want %d agents (⌈%d/3⌉) and %d servers", got.Agents, got.Servers, want, single.Agents, 3*want)
	}
}

func TestStaffingAgentsGiven(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "staffing", "erlang-c", "--calls", "100", "--aht", "180s", "--agents", "12")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "agents         12\n") || !strings.Contains(stdout, "occupancy      83.3%") {
		t.Errorf("output for 12 given agents:\n%s", stdout)
	}
}

func TestStaffingBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		say  string
	}{
		{"load ≥ agents", []string{"erlang-c", "--calls", "100", "--aht", "180s", "--agents", "10"}, "agents: 10 agents cannot carry 10 Erlangs"},
		{"target over 100%", []string{"erlang-c", "--calls", "100", "--aht", "180s", "--target", "120/20s"}, "target:"},
		{"target 0%", []string{"erlang-c", "--calls", "100", "--aht", "180s", "--target", "0/20s"}, "target:"},
		{"shrinkage 100%", []string{"erlang-c", "--calls", "100", "--aht", "180s", "--shrinkage", "1"}, "shrinkage:"},
		{"no calls", []string{"erlang-c", "--aht", "180s"}, "calls: required"},
		{"negative calls", []string{"erlang-c", "--calls", "-3", "--aht", "180s"}, "calls:"},
		{"no AHT", []string{"erlang-c", "--calls", "100"}, "aht:"},
		{"no patience", []string{"erlang-a", "--calls", "100", "--aht", "180s"}, "patience: required"},
		{"occupancy over 1", []string{"erlang-c", "--calls", "100", "--aht", "180s", "--max-occupancy", "1.5"}, "max_occupancy:"},
		{"zero concurrency", []string{"erlang-c", "--calls", "100", "--aht", "180s", "--concurrency", "0"}, "concurrency:"},
		{"stray argument", []string{"erlang-c", "--calls", "100", "--aht", "180s", "extra"}, `unexpected "extra"`},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, "", append([]string{"staffing"}, tt.args...)...)
		if code != 2 || !strings.Contains(stderr, tt.say) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", tt.name, code, stderr, tt.say)
		}
	}
}

func TestStaffingPlan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "forecast.csv")
	forecast := "start,volume,aht_seconds\n09:00,100,\n09:30,0,\n10:00,150,240\n"
	if err := os.WriteFile(path, []byte(forecast), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", "staffing", "plan", "--forecast", path, "--aht", "180s", "--shrinkage", "0.3", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got planJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.IntervalMinutes != 30 || len(got.Rows) != 3 || got.Rows[0].Agents != 14 || got.Rows[0].Scheduled != 20 || got.Rows[1].Agents != 0 {
		t.Fatalf("plan = %+v; want 3 half-hour rows, the first 14 agents / 20 scheduled, the second none", got)
	}
	hours := 0.0
	for _, r := range got.Rows {
		hours += float64(r.Agents) / 2
	}
	if got.AgentHours != hours || got.Volume != 250 || got.PeakAgents != max(got.Rows[0].Agents, got.Rows[2].Agents) {
		t.Errorf("totals %v agent-hours, volume %v, peak %d; want %v, 250, the larger row", got.AgentHours, got.Volume, got.PeakAgents, hours)
	}

	// The same forecast on standard input, as a table.
	code, stdout, stderr = runCLI(t, forecast, "staffing", "plan", "--forecast", "-", "--aht", "3m", "--patience", "2m")
	if code != 0 {
		t.Fatalf("stdin: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"abandoned", "09:30", "3 intervals of 30m0s: 250 calls"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
}

func TestStaffingPlanErrors(t *testing.T) {
	tests := []struct {
		name, stdin string
		args        []string
		say         string
	}{
		{"no forecast", "", []string{"--aht", "3m"}, "forecast: required"},
		{"missing file", "", []string{"--forecast", filepath.Join(t.TempDir(), "none.csv"), "--aht", "3m"}, "cannot open"},
		{"bad volume", "start,volume\n09:00,5\n09:30,lots\n", []string{"--forecast", "-", "--aht", "3m"}, "line 3: volume"},
		{"no AHT", "start,volume\n09:00,5\n09:30,5\n", []string{"--forecast", "-"}, "line 2: aht_seconds"},
		{"one row", "start,volume\n09:00,5\n", []string{"--forecast", "-", "--aht", "3m"}, "interval:"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, tt.stdin, append([]string{"staffing", "plan"}, tt.args...)...)
		if code != 2 || !strings.Contains(stderr, tt.say) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", tt.name, code, stderr, tt.say)
		}
	}
}
