package routing

import (
	"testing"
)

// The default policy: manager for 30 s → experts (level ≥ 4) for 60 s →
// anyone with the skills. Agent 7 is the manager, 8 an expert, 9 a novice.

func withManager(id ItemID, skills string, manager AgentID) WorkItem {
	w := call(id, skills)
	w.Manager = manager
	return w
}

func TestStepManagerFree(t *testing.T) {
	s := newScenario(t, testConfig())
	s.login(0, 7, "", "")
	s.login(0, 8, "billing:5", "ru")
	s.expect(Enqueue{At: sec(1), Item: withManager(1, "billing:2", 7)}, "offer 1>7 s0")
}

func TestStepManagerBusyThenExperts(t *testing.T) {
	s := newScenario(t, testConfig())
	s.login(0, 7, "", "")
	s.login(0, 8, "billing:5", "ru")
	s.login(0, 9, "billing:2", "ru")
	s.expect(Enqueue{At: sec(1), Item: withManager(99, "", 7)}, "offer 99>7 s0")
	s.do(Accept{At: sec(1), Item: 99, Agent: 7})
	// The manager is on a call: the customer waits for them, not for the free novice.
	s.expect(Enqueue{At: sec(2), Item: withManager(1, "billing:2", 7)})
	s.expect(Advance{At: sec(31.9)})
	s.expect(Advance{At: sec(32)}, "escalate 1 s1 timeout", "offer 1>8 s1")
}

func TestStepManagerFreedWithinTimeout(t *testing.T) {
	s := newScenario(t, testConfig())
	s.login(0, 7, "", "")
	s.login(0, 8, "billing:5", "ru")
	s.expect(Enqueue{At: sec(1), Item: withManager(99, "", 7)}, "offer 99>7 s0")
	s.do(Accept{At: sec(1), Item: 99, Agent: 7})
	s.expect(Enqueue{At: sec(2), Item: withManager(1, "billing:2", 7)})
	s.expect(Complete{At: sec(20), Item: 99, Agent: 7}, "offer 1>7 s0")
	s.do(Accept{At: sec(21), Item: 1, Agent: 7})
	s.expect(Advance{At: sec(100)}) // an accepted item has no step timer
}

func TestStepExpertsBusyThenAnyone(t *testing.T) {
	s := newScenario(t, testConfig())
	s.login(0, 8, "billing:5", "ru")
	s.login(0, 9, "billing:2", "ru")
	s.expect(Enqueue{At: sec(1), Item: call(99, "billing:5")}, "escalate 99 s1 no_manager", "offer 99>8 s1")
	s.do(Accept{At: sec(1), Item: 99, Agent: 8})
	// The manager (7) never logged in: that step is skipped at once.
	s.expect(Enqueue{At: sec(2), Item: withManager(1, "billing:2", 7)}, "escalate 1 s1 nobody_logged_in")
	s.expect(Advance{At: sec(62)}, "escalate 1 s2 timeout", "offer 1>9 s2")
}

func TestStepNobodyLoggedInSkipsToLast(t *testing.T) {
	s := newScenario(t, testConfig())
	s.login(0, 9, "billing:2", "ru")
	s.expect(Enqueue{At: sec(1), Item: withManager(1, "billing:2", 7)},
		"escalate 1 s1 nobody_logged_in", "escalate 1 s2 nobody_logged_in", "offer 1>9 s2")
}

func TestStepLastNeverSkipped(t *testing.T) {
	s := newScenario(t, testConfig())
	s.expect(Enqueue{At: sec(1), Item: call(1, "billing:2")}, "escalate 1 s1 no_manager", "escalate 1 s2 nobody_logged_in")
	s.expect(Advance{At: sec(1000)})
	if got := s.login(1001, 9, "billing:3", "ru"); len(got) != 1 || got[0] != "offer 1>9 s2" {
		t.Fatalf("login: got %q, want the waiting item offered", got)
	}
}

func TestStepKeepIfEmptyWaits(t *testing.T) {
	cfg := testConfig()
	cfg.Policies = []Policy{{Name: "vip", Steps: []Step{
		{Target: TargetTeam, Team: "vip", Timeout: seconds(20), KeepIfEmpty: true},
		{Target: TargetAny},
	}}}
	s := newScenario(t, cfg)
	s.login(0, 9, "", "")
	s.expect(Enqueue{At: sec(1), Item: call(1, "")}) // waits for the vip team though nobody of it is in
	s.expect(Advance{At: sec(21)}, "escalate 1 s1 timeout", "offer 1>9 s1")
}

