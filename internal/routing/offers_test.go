package routing

import (
	"strconv"
	"testing"
	"time"
)

// anyoneConfig routes every item to any agent, longest idle first, with
// the given misses allowed.
func anyoneConfig(maxMisses int) Config {
	cfg := singleStep(Step{Target: TargetAny})
	cfg.MaxMisses = maxMisses
	return cfg
}

func TestOfferTimeoutReoffersThenAway(t *testing.T) {
	s := newScenario(t, anyoneConfig(2))
	s.login(0, 1, "", "")
	s.login(1, 2, "", "")
	s.expect(Enqueue{At: sec(2), Item: call(10, "")}, "offer 10>1 s0")
	s.expect(Advance{At: sec(31.999)})
	s.expect(Advance{At: sec(32)}, "timeout 10>1", "offer 10>2 s0")
	s.do(Accept{At: sec(33), Item: 10, Agent: 2})
	// Agent 1 misses a second offer in a row: away, and the item moves on.
	s.expect(Enqueue{At: sec(40), Item: call(11, "")}, "offer 11>1 s0")
	s.expect(Complete{At: sec(41), Item: 10, Agent: 2})
	s.expect(Advance{At: sec(70)}, "timeout 11>1", "offer 11>2 s0", "status 1 away missed_offers")
	if v, _ := s.e.Agent(1); v.Status != Away || v.Misses != 0 {
		t.Errorf("agent 1: %+v, want away with the count reset", v)
	}
	// Back to available, agent 1 works again.
	s.expect(Enqueue{At: sec(71), Item: call(12, "")})
	s.expect(AgentState{At: sec(72), Agent: 1, Status: Available}, "offer 12>1 s0")
}

func TestAcceptResetsMisses(t *testing.T) {
	s := newScenario(t, anyoneConfig(2))
	s.login(0, 1, "", "")
	s.expect(Enqueue{At: sec(1), Item: call(10, "")}, "offer 10>1 s0")
	s.expect(Reject{At: sec(2), Item: 10, Agent: 1}) // one miss; the item waits, agent 1 declined it
	s.expect(Enqueue{At: sec(3), Item: call(11, "")}, "offer 11>1 s0")
	s.do(Accept{At: sec(4), Item: 11, Agent: 1})
	if v, _ := s.e.Agent(1); v.Misses != 0 {
		t.Fatalf("misses after accept: %d, want 0", v.Misses)
	}
	s.expect(Complete{At: sec(5), Item: 11, Agent: 1})
	s.expect(Enqueue{At: sec(6), Item: call(12, "")}, "offer 12>1 s0")
	s.expect(Reject{At: sec(7), Item: 12, Agent: 1}) // one miss again, not two: still available
	if v, _ := s.e.Agent(1); v.Status != Available {
		t.Fatalf("agent 1 %s after one miss since its accept, want available", v.Status)
	}
}

func TestMaxMissesZeroNeverAway(t *testing.T) {
	s := newScenario(t, anyoneConfig(0))
	s.login(0, 1, "", "")
	for i := range 5 {
		at := float64(1 + 40*i)
		id := ItemID(10 + i)
		s.expect(Enqueue{At: sec(at), Item: call(id, "")}, "offer "+itoa(int(id))+">1 s0")
		s.expect(Advance{At: sec(at + 30)}, "timeout "+itoa(int(id))+">1")
	}
	if v, _ := s.e.Agent(1); v.Status != Available || v.Misses != 5 {
		t.Fatalf("agent 1: %+v, want available with 5 misses", v)
	}
}

func TestRejectedItemNotReofferedInSameStep(t *testing.T) {
	cfg := testConfig()
	s := newScenario(t, cfg)
	s.login(0, 8, "billing:5", "ru")
	// Policy: manager → experts (60 s) → anyone with the skills.
	s.expect(Enqueue{At: sec(1), Item: call(1, "billing:1")}, "escalate 1 s1 no_manager", "offer 1>8 s1")
	s.expect(Reject{At: sec(2), Item: 1, Agent: 8})
	s.expect(AgentState{At: sec(3), Agent: 8, Status: Busy})
	s.expect(AgentState{At: sec(4), Agent: 8, Status: Available}) // still declined in this step
	// In the next step the slate is clean.
	s.expect(Advance{At: sec(61)}, "escalate 1 s2 timeout", "offer 1>8 s2")
}

func TestCancel(t *testing.T) {
	s := newScenario(t, anyoneConfig(3))
	s.login(0, 1, "", "")
	s.expect(Enqueue{At: sec(1), Item: call(10, "")}, "offer 10>1 s0")
	s.expect(Enqueue{At: sec(2), Item: call(11, "")})
	s.expect(Enqueue{At: sec(3), Item: call(12, "")})
	s.expect(Cancel{At: sec(4), Item: 11}) // queued: just gone
	s.expect(Cancel{At: sec(5), Item: 10}, "revoked 10>1 cancelled", "offer 12>1 s0")
	s.do(Accept{At: sec(6), Item: 12, Agent: 1})
	s.expect(Enqueue{At: sec(7), Item: call(13, "")})
	s.expect(Cancel{At: sec(8), Item: 12}, "offer 13>1 s0") // assigned: the agent is free again
	for _, id := range []ItemID{10, 11, 12} {
		if _, ok := s.e.Item(id); ok {
			t.Errorf("item %d still in the engine after cancel", id)
		}
	}
	s.expect(Advance{At: sec(100)}, "timeout 13>1") // no stale timers of cancelled items fire
}

