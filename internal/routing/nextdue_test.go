package routing

import (
	"testing"
	"time"
)

// TestNextDue: NextDue is the earliest live timer (offer expiry, step
// time-out, wrap-up end), skipping timers left stale by accepts and
// cancels; an Advance just before it decides nothing and one at it fires.
func TestNextDue(t *testing.T) {
	withWrapUp := anyoneConfig(3)
	withWrapUp.WrapUp = map[Channel]time.Duration{ChannelCall: 10 * time.Second}
	tests := []struct {
		name   string
		cfg    Config
		events []Event
		want   float64 // seconds after t0; negative for no timer
		first  string  // the first decision of an Advance to want
	}{
		{"empty engine", anyoneConfig(3), nil, -1, ""},
		{"idle agent", anyoneConfig(3), []Event{
			AgentLogin{At: sec(0), Agent: 1},
		}, -1, ""},
		{"offer expiry", anyoneConfig(3), []Event{
			AgentLogin{At: sec(0), Agent: 1},
			Enqueue{At: sec(1), Item: call(10, "")},
		}, 31, "timeout 10>1"},
		{"accepted: the offer timer is stale", anyoneConfig(3), []Event{
			AgentLogin{At: sec(0), Agent: 1},
			Enqueue{At: sec(1), Item: call(10, "")},
			Accept{At: sec(2), Item: 10, Agent: 1},
		}, -1, ""},
		{"cancelled: the offer timer is stale", anyoneConfig(3), []Event{
			AgentLogin{At: sec(0), Agent: 1},
			Enqueue{At: sec(1), Item: call(10, "")},
			Cancel{At: sec(2), Item: 10},
		}, -1, ""},
		{"step time-out behind a stale offer timer", testConfig(), []Event{
			AgentLogin{At: sec(0), Agent: 7},
			Enqueue{At: sec(1), Item: withManager(99, "", 7)}, // offered to 7 until 31 s
			Accept{At: sec(1), Item: 99, Agent: 7},
			Enqueue{At: sec(2), Item: withManager(1, "billing:2", 7)}, // waits for 7 until 32 s
		}, 32, "escalate 1 s1 timeout"},
		{"earliest of a step time-out and an offer expiry", testConfig(), []Event{
			AgentLogin{At: sec(0), Agent: 7},
			Enqueue{At: sec(1), Item: withManager(99, "", 7)},
			Accept{At: sec(1), Item: 99, Agent: 7},
			Enqueue{At: sec(2), Item: withManager(1, "billing:2", 7)}, // step ends at 32 s
			AgentLogin{At: sec(3), Agent: 8, Skills: parseSkills("billing:5")},
			Enqueue{At: sec(3), Item: call(2, "billing:1")}, // offered to 8 until 33 s
		}, 32, "escalate 1 s1 timeout"},
		{"offer expiry before a step time-out", testConfig(), []Event{
			AgentLogin{At: sec(0), Agent: 8, Skills: parseSkills("billing:5")},
			Enqueue{At: sec(1), Item: call(1, "billing:1")}, // experts' step until 61 s, offered until 31 s
		}, 31, "timeout 1>8"},
		{"wrap-up after completing", withWrapUp, []Event{
			AgentLogin{At: sec(0), Agent: 1},
			Enqueue{At: sec(1), Item: call(10, "")},
			Accept{At: sec(2), Item: 10, Agent: 1},
			Complete{At: sec(5), Item: 10, Agent: 1},
		}, 15, "status 1 available wrap_up_ended"},
		{"wrap-up asked for", anyoneConfig(3), []Event{
			AgentLogin{At: sec(0), Agent: 1},
			AgentState{At: sec(3), Agent: 1, Status: WrapUp, WrapUp: 20 * time.Second},
		}, 23, "status 1 available wrap_up_ended"},
		{"wrap-up cut short by logging out", anyoneConfig(3), []Event{
			AgentLogin{At: sec(0), Agent: 1},
			AgentState{At: sec(3), Agent: 1, Status: WrapUp, WrapUp: 20 * time.Second},
			AgentState{At: sec(4), Agent: 1, Status: Offline},
		}, -1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newScenario(t, tc.cfg)
			for _, ev := range tc.events {
				s.do(ev)
			}
			got, ok := s.e.NextDue()
			if tc.want < 0 {
				if ok {
					t.Fatalf("NextDue() = %s, true; want no timer", got.Sub(t0))
				}
				return
			}
			if want := sec(tc.want); !ok || !got.Equal(want) {
				t.Fatalf("NextDue() = +%s, %v; want +%s, true", got.Sub(t0), ok, want.Sub(t0))
			}
			if ds := s.do(Advance{At: got.Add(-time.Millisecond)}); len(ds) != 0 {
				t.Fatalf("Advance to 1 ms before NextDue decided %q; want nothing", ds)
			}
			if ds := s.do(Advance{At: got}); len(ds) == 0 || ds[0] != tc.first {
				t.Fatalf("Advance to NextDue decided %q; want %q first", ds, tc.first)
			}
		})
	}
}
