package routing

import (
	"sort"
	"time"
)

// t0 is the start of every test's clock.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// sec is t0 plus s seconds.
func sec(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

// genConfig is a small contact center for random runs: three channels, a
// default policy with manager, expert and skills steps, and policies that
// exercise teams, KeepIfEmpty and the three strategies.
func genConfig() Config {
	cfg := DefaultConfig()
	cfg.Capacity = map[Channel]int{ChannelCall: 1, ChannelChat: 2, ChannelEmail: 3}
	cfg.WrapUp = map[Channel]time.Duration{ChannelCall: 10 * time.Second}
	cfg.MaxMisses = 2
	cfg.TransferTimeout = 20 * time.Second
	cfg.Record = true
	cfg.Policies = append(cfg.Policies,
		Policy{Name: "complaint", Steps: []Step{
			{Target: TargetSkills, MinLevel: 3, Timeout: 20 * time.Second, Choose: BestSkill},
			{Target: TargetTeam, Team: "senior", Timeout: 40 * time.Second, KeepIfEmpty: true, Choose: LeastOccupied},
			{Target: TargetAny, Choose: LeastOccupied},
		}},
		Policy{Name: "team", Steps: []Step{
			{Target: TargetManager, Timeout: 15 * time.Second, KeepIfEmpty: true},
			{Target: TargetTeam, Team: "senior"},
		}},
	)
	return cfg
}

// eventGen turns bytes into a plausible event sequence for a small center:
// six agents, twelve item ids, three skills, two languages. It looks at the
// engine to aim accepts, rejects and completions at real offers and
// assignments, and sometimes sends nonsense on purpose.
type eventGen struct {
	data []byte
	i    int
	now  time.Time
}

func (g *eventGen) more() bool { return g.i < len(g.data) }

func (g *eventGen) byte() int {
	if g.i >= len(g.data) {
		return 0
	}
	b := g.data[g.i]
	g.i++
	return int(b)
}

var (
	genSkills   = []string{"billing", "tech", "retention"}
	genLangs    = []string{"ru", "en"}
	genChannels = []Channel{ChannelCall, ChannelChat, ChannelEmail}
	genStatuses = []Status{Available, Available, Available, Busy, Away, Offline, WrapUp, "lunch"}
	genPolicies = []string{"", "default", "complaint", "team", "nope"}
)

func (g *eventGen) skills(max, maxLevel int) []SkillLevel {
	var ss []SkillLevel
	mask := g.byte()
	for i, s := range genSkills {
		if mask&(1<<i) != 0 && len(ss) < max {
			ss = append(ss, SkillLevel{Skill: s, Level: 1 + g.byte()%maxLevel})
		}
	}
	return ss
}

func (g *eventGen) next(e *Engine) Event {
	op := g.byte()
	switch d := g.byte(); {
	case d%3 == 0: // same instant
	case d%17 == 0:
		g.now = g.now.Add(time.Duration(60+d%60) * time.Second)
	default:
		g.now = g.now.Add(time.Duration(d%8) * time.Second)
	}
	at := g.now
	switch op % 16 {
	case 0, 15:
		ev := AgentLogin{At: at, Agent: AgentID(1 + g.byte()%6), Skills: g.skills(3, MaxLevel)}
		if m := g.byte(); m&1 != 0 {
			ev.Languages = append(ev.Languages, "ru")
		} else if m&2 != 0 {
			ev.Languages = append(ev.Languages, "en", "ru")
		}
		if g.byte()%3 == 0 {
			ev.Teams = []string{"senior"}
		}
		if g.byte()%4 == 0 {
			ev.Capacity = map[Channel]int{ChannelChat: g.byte() % 4, ChannelEmail: 1}
		}
		return ev
	case 1:
		ev := AgentState{At: at, Agent: AgentID(1 + g.byte()%7), Status: genStatuses[g.byte()%len(genStatuses)]}
		if ev.Status == WrapUp {
			ev.WrapUp = time.Duration(1+g.byte()%20) * time.Second
		}
		return ev
	case 2, 3, 4:
		w := WorkItem{
			ID:       ItemID(1 + g.byte()%12),
			Channel:  genChannels[g.byte()%len(genChannels)],
			Skills:   g.skills(2, 3),
			Priority: g.byte()%3 - 1,
			Value:    Tier(g.byte() % 4),
			Risk:     Tier(g.byte() % 4),
			Manager:  AgentID(g.byte() % 7),
			Policy:   genPolicies[g.byte()%len(genPolicies)],
		}
		if l := g.byte() % 3; l < 2 {
			w.Language = genLangs[l]
		}
		return Enqueue{At: at, Item: w}
	case 5, 6, 7, 8:
		// Answer a real offer most of the time.
		its := itemsIn(e, Offered)
		k := g.byte()
		if k%8 == 0 {
			return Accept{At: at, Item: ItemID(1 + k%12), Agent: AgentID(1 + g.byte()%6)}
		}
		if len(its) == 0 {
			return g.wakeAgent(e, at)
		}
		it := its[k%len(its)]
		if op%16 == 8 {
			return Reject{At: at, Item: it.id, Agent: it.agent.id}
		}
		return Accept{At: at, Item: it.id, Agent: it.agent.id}
	case 9, 10, 11:
		its := itemsIn(e, Assigned)
		k := g.byte()
		if k%8 == 0 {
			return Complete{At: at, Item: ItemID(1 + k%12), Agent: AgentID(1 + g.byte()%6)}
		}
		if len(its) == 0 {
			return g.wakeAgent(e, at)
		}
		it := its[k%len(its)]
		return Complete{At: at, Item: it.id, Agent: it.agent.id}
	case 12:
		return Cancel{At: at, Item: ItemID(1 + g.byte()%12)}
	case 13:
		ev := Transfer{At: at, Item: ItemID(1 + g.byte()%12)}
		switch g.byte() % 4 {
		case 0:
			ev.To.Agent = AgentID(1 + g.byte()%6)
		case 1:
			ev.To.Skills = g.skills(2, 3)
		case 2:
			ev.To.Policy = genPolicies[g.byte()%len(genPolicies)]
		}
		return ev
	}
	if g.byte()%16 == 0 {
		return Advance{At: at.Add(-time.Second)} // time going backwards
	}
	return Advance{At: at}
}

// wakeAgent makes an agent available, logging it in if need be, so that
// runs do not stall with everybody away.
func (g *eventGen) wakeAgent(e *Engine, at time.Time) Event {
	id := AgentID(1 + g.byte()%6)
	if a := e.agents[id]; a != nil && a.status != Offline {
		return AgentState{At: at, Agent: id, Status: Available}
	}
	return AgentLogin{At: at, Agent: id, Skills: g.skills(3, MaxLevel), Languages: []string{"ru"}}
}

// itemsIn lists the engine's items in a state, by id.
func itemsIn(e *Engine, s ItemState) []*item {
	var its []*item
	for _, it := range e.items {
		if it.state == s {
			its = append(its, it)
		}
	}
	sort.Slice(its, func(i, j int) bool { return its[i].id < its[j].id })
	return its
}
