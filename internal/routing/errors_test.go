package routing

import (
	"strings"
	"testing"
	"time"

	"github.com/vernost/vernost"
)

// TestRefusedEvents: bad events are errors naming the field or the id, and
// leave the engine as it was.
func TestRefusedEvents(t *testing.T) {
	var nilLogin *AgentLogin
	tests := []struct {
		name  string
		ev    Event
		code  string
		field string // "" when the error names no field
	}{
		{"nil event", nil, vernost.EInvalid, "event"},
		{"nil pointer event", nilLogin, vernost.EInvalid, "event"},
		{"time backwards", Advance{At: sec(9)}, vernost.EInvalid, "at"},
		{"zero time", Advance{}, vernost.EInvalid, "at"},
		{"time out of range", Advance{At: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}, vernost.EInvalid, "at"},
		{"login without agent", AgentLogin{At: sec(10)}, vernost.EInvalid, "agent"},
		{"skill level 0", AgentLogin{At: sec(10), Agent: 2, Skills: parseSkills("tech:0")}, vernost.EInvalid, "skills[0].level"},
		{"skill level 6", AgentLogin{At: sec(10), Agent: 2, Skills: parseSkills("a:1 tech:6")}, vernost.EInvalid, "skills[1].level"},
		{"skill twice", AgentLogin{At: sec(10), Agent: 2, Skills: parseSkills("a:1 a:2")}, vernost.EInvalid, "skills[1].skill"},
		{"empty skill", AgentLogin{At: sec(10), Agent: 2, Skills: []SkillLevel{{Level: 1}}}, vernost.EInvalid, "skills[0].skill"},
		{"empty language", AgentLogin{At: sec(10), Agent: 2, Languages: []string{""}}, vernost.EInvalid, "languages[0]"},
		{"unknown channel capacity", AgentLogin{At: sec(10), Agent: 2, Capacity: map[Channel]int{"fax": 1}}, vernost.EInvalid, "capacity.fax"},
		{"negative capacity", AgentLogin{At: sec(10), Agent: 2, Capacity: map[Channel]int{ChannelChat: -1}}, vernost.EInvalid, "capacity.chat"},
		{"state of unknown agent", AgentState{At: sec(10), Agent: 42, Status: Away}, vernost.ENotFound, ""},
		{"unknown status", AgentState{At: sec(10), Agent: 1, Status: "lunch"}, vernost.EInvalid, "status"},
		{"wrap-up without duration", AgentState{At: sec(10), Agent: 1, Status: WrapUp}, vernost.EInvalid, "wrap_up"},
		{"duration without wrap-up", AgentState{At: sec(10), Agent: 1, Status: Away, WrapUp: time.Second}, vernost.EInvalid, "wrap_up"},
		{"offline agent goes available", AgentState{At: sec(10), Agent: 3, Status: Available}, vernost.EConflict, ""},
		{"item without id", Enqueue{At: sec(10), Item: WorkItem{Channel: ChannelCall}}, vernost.EInvalid, "item.id"},
		{"item twice", Enqueue{At: sec(10), Item: call(5, "")}, vernost.EConflict, ""},
		{"unknown channel", Enqueue{At: sec(10), Item: WorkItem{ID: 6, Channel: "fax"}}, vernost.EInvalid, "item.channel"},
		{"item skill level", Enqueue{At: sec(10), Item: call(6, "tech:7")}, vernost.EInvalid, "item.skills[0].level"},
		{"value tier", Enqueue{At: sec(10), Item: WorkItem{ID: 6, Channel: ChannelCall, Value: 4}}, vernost.EInvalid, "item.value"},
		{"risk tier", Enqueue{At: sec(10), Item: WorkItem{ID: 6, Channel: ChannelCall, Risk: -1}}, vernost.EInvalid, "item.risk"},
		{"unknown policy", Enqueue{At: sec(10), Item: WorkItem{ID: 6, Channel: ChannelCall, Policy: "nope"}}, vernost.EInvalid, "item.policy"},
		{"arrival in the future", Enqueue{At: sec(10), Item: WorkItem{ID: 6, Channel: ChannelCall, Arrival: sec(11)}}, vernost.EInvalid, "item.arrival"},
		{"accept unknown item", Accept{At: sec(10), Item: 42, Agent: 1}, vernost.ENotFound, ""},
		{"accept by unknown agent", Accept{At: sec(10), Item: 5, Agent: 42}, vernost.ENotFound, ""},
		{"accept by the wrong agent", Accept{At: sec(10), Item: 5, Agent: 3}, vernost.EConflict, ""},
		{"accept twice", Accept{At: sec(10), Item: 4, Agent: 1}, vernost.EConflict, ""},
		{"reject unknown item", Reject{At: sec(10), Item: 42, Agent: 1}, vernost.ENotFound, ""},
		{"reject an accepted item", Reject{At: sec(10), Item: 4, Agent: 1}, vernost.EConflict, ""},
		{"complete an offered item", Complete{At: sec(10), Item: 5, Agent: 1}, vernost.EConflict, ""},
		{"complete by another agent", Complete{At: sec(10), Item: 4, Agent: 3}, vernost.EConflict, ""},
		{"complete unknown item", Complete{At: sec(10), Item: 42, Agent: 1}, vernost.ENotFound, ""},
		{"cancel unknown item", Cancel{At: sec(10), Item: 42}, vernost.ENotFound, ""},
		{"unknown event type", embeddedAdvance{Advance{At: sec(10)}}, vernost.EInvalid, "event"},
		{"item skill twice", Enqueue{At: sec(10), Item: call(6, "a:1 b:2 a:3")}, vernost.EInvalid, "item.skills[2].skill"},
		{"skill twice in a long list", AgentLogin{At: sec(10), Agent: 2, Skills: manySkills(20, 17)}, vernost.EInvalid, "skills[17].skill"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Agent 1 works chats: item 4 accepted, item 5 offered.
			// Agent 3 logged in and out.
			s := newScenario(t, anyoneConfig(3))
			s.login(0, 1, "", "")
			s.login(0, 3, "", "")
			s.do(AgentState{At: sec(0), Agent: 3, Status: Offline})
			s.do(Enqueue{At: sec(1), Item: WorkItem{ID: 4, Channel: ChannelChat}})
			s.do(Accept{At: sec(2), Item: 4, Agent: 1})
			s.do(Enqueue{At: sec(3), Item: WorkItem{ID: 5, Channel: ChannelChat}})
			s.do(Advance{At: sec(10)})
			before := digest(s.e)
			logged := len(s.e.Log())
			err := s.refuse(tt.ev, tt.code)
			if got := vernost.ErrorField(err); got != tt.field {
				t.Errorf("error %q names field %q, want %q", err, got, tt.field)
			}
			if after := digest(s.e); after != before {
				t.Errorf("a refused event changed the state:\n%s\n→\n%s", before, after)
			}
			if len(s.e.Log()) != logged {
				t.Errorf("a refused event at the engine's time was logged: %#v", s.e.Log()[logged:])
			}
		})
	}
}

