package routing

import (
	"testing"
)

// transferConfig: the default policy plus "complaints", served by the
// complaints team.
func transferConfig() Config {
	cfg := testConfig()
	cfg.Policies = append(cfg.Policies, Policy{Name: "complaints", Steps: []Step{{Target: TargetTeam, Team: "complaints"}}})
	return cfg
}

// transferScenario: agent 1 (billing) has accepted call 10.
func transferScenario(t *testing.T) *scenario {
	s := newScenario(t, transferConfig())
	s.login(0, 1, "billing:3", "ru")
	s.expect(Enqueue{At: sec(1), Item: call(10, "billing:1")}, "escalate 10 s1 no_manager", "escalate 10 s2 nobody_logged_in", "offer 10>1 s2")
	s.do(Accept{At: sec(2), Item: 10, Agent: 1})
	return s
}

func TestTransferToPerson(t *testing.T) {
	s := transferScenario(t)
	s.login(3, 2, "", "")
	s.expect(Transfer{At: sec(4), Item: 10, To: TransferTarget{Agent: 2}}, "offer 10>2 s0")
	if v, _ := s.e.Agent(1); v.Load[ChannelCall] != 0 {
		t.Errorf("agent 1 still carries %v after transferring", v.Load)
	}
}

// A busy person is waited for up to TransferTimeout; then the item follows
// its policy from the first step (here back to billing, agent 1).
func TestTransferToBusyPersonFallsBack(t *testing.T) {
	s := transferScenario(t)
	s.login(3, 2, "", "")
	s.do(AgentState{At: sec(3), Agent: 2, Status: Busy})
	s.expect(Transfer{At: sec(4), Item: 10, To: TransferTarget{Agent: 2}})
	s.expect(Advance{At: sec(34)}, "escalate 10 s1 timeout", "escalate 10 s2 no_manager",
		"escalate 10 s3 nobody_logged_in", "offer 10>1 s3")
}

func TestTransferToOfflinePersonSkipped(t *testing.T) {
	s := transferScenario(t)
	s.login(3, 2, "", "")
	s.do(AgentState{At: sec(3), Agent: 2, Status: Offline})
	s.expect(Transfer{At: sec(4), Item: 10, To: TransferTarget{Agent: 2}}, "escalate 10 s1 nobody_logged_in",
		"escalate 10 s2 no_manager", "escalate 10 s3 nobody_logged_in", "offer 10>1 s3")
}

func TestTransferToSkill(t *testing.T) {
	s := transferScenario(t)
	s.login(3, 2, "tech:2", "ru")
	s.expect(Transfer{At: sec(4), Item: 10, To: TransferTarget{Skills: parseSkills("tech:2")}},
		"escalate 10 s1 no_manager", "escalate 10 s2 nobody_logged_in", "offer 10>2 s2")
}

func TestTransferToQueue(t *testing.T) {
	s := transferScenario(t)
	s.do(AgentLogin{At: sec(3), Agent: 3, Teams: []string{"complaints"}})
	s.expect(Transfer{At: sec(4), Item: 10, To: TransferTarget{Policy: "complaints"}}, "offer 10>3 s0")
}

// A transfer keeps the customer's place: arrival time and priority age on.
func TestTransferKeepsArrival(t *testing.T) {
	s := newScenario(t, anyoneConfig(3))
	s.login(0, 1, "", "")
	s.expect(Enqueue{At: sec(0), Item: call(10, "")}, "offer 10>1 s0")
	s.do(Accept{At: sec(1), Item: 10, Agent: 1})
	s.expect(Enqueue{At: sec(100), Item: call(11, "")})
	s.do(AgentState{At: sec(101), Agent: 1, Status: Busy})
	// Back in the queue, item 10 (waiting since 0 s) is ahead of item 11.
	s.expect(Transfer{At: sec(102), Item: 10, To: TransferTarget{Policy: "only"}})
	s.expect(AgentState{At: sec(103), Agent: 1, Status: Available}, "offer 10>1 s0")
}

func TestTransferWhileOfferedRevokes(t *testing.T) {
	s := newScenario(t, transferConfig())
	s.login(0, 1, "billing:3", "ru")
	s.do(AgentLogin{At: sec(0), Agent: 3, Teams: []string{"complaints"}})
	s.expect(Enqueue{At: sec(1), Item: call(10, "billing:1")}, "escalate 10 s1 no_manager", "escalate 10 s2 nobody_logged_in", "offer 10>1 s2")
	s.expect(Transfer{At: sec(2), Item: 10, To: TransferTarget{Policy: "complaints"}}, "revoked 10>1 transferred", "offer 10>3 s0")
}

func TestTransferRefused(t *testing.T) {
	tests := []struct {
		name string
		ev   Transfer
		code string
	}{
		{"no target", Transfer{Item: 10}, "invalid"},
		{"two targets", Transfer{Item: 10, To: TransferTarget{Agent: 1, Policy: "complaints"}}, "invalid"},
		{"unknown agent", Transfer{Item: 10, To: TransferTarget{Agent: 42}}, "not_found"},
		{"unknown policy", Transfer{Item: 10, To: TransferTarget{Policy: "nope"}}, "invalid"},
		{"bad skill level", Transfer{Item: 10, To: TransferTarget{Skills: parseSkills("tech:9")}}, "invalid"},
		{"unknown item", Transfer{Item: 11, To: TransferTarget{Agent: 1}}, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := transferScenario(t)
			tt.ev.At = sec(5)
			s.refuse(tt.ev, tt.code)
			if v, _ := s.e.Item(10); v.State != Assigned || v.Agent != 1 {
				t.Errorf("item 10 after a refused transfer: %+v, want still assigned to 1", v)
			}
		})
	}
}
