package routing

import (
	"testing"
	"time"
)

// TestHotPathAllocations: an item enqueued, offered, accepted and completed
// allocates only the item itself. Events passed to Apply must not escape
// (else each is boxed on the heap), decisions reuse the engine's slice, and
// an item's skills come from the shared lists.
func TestHotPathAllocations(t *testing.T) {
	cfg := anyoneConfig(3)
	cfg.Record = false // the log keeps a copy of every event by design
	cfg.Policies[0].Steps[0] = Step{Target: TargetSkills}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	at := t0
	if _, err := e.Apply(AgentLogin{At: at, Agent: 1, Skills: parseSkills("billing:3 tech:2")}); err != nil {
		t.Fatal(err)
	}
	skills := parseSkills("billing:2 tech:1")
	id := ItemID(0)
	cycle := func() {
		id++
		at = at.Add(time.Second)
		ds, err := e.Apply(Enqueue{At: at, Item: WorkItem{ID: id, Channel: ChannelCall, Skills: skills}})
		if err != nil || len(ds) != 1 || ds[0].Kind != Offer {
			t.Fatalf("enqueue %d: %v, %v; want one offer", id, ds, err)
		}
		if _, err := e.Apply(Accept{At: at, Item: id, Agent: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Apply(Complete{At: at, Item: id, Agent: 1}); err != nil {
			t.Fatal(err)
		}
	}
	for range 100 { // warm up: queues, shared lists, slices at their size
		cycle()
	}
	if got := testing.AllocsPerRun(1000, cycle); got > 1 {
		t.Errorf("enqueue → offer → accept → complete: %v allocations, want at most 1 (the item)", got)
	}
}