func TestAgentLeavingRevokesOffers(t *testing.T) {
	for _, status := range []Status{Busy, Away, Offline} {
		t.Run(string(status), func(t *testing.T) {
			s := newScenario(t, anyoneConfig(3))
			s.login(0, 1, "", "")
			s.login(1, 2, "", "")
			s.expect(Enqueue{At: sec(2), Item: call(10, "")}, "offer 10>1 s0")
			s.expect(AgentState{At: sec(3), Agent: 1, Status: status}, "revoked 10>1 agent_left", "offer 10>2 s0")
		})
	}
}

func TestProfileChangeRevokesOffers(t *testing.T) {
	s := newScenario(t, singleStep(Step{Target: TargetSkills}))
	s.login(0, 1, "billing:3", "ru")
	s.expect(Enqueue{At: sec(1), Item: call(10, "billing:3")}, "offer 10>1 s0")
	// Billing dropped to 2: the offer is withdrawn and nobody else qualifies.
	s.expect(AgentLogin{At: sec(2), Agent: 1, Skills: parseSkills("billing:2 tech:5"), Languages: []string{"ru"}},
		"revoked 10>1 agent_left")
	s.expect(AgentLogin{At: sec(3), Agent: 1, Skills: parseSkills("billing:4"), Languages: []string{"ru"}},
		"offer 10>1 s0")
}

func TestCapacityPerChannel(t *testing.T) {
	s := newScenario(t, anyoneConfig(3))
	s.login(0, 1, "", "") // DefaultConfig: 1 call, 3 chats, 5 emails
	chat := func(id ItemID) WorkItem { return WorkItem{ID: id, Channel: ChannelChat} }
	s.expect(Enqueue{At: sec(1), Item: chat(1)}, "offer 1>1 s0")
	s.expect(Enqueue{At: sec(1), Item: chat(2)}, "offer 2>1 s0")
	s.expect(Enqueue{At: sec(1), Item: chat(3)}, "offer 3>1 s0")
	s.expect(Enqueue{At: sec(1), Item: chat(4)})                     // three chats: full
	s.expect(Enqueue{At: sec(1), Item: call(5, "")}, "offer 5>1 s0") // the call slot is separate
	s.expect(Enqueue{At: sec(1), Item: call(6, "")})
	s.do(Accept{At: sec(2), Item: 2, Agent: 1})
	s.expect(Complete{At: sec(3), Item: 2, Agent: 1}, "offer 4>1 s0")
	if v, _ := s.e.Agent(1); v.Load[ChannelChat] != 3 || v.Load[ChannelCall] != 1 {
		t.Errorf("load %v, want 3 chats and 1 call", v.Load)
	}
}

func TestCapacityOverride(t *testing.T) {
	s := newScenario(t, anyoneConfig(3))
	s.do(AgentLogin{At: sec(0), Agent: 1, Capacity: map[Channel]int{ChannelChat: 1}})
	s.expect(Enqueue{At: sec(1), Item: WorkItem{ID: 1, Channel: ChannelChat}}, "offer 1>1 s0")
	s.expect(Enqueue{At: sec(1), Item: WorkItem{ID: 2, Channel: ChannelChat}})
	s.expect(Enqueue{At: sec(1), Item: call(3, "")}) // not listed: no calls
}

func TestWrapUpAfterComplete(t *testing.T) {
	cfg := anyoneConfig(3)
	cfg.WrapUp = map[Channel]time.Duration{ChannelCall: seconds(15)}
	s := newScenario(t, cfg)
	s.login(0, 1, "", "")
	s.expect(Enqueue{At: sec(1), Item: call(1, "")}, "offer 1>1 s0")
	s.do(Accept{At: sec(2), Item: 1, Agent: 1})
	s.expect(Enqueue{At: sec(3), Item: WorkItem{ID: 2, Channel: ChannelChat}}, "offer 2>1 s0")
	// Completing the call starts wrap-up, which withdraws the pending chat offer.
	s.expect(Complete{At: sec(10), Item: 1, Agent: 1}, "status 1 wrap_up completed", "revoked 2>1 agent_left")
	s.expect(Enqueue{At: sec(11), Item: call(3, "")})
	s.expect(Advance{At: sec(24.9)})
	s.expect(Advance{At: sec(25)}, "status 1 available wrap_up_ended", "offer 2>1 s0", "offer 3>1 s0")
}

func TestWrapUpRequestedByAgent(t *testing.T) {
	s := newScenario(t, anyoneConfig(3))
	s.login(0, 1, "", "")
	s.expect(AgentState{At: sec(1), Agent: 1, Status: WrapUp, WrapUp: seconds(20)})
	s.expect(Enqueue{At: sec(2), Item: call(1, "")})
	s.expect(AgentState{At: sec(3), Agent: 1, Status: WrapUp, WrapUp: seconds(5)}) // replaces the first
	s.expect(Advance{At: sec(8)}, "status 1 available wrap_up_ended", "offer 1>1 s0")
	s.expect(Advance{At: sec(21)}) // the replaced timer does not fire
}

func TestAwayDuringWrapUpStaysAway(t *testing.T) {
	s := newScenario(t, anyoneConfig(3))
	s.login(0, 1, "", "")
	s.expect(AgentState{At: sec(1), Agent: 1, Status: WrapUp, WrapUp: seconds(20)})
	s.expect(AgentState{At: sec(2), Agent: 1, Status: Away})
	s.expect(Enqueue{At: sec(3), Item: call(1, "")})
	s.expect(Advance{At: sec(30)})
	if v, _ := s.e.Agent(1); v.Status != Away {
		t.Fatalf("agent 1 is %s, want away", v.Status)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
