package routing

import (
	"slices"
	"strings"
	"testing"
)

// TestQueueOrder checks which waiting item an agent gets first: priority,
// customer value and risk tiers, aging, and first come first served.
func TestQueueOrder(t *testing.T) {
	type arrival struct {
		at   float64 // enqueued at, seconds
		item WorkItem
	}
	item := func(id ItemID, prio int, value, risk Tier) WorkItem {
		return WorkItem{ID: id, Channel: ChannelCall, Priority: prio, Value: value, Risk: risk}
	}
	tests := []struct {
		name    string
		items   []arrival
		loginAt float64
		want    []ItemID
	}{
		{"priority first", []arrival{
			{0, item(1, 0, 0, 0)}, {0, item(2, 2, 0, 0)}, {0, item(3, 1, 0, 0)},
		}, 1, []ItemID{2, 3, 1}},
		{"first come first served among equals", []arrival{
			{0, item(1, 0, 0, 0)}, {1, item(2, 0, 0, 0)}, {2, item(3, 0, 0, 0)},
		}, 3, []ItemID{1, 2, 3}},
		{"same instant: enqueue order", []arrival{
			{5, item(3, 0, 0, 0)}, {5, item(1, 0, 0, 0)}, {5, item(2, 0, 0, 0)},
		}, 5, []ItemID{3, 1, 2}},
		// Weights of DefaultConfig: value 0,1,2,4 and risk 0,1,3,6.
		{"valuable customers at risk first", []arrival{
			{0, item(1, 0, TierNone, TierNone)},  // 0
			{0, item(2, 0, TierHigh, TierNone)},  // 4
			{0, item(3, 0, TierNone, TierHigh)},  // 6
			{0, item(4, 0, TierHigh, TierHigh)},  // 10
			{0, item(5, 5, TierNone, TierNone)},  // 5
			{0, item(6, 0, TierLow, TierMedium)}, // 4, after item 2
		}, 1, []ItemID{4, 3, 5, 2, 6, 1}},
		// One point per minute of waiting.
		{"aging: five minutes beat three points", []arrival{
			{0, item(1, 0, 0, 0)}, {240, item(2, 3, 0, 0)},
		}, 300, []ItemID{1, 2}}, // at 300 s: 5 against 3+1
		{"aging: one minute does not", []arrival{
			{0, item(1, 0, 0, 0)}, {60, item(2, 3, 0, 0)},
		}, 120, []ItemID{2, 1}}, // 2 against 3+1
		{"aging counts from the arrival given", []arrival{
			{200, item(2, 3, 0, 0)},
			{290, func() WorkItem { w := item(1, 0, 0, 0); w.Arrival = sec(0); return w }()},
		}, 300, []ItemID{1, 2}}, // 5 against 3+1⅔
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScenario(t, singleStep(Step{Target: TargetAny}))
			for _, a := range tt.items {
				s.expect(Enqueue{At: sec(a.at), Item: a.item}) // nobody logged in yet
			}
			var got []ItemID
			now := tt.loginAt
			ds := s.do(AgentLogin{At: sec(now), Agent: 7})
			for range tt.items {
				if len(ds) != 1 {
					t.Fatalf("got decisions %q, want one offer", ds)
				}
				var id ItemID
				for _, it := range s.e.items {
					if it.state == Offered {
						id = it.id
					}
				}
				got = append(got, id)
				s.do(Accept{At: sec(now), Item: id, Agent: 7})
				ds = s.do(Complete{At: sec(now), Item: id, Agent: 7})
				if len(got) == len(tt.items) {
					break
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("offer order %v, want %v", got, tt.want)
			}
		})
	}
}

// TestAgentFreedTakesBestItemAcrossQueues: an agent serving several queues
// takes the best item over all of them, not the first queue's head.
func TestAgentFreedTakesBestItemAcrossQueues(t *testing.T) {
	s := newScenario(t, singleStep(Step{Target: TargetSkills}))
	s.expect(Enqueue{At: sec(0), Item: call(1, "billing:1")})
	s.expect(Enqueue{At: sec(1), Item: WorkItem{ID: 2, Channel: ChannelCall, Skills: parseSkills("tech:1"), Risk: TierHigh}})
	s.expect(Enqueue{At: sec(2), Item: WorkItem{ID: 3, Channel: ChannelCall, Language: "en"}})
	if got, want := s.login(3, 7, "billing:2 tech:2", "ru"), []string{"offer 2>7 s0"}; !slices.Equal(got, want) {
		t.Fatalf("login: got %q, want %q", got, want)
	}
	s.do(Accept{At: sec(4), Item: 2, Agent: 7})
	// Item 3 wants English, which agent 7 does not speak.
	s.expect(Complete{At: sec(5), Item: 2, Agent: 7}, "offer 1>7 s0")
}