// TestRefusedEventStillMovesTime: timers due by a refused event fire, are
// returned with the error, and the log records an Advance so replay agrees.
func TestRefusedEventStillMovesTime(t *testing.T) {
	s := newScenario(t, anyoneConfig(3))
	s.login(0, 1, "", "")
	s.login(0.5, 2, "", "")
	s.expect(Enqueue{At: sec(1), Item: call(10, "")}, "offer 10>1 s0")
	ds, err := s.e.Apply(Accept{At: sec(40), Item: 10, Agent: 1}) // too late: the offer timed out at 31 s
	if vernost.ErrorCode(err) != vernost.EConflict {
		t.Fatalf("late accept: err %v, want a conflict", err)
	}
	if got := show(ds); len(got) != 2 || got[0] != "timeout 10>1" || got[1] != "offer 10>2 s0" {
		t.Fatalf("decisions with the error: %q, want the time-out and the re-offer", got)
	}
	log := s.e.Log()
	if last, ok := log[len(log)-1].(Advance); !ok || !last.At.Equal(sec(40)) {
		t.Fatalf("last logged event %#v, want Advance at +40s", log[len(log)-1])
	}
	got, err := Replay(anyoneConfig(3), log)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got); n != 3 { // offer, time-out, re-offer
		t.Fatalf("replay made %d decisions, want 3: %q", n, show(got))
	}
}

// TestPointerEvents: pointers to events are accepted like values.
func TestPointerEvents(t *testing.T) {
	s := newScenario(t, anyoneConfig(3))
	s.do(&AgentLogin{At: sec(0), Agent: 1})
	s.expect(&Enqueue{At: sec(1), Item: call(1, "")}, "offer 1>1 s0")
	if _, ok := s.e.Log()[1].(Enqueue); !ok {
		t.Errorf("logged %T, want the Enqueue value", s.e.Log()[1])
	}
}

