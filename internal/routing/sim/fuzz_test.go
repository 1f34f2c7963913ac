package sim

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vernost/vernost"
)

// fuzzSeeds are the example scenarios and the test base: real documents
// for the fuzzer to mutate.
func fuzzSeeds(f *testing.F) [][]byte {
	seeds := [][]byte{[]byte(baseYAML), []byte(center("    patience: {kind: exponential, mean: 1m}\n", "    reject_probability: 0.5\n", "  max_misses: 1\n"))}
	files, _ := filepath.Glob("../../../docs/scenarios/*.yaml")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, data)
	}
	return seeds
}

// checkParsed is the property both fuzzers share: a parser either returns
// an invalid-input error naming a field, or a scenario that validates and,
// when small, runs through the engine without error.
func checkParsed(t *testing.T, s *Scenario, err error) {
	if err != nil {
		if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) == "" {
			t.Fatalf("error %v: code %q, field %q; want %q and a field", err, vernost.ErrorCode(err), vernost.ErrorField(err), vernost.EInvalid)
		}
		return
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("parsed scenario fails Validate: %v", err)
	}
	m := compile(s)
	if m.expected > 300 || len(m.agents) > 30 || m.intervals > 50 {
		return // a valid but large run: too slow to fuzz
	}
	rep, err := Run(context.Background(), s)
	if err != nil {
		t.Fatalf("Run of a valid scenario: %v", err)
	}
	checkInvariants(t, rep)
}

func FuzzParseYAML(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseYAML(data)
		checkParsed(t, s, err)
	})
}

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`{"interval": "1h", "intervals": 1, "queues": [{"name": "q", "channel": "call", "skills": {"a": 1},
		"arrivals": {"per_hour": 5}, "handle_time": {"kind": "constant", "mean": "1m"}, "target": "20s"}],
		"agents": [{"count": 1, "skills": {"a": 1}}]}`))
	f.Add([]byte(`{"seed": 18446744073709551615, "interval": "1h", "agents": [{"count": 1e3}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseJSON(data)
		checkParsed(t, s, err)
	})
}