func TestStepTeamTarget(t *testing.T) {
	cfg := testConfig()
	cfg.Policies = []Policy{{Name: "overflow", Steps: []Step{
		{Target: TargetSkills, Timeout: seconds(10)},
		{Target: TargetTeam, Team: "overflow"},
	}}}
	s := newScenario(t, cfg)
	s.do(AgentLogin{At: sec(0), Agent: 5, Teams: []string{"overflow"}, Languages: []string{"ru"}})
	s.do(AgentLogin{At: sec(0), Agent: 6, Skills: parseSkills("tech:3"), Languages: []string{"en", "ru"}})
	s.expect(Enqueue{At: sec(1), Item: call(99, "tech:1")}, "offer 99>6 s0")
	s.do(Accept{At: sec(1), Item: 99, Agent: 6})
	// Item 1 needs tech; the team member lacks it, yet takes it in the team step.
	s.expect(Enqueue{At: sec(2), Item: call(1, "tech:1")})
	s.expect(Advance{At: sec(12)}, "escalate 1 s1 timeout", "offer 1>5 s1")
	// The team step keeps the language: an English item does not reach agent 5.
	s.expect(Enqueue{At: sec(13), Item: WorkItem{ID: 2, Channel: ChannelChat, Language: "en", Skills: parseSkills("tech:1")}},
		"offer 2>6 s0")
	s.do(Reject{At: sec(14), Item: 2, Agent: 6})
	s.expect(Advance{At: sec(24)}, "escalate 2 s1 timeout")
}

// TestStepManagerLogsOut: an item waiting for its busy manager moves on
// as soon as the manager logs out.
func TestStepManagerLogsOut(t *testing.T) {
	s := newScenario(t, testConfig())
	s.login(0, 7, "", "")
	s.login(0, 8, "billing:5", "ru")
	s.expect(Enqueue{At: sec(1), Item: withManager(99, "", 7)}, "offer 99>7 s0")
	s.do(Accept{At: sec(1), Item: 99, Agent: 7})
	s.expect(Enqueue{At: sec(2), Item: withManager(1, "billing:2", 7)})
	s.expect(AgentState{At: sec(5), Agent: 7, Status: Offline}, "escalate 1 s1 nobody_logged_in", "offer 1>8 s1")
	// The manager keeps the accepted call and may still complete it.
	s.expect(Complete{At: sec(6), Item: 99, Agent: 7})
}

// TestStepTimersAtTheSameInstant: an offer time-out and the step time-out
// fall together; the offer times out first, then the step escalates.
func TestStepTimersAtTheSameInstant(t *testing.T) {
	s := newScenario(t, testConfig())
	s.login(0, 7, "", "")
	s.login(0, 8, "billing:5", "ru")
	s.expect(Enqueue{At: sec(1), Item: withManager(1, "billing:2", 7)}, "offer 1>7 s0")
	s.expect(Advance{At: sec(31)}, "timeout 1>7", "escalate 1 s1 timeout", "offer 1>8 s1")
}

// TestStepEscalatesWhileOffered: the step times out during an offer; the
// offer stands, and if it fails the item is in the next step.
func TestStepEscalatesWhileOffered(t *testing.T) {
	cfg := testConfig()
	cfg.OfferTimeout = seconds(50)
	s := newScenario(t, cfg)
	s.login(0, 7, "", "")
	s.login(0, 8, "billing:5", "ru")
	s.expect(Enqueue{At: sec(1), Item: withManager(1, "billing:2", 7)}, "offer 1>7 s0")
	s.expect(Advance{At: sec(31)}, "escalate 1 s1 timeout")
	s.expect(Reject{At: sec(40), Item: 1, Agent: 7}, "offer 1>8 s1")
}

// TestStepExpertsLogOut: an item waiting for the experts moves on when the
// last expert logs out or stops being one.
func TestStepExpertsLogOut(t *testing.T) {
	for _, leave := range []string{"logout", "profile"} {
		t.Run(leave, func(t *testing.T) {
			s := newScenario(t, testConfig())
			s.login(0, 8, "billing:5", "ru")
			s.login(0, 9, "billing:2", "ru")
			s.expect(Enqueue{At: sec(1), Item: call(99, "billing:5")}, "escalate 99 s1 no_manager", "offer 99>8 s1")
			s.do(Accept{At: sec(1), Item: 99, Agent: 8})
			s.expect(Enqueue{At: sec(2), Item: call(1, "billing:2")}, "escalate 1 s1 no_manager")
			var ev Event = AgentState{At: sec(5), Agent: 8, Status: Offline}
			if leave == "profile" {
				ev = AgentLogin{At: sec(5), Agent: 8, Skills: parseSkills("billing:3"), Languages: []string{"ru"}}
			}
			s.expect(ev, "escalate 1 s2 nobody_logged_in", "offer 1>9 s2")
		})
	}
}