func TestConfigRefused(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Config)
		field string
	}{
		{"no channels", func(c *Config) { c.Capacity = nil }, "capacity"},
		{"capacity too big", func(c *Config) { c.Capacity[ChannelChat] = 5000 }, "capacity.chat"},
		{"wrap-up for an unknown channel", func(c *Config) { c.WrapUp = map[Channel]time.Duration{"fax": 1} }, "wrap_up.fax"},
		{"negative wrap-up", func(c *Config) { c.WrapUp[ChannelCall] = -1 }, "wrap_up.call"},
		{"negative offer timeout", func(c *Config) { c.OfferTimeout = -1 }, "offer_timeout"},
		{"negative misses", func(c *Config) { c.MaxMisses = -1 }, "max_misses"},
		{"no policies", func(c *Config) { c.Policies = nil }, "policies"},
		{"policy without name", func(c *Config) { c.Policies[0].Name = "" }, "policies[0].name"},
		{"policy twice", func(c *Config) { c.Policies = append(c.Policies, c.Policies[0]) }, "policies[1].name"},
		{"policy without steps", func(c *Config) { c.Policies[0].Steps = nil }, "policies[0].steps"},
		{"unknown target", func(c *Config) { c.Policies[0].Steps[1].Target = "boss" }, "policies[0].steps[1].target"},
		{"manager last", func(c *Config) { c.Policies[0].Steps = c.Policies[0].Steps[:1] }, "policies[0].steps[0].target"},
		{"team without name", func(c *Config) { c.Policies[0].Steps[2] = Step{Target: TargetTeam} }, "policies[0].steps[2].team"},
		{"min level 7", func(c *Config) { c.Policies[0].Steps[1].MinLevel = 7 }, "policies[0].steps[1].min_level"},
		{"negative step timeout", func(c *Config) { c.Policies[0].Steps[0].Timeout = -1 }, "policies[0].steps[0].timeout"},
		{"unknown strategy", func(c *Config) { c.Policies[0].Steps[2].Choose = "random" }, "policies[0].steps[2].choose"},
		{"negative aging", func(c *Config) { c.Priority.AgingPerMinute = -1 }, "priority.aging_per_minute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.edit(&cfg)
			_, err := New(cfg)
			if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != tt.field {
				t.Fatalf("New: %v (field %q), want invalid %q", err, vernost.ErrorField(err), tt.field)
			}
		})
	}
}

func TestConfigDefaultsFilled(t *testing.T) {
	cfg := DefaultConfig()
	cfg.OfferTimeout, cfg.TransferTimeout = 0, 0
	cfg.Policies[0].Steps[2].Choose = ""
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if e.cfg.OfferTimeout != 30*time.Second || e.cfg.TransferTimeout != 30*time.Second {
		t.Errorf("timeouts %s, %s; want the 30 s defaults", e.cfg.OfferTimeout, e.cfg.TransferTimeout)
	}
	if got := e.cfg.Policies[0].Steps[2].Choose; got != LongestIdle {
		t.Errorf("strategy %q, want longest_idle", got)
	}
	if cfg.Policies[0].Steps[2].Choose != "" {
		t.Errorf("New changed the caller's config")
	}
}

func TestRestoreRefused(t *testing.T) {
	s := newScenario(t, anyoneConfig(3))
	s.login(0, 1, "", "")
	s.do(Enqueue{At: sec(1), Item: call(10, "")})
	good, err := s.e.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data string
		want string // in the error
	}{
		{"not json", "{", "snapshot"},
		{"other version", strings.Replace(string(good), `"version":1`, `"version":2`, 1), "snapshot.version"},
		{"bad config", strings.Replace(string(good), `"offer_timeout":30000000000`, `"offer_timeout":-5`, 1), "offer_timeout"},
		{"offer to unknown agent", strings.Replace(string(good), `"agent":1,"step"`, `"agent":9,"step"`, 1), "agent 9"},
		{"bad state", strings.Replace(string(good), `"state":"offered"`, `"state":"lost"`, 1), "state"},
		{"bad step", strings.Replace(string(good), `"step":0`, `"step":7`, 1), "step"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.data == string(good) {
				t.Fatalf("the edit did not apply; snapshot is %s", good)
			}
			_, err := Restore([]byte(tt.data))
			if vernost.ErrorCode(err) != vernost.EInvalid || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Restore: %v, want an invalid error mentioning %q", err, tt.want)
			}
		})
	}
}

func TestReadLogRefused(t *testing.T) {
	tests := []struct {
		name, log, want string
	}{
		{"not json", "{\"type\":\"advance\",\"event\":{\"at\":\"2026-11-23T09:00:00Z\"}}\nnope\n", "line 2"},
		{"unknown type", `{"type":"teleport","event":{}}`, "line 1: unknown event type"},
		{"no event", `{"type":"cancel"}`, "line 1: cancel: no event"},
		{"bad field", `{"type":"cancel","event":{"item":"x"}}`, "line 1: cancel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadLog(strings.NewReader(tt.log))
			if vernost.ErrorCode(err) != vernost.EInvalid || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ReadLog: %v, want an invalid error with %q", err, tt.want)
			}
		})
	}
}

// embeddedAdvance satisfies Event by embedding one, but is no event type
// the engine knows.
type embeddedAdvance struct{ Advance }

// manySkills lists n distinct skills at level 1, except that skill dup
// repeats skill 0.
func manySkills(n, dup int) []SkillLevel {
	ss := make([]SkillLevel, n)
	for i := range ss {
		ss[i] = SkillLevel{Skill: "s" + itoa(i), Level: 1}
	}
	ss[dup].Skill = ss[0].Skill
	return ss
}
