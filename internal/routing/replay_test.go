package routing

import (
	"bytes"
	"testing"
)

// TestLongRandomRuns drives long random sequences with every check on: the
// invariants after each event, refused events leaving no trace, the log
// replaying byte for byte, and a snapshot taken halfway continuing to the
// same decisions.
func TestLongRandomRuns(t *testing.T) {
	n := 15000
	if testing.Short() {
		n = 4000
	}
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run("", func(t *testing.T) { runChecked(t, randomBytes(seed, n)) })
	}
}

// TestLogRoundTrip writes a long run's log as JSON lines, reads it back and
// replays it to the same decisions.
func TestLogRoundTrip(t *testing.T) {
	cfg := genConfig()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	g := &eventGen{data: randomBytes(9, 20000), now: t0}
	var want []Decision
	for g.more() {
		ds, _ := e.Apply(g.next(e))
		want = append(want, ds...)
	}
	var buf bytes.Buffer
	if err := WriteLog(&buf, e.Log()); err != nil {
		t.Fatal(err)
	}
	events, err := ReadLog(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != len(e.Log()) {
		t.Fatalf("read %d events, wrote %d", len(events), len(e.Log()))
	}
	got, err := Replay(cfg, events)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 500 {
		t.Fatalf("the run made only %d decisions; the generator is not exercising the engine", len(want))
	}
	if !sameDecisions(got, want) {
		t.Fatalf("replay from the written log: %d decisions, want %d, or different ones", len(got), len(want))
	}
}
