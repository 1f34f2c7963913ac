package routing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vernost/vernost"
)

// FuzzEngine decodes bytes into an event sequence, checks the invariants
// after every event, checks that a refused event changes nothing, and at the
// end that the log replays to the same decisions and that a snapshot taken
// halfway continues to the same decisions.
func FuzzEngine(f *testing.F) {
	for seed := uint64(1); seed <= 4; seed++ {
		f.Add(randomBytes(seed, 600))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4000 {
			return // keep each run quick; length adds little past this
		}
		runChecked(t, data)
	})
}

// runChecked drives an engine from data with every check on and returns the
// decisions (encoded) for comparisons.
func runChecked(t *testing.T, data []byte) {
	t.Helper()
	cfg := genConfig()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	g := &eventGen{data: data, now: t0}
	var all []Decision
	var mid []byte // snapshot after half the events
	midDecisions, midLog := 0, 0
	n := 0
	for g.more() {
		ev := g.next(e)
		before := digest(e)
		ds, err := e.Apply(ev)
		all = append(all, ds...)
		if err != nil && len(ds) == 0 {
			if after := digest(e); after != before {
				t.Fatalf("event %d %#v failed (%v) but changed the state:\n%s\n→\n%s", n, ev, err, before, after)
			}
		}
		if err := checkInvariants(e); err != nil {
			t.Fatalf("after event %d %#v: %v", n, ev, err)
		}
		if err := checkOffers(e, ds); err != nil {
			t.Fatalf("after event %d %#v: %v", n, ev, err)
		}
		n++
		if mid == nil && g.i >= len(data)/2 {
			mid, midDecisions, midLog = mustSnapshot(t, e), len(all), len(e.Log())
		}
	}

	got, err := Replay(cfg, e.Log())
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if !sameDecisions(got, all) {
		t.Fatalf("replay gave %d decisions, the run %d, or different ones", len(got), len(all))
	}
	if mid != nil {
		checkContinue(t, mid, e.Log()[midLog:], all[midDecisions:])
	}
}

// checkContinue restores snap and applies the events that followed it,
// expecting the decisions the original engine made.
func checkContinue(t *testing.T, snap []byte, events []Event, want []Decision) {
	t.Helper()
	r, err := Restore(snap)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if err := checkInvariants(r); err != nil {
		t.Fatalf("restored engine: %v", err)
	}
	var got []Decision
	for _, ev := range events {
		ds, err := r.Apply(ev)
		if err != nil {
			t.Fatalf("restored engine refused %#v: %v", ev, err)
		}
		got = append(got, ds...)
	}
	if !sameDecisions(got, want) {
		t.Fatalf("after restore: %d decisions, want %d, or different ones", len(got), len(want))
	}
}

// checkOffers checks that the offers among ds that still stand went to
// agents able to take the item in its step.
func checkOffers(e *Engine, ds []Decision) error {
	for _, d := range ds {
		if d.Kind != Offer {
			continue
		}
		it := e.items[d.Item]
		if it == nil || it.state != Offered || it.agent.id != d.Agent || it.step != d.Step {
			continue // moved on since, within the same event
		}
		if q := e.queueFor(it, e.stepAt(it, it.step)); !q.admits(it.agent) {
			return fmt.Errorf("item %d offered to agent %d, who may not take it in step %d", it.id, d.Agent, d.Step)
		}
	}
	return nil
}

func mustSnapshot(t *testing.T, e *Engine) []byte {
	t.Helper()
	b, err := e.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sameDecisions(a, b []Decision) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 {
		return true
	}
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// digest writes down the engine's state apart from the clock, to check that
// a refused event (which still moves time) changes nothing else.
func digest(e *Engine) string {
	var b strings.Builder
	for _, a := range e.sortedAgents() {
		fmt.Fprintf(&b, "agent %d %s %v %v %v %v %d %d %d %d|", a.id, a.status, a.skills, a.langs, a.teams,
			a.load, len(a.offers), a.idleSince, a.misses, a.wrapTimer)
	}
	ids := make([]ItemID, 0, len(e.items))
	for id := range e.items {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		it := e.items[id]
		fmt.Fprintf(&b, "item %d %s %d %v %d %v %d %d %v|", id, it.state, it.step, it.reqs, it.direct,
			it.excluded, it.stepTimer, it.offerTimer, it.agent != nil)
	}
	fmt.Fprintf(&b, "queues %d", len(e.queues))
	return b.String()
}

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed*7919))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return b
}

// FuzzReadLog feeds arbitrary text to the event-log reader: it must return
// events or an error naming the line, never panic, and what it accepts must
// write back and read again to the same events.
func FuzzReadLog(f *testing.F) {
	f.Add([]byte(`{"type":"advance","event":{"at":"2026-11-23T09:00:00Z"}}` + "\n"))
	f.Add([]byte(`{"type":"enqueue","event":{"at":"2026-11-23T09:00:01Z","item":{"id":7,"channel":"call","skills":[{"skill":"billing","level":2}],"manager":3}}}`))
	f.Add([]byte(`{"type":"agent_login","event":{"at":"2026-11-23T09:00:00Z","agent":3,"capacity":{"chat":2}}}` + "\n\n" + `{"type":"cancel","event":{"item":1}}`))
	f.Add([]byte(`{"type":"transfer","event":{"item":1,"to":{"policy":"vip"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		events, err := ReadLog(bytes.NewReader(data))
		if err != nil {
			if vernost.ErrorCode(err) != vernost.EInvalid {
				t.Fatalf("ReadLog error %v is not an invalid-input error", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteLog(&buf, events); err != nil {
			t.Fatalf("WriteLog of events just read: %v", err)
		}
		again, err := ReadLog(&buf)
		if err != nil {
			t.Fatalf("reading back what WriteLog wrote: %v", err)
		}
		if !slices.Equal(normalise(events), normalise(again)) {
			t.Fatalf("round trip changed the events:\n%#v\n%#v", events, again)
		}
		// Whatever the log says, the engine answers with decisions or errors.
		e, err := New(genConfig())
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range events {
			e.Apply(ev)
		}
		if err := checkInvariants(e); err != nil {
			t.Fatal(err)
		}
	})
}

// normalise makes events comparable: times by instant, not by location.
func normalise(events []Event) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		b, _ := json.Marshal(ev)
		out[i] = eventType(ev) + string(b)
	}
	return out
}