// TestStrategies: each agent-choice strategy picks a different agent from
// the same three.
//   - agent 1: billing 2, idle longest (since 1 s), one chat of three
//   - agent 2: billing 5, idle since 2 s, one chat of three
//   - agent 3: billing 3, idle since 5 s, no chat
func TestStrategies(t *testing.T) {
	tests := []struct {
		how  Strategy
		want string
	}{
		{LongestIdle, "offer 20>1 s0"},
		{LeastOccupied, "offer 20>3 s0"},
		{BestSkill, "offer 20>2 s0"},
	}
	for _, tt := range tests {
		t.Run(string(tt.how), func(t *testing.T) {
			s := newScenario(t, singleStep(Step{Target: TargetSkills, Choose: tt.how}))
			s.login(0, 1, "billing:2 only1:1", "ru")
			s.login(0, 2, "billing:5 only2:1", "ru")
			chat := func(id ItemID, skills string) WorkItem {
				return WorkItem{ID: id, Channel: ChannelChat, Skills: parseSkills(skills)}
			}
			s.expect(Enqueue{At: sec(1), Item: chat(10, "only1:1")}, "offer 10>1 s0")
			s.do(Accept{At: sec(1), Item: 10, Agent: 1})
			s.expect(Enqueue{At: sec(2), Item: chat(11, "only2:1")}, "offer 11>2 s0")
			s.do(Accept{At: sec(2), Item: 11, Agent: 2})
			s.login(5, 3, "billing:3", "ru")
			s.expect(Enqueue{At: sec(6), Item: chat(20, "billing:1")}, tt.want)
		})
	}
}

// TestLeastOccupiedComparesShares: 1 chat of 2 is busier than 1 of 3.
func TestLeastOccupiedComparesShares(t *testing.T) {
	s := newScenario(t, singleStep(Step{Target: TargetAny, Choose: LeastOccupied}))
	s.do(AgentLogin{At: sec(0), Agent: 1, Skills: parseSkills("a:1"), Capacity: map[Channel]int{ChannelChat: 2}})
	s.do(AgentLogin{At: sec(0), Agent: 2, Skills: parseSkills("b:1"), Capacity: map[Channel]int{ChannelChat: 3}})
	s.expect(Enqueue{At: sec(1), Item: WorkItem{ID: 1, Channel: ChannelChat}}, "offer 1>1 s0") // tie: longest idle, then id
	s.expect(Enqueue{At: sec(2), Item: WorkItem{ID: 2, Channel: ChannelChat}}, "offer 2>2 s0") // 0/3 < 1/2
	s.expect(Enqueue{At: sec(3), Item: WorkItem{ID: 3, Channel: ChannelChat}}, "offer 3>2 s0") // 1/3 < 1/2
	s.expect(Enqueue{At: sec(4), Item: WorkItem{ID: 4, Channel: ChannelChat}}, "offer 4>1 s0") // 1/2 < 2/3
}

// TestEligibility: skills at their levels, languages and channel capacity
// decide who may take an item.
func TestEligibility(t *testing.T) {
	tests := []struct {
		name   string
		skills string
		langs  string
		cap    map[Channel]int
		item   WorkItem
		offer  bool
	}{
		{"has the skill at the level", "billing:3", "ru", nil, call(1, "billing:3"), true},
		{"level too low", "billing:2", "ru", nil, call(1, "billing:3"), false},
		{"one of two skills missing", "billing:3", "ru", nil, call(1, "billing:1 tech:1"), false},
		{"both skills", "tech:1 billing:3", "ru", nil, call(1, "billing:1 tech:1"), true},
		{"language spoken", "billing:3", "en ru", nil, WorkItem{ID: 1, Channel: ChannelCall, Language: "en"}, true},
		{"language not spoken", "billing:3", "ru", nil, WorkItem{ID: 1, Channel: ChannelCall, Language: "en"}, false},
		{"any language", "", "", nil, WorkItem{ID: 1, Channel: ChannelCall}, true},
		{"no capacity on the channel", "billing:3", "ru", map[Channel]int{ChannelChat: 3}, call(1, "billing:1"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScenario(t, singleStep(Step{Target: TargetSkills}))
			s.do(AgentLogin{At: sec(0), Agent: 7, Skills: parseSkills(tt.skills), Languages: strings.Fields(tt.langs), Capacity: tt.cap})
			got := s.do(Enqueue{At: sec(1), Item: tt.item})
			if offered := len(got) == 1 && got[0] == "offer 1>7 s0"; offered != tt.offer {
				t.Errorf("decisions %q; want an offer to agent 7: %v", got, tt.offer)
			}
		})
	}
}
