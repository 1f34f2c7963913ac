package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vernost/vernost/internal/repotest"
)

func runSimulateCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLI(t, "", append([]string{"simulate"}, args...)...)
}

// simulateExample is the path of an example scenario under docs/scenarios.
func simulateExample(t *testing.T, name string) string {
	return repotest.File(t, "docs", "scenarios", name)
}

func TestSimulateTable(t *testing.T) {
	code, out, errOut := runSimulateCLI(t, simulateExample(t, "small-bank.yaml"))
	if code != 0 {
		t.Fatalf("exit %d, stderr %q; want 0", code, errOut)
	}
	for _, want := range []string{"scenario small-bank, seed 20261123", "interval", "08:00", "19:30", "cards", "email", "total", "SL:"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestSimulateJSONWithFlagsAfterTheFile(t *testing.T) {
	code, out, errOut := runSimulateCLI(t, simulateExample(t, "small-bank.yaml"), "--json", "--seed", "5", "--totals")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q; want 0", code, errOut)
	}
	var rep struct {
		Seed      uint64            `json:"seed"`
		Intervals []json.RawMessage `json:"intervals"`
		Queues    []struct {
			Label string `json:"label"`
		} `json:"queues"`
		Total struct {
			Offered      int      `json:"offered"`
			ServiceLevel *float64 `json:"service_level"`
		} `json:"total"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if rep.Seed != 5 {
		t.Errorf("seed = %d, want 5 (from --seed)", rep.Seed)
	}
	if len(rep.Intervals) != 0 {
		t.Errorf("%d interval rows with --totals, want none", len(rep.Intervals))
	}
	if len(rep.Queues) != 4 || rep.Total.Offered == 0 || rep.Total.ServiceLevel == nil {
		t.Errorf("queues %v, total %+v; want 4 queues and contacts with a service level", rep.Queues, rep.Total)
	}
}

func TestSimulateBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	scenario := `
interval: 30m
intervals: 2
queues:
  - {name: q, channel: call, skills: {a: 1}, arrivals: {per_interval: [1, -2]},
     handle_time: {kind: exponential, mean: 3m}, target: 20s}
agents:
  - {count: 1, skills: {a: 1}}
`
	if err := os.WriteFile(bad, []byte(scenario), 0o600); err != nil {
		t.Fatal(err)
	}
	unknown := filepath.Join(dir, "unknown.json")
	if err := os.WriteFile(unknown, []byte(`{"interval": "30m", "intervals": 1, "agnets": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"negative rate", []string{bad}, 2, "queues[0].arrivals.per_interval[1]: negative rate -2"},
		{"unknown key", []string{unknown}, 2, "agnets: unknown key"},
		{"missing file", []string{filepath.Join(dir, "none.yaml")}, 1, "does not exist"},
		{"no file", nil, 2, "want one scenario file, got 0"},
		{"two files", []string{bad, unknown}, 2, "want one scenario file, got 2"},
		{"bad flag", []string{"--speed", "2", bad}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runSimulateCLI(t, tt.args...)
			if code != tt.wantCode || !strings.Contains(errOut, tt.wantStderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, tt.wantCode, tt.wantStderr)
			}
		})
	}
}
