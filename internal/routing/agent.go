package routing

import (
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/vernost/vernost"
)

// skillReq is an interned skill with a level: what an agent has, or what an
// item or a queue needs. Lists of them are sorted by id.
type skillReq struct {
	id    int32
	level int8
}

// agent is one operator and its place in the indexes.
type agent struct {
	id      AgentID
	status  Status
	profile AgentLogin // as logged in, for snapshots

	skills []skillReq // sorted by id
	langs  []int32    // sorted
	teams  []int32    // sorted
	cap    []int      // by channel
	load   []int      // items offered or assigned, by channel
	offers []*item    // pending offers, oldest first

	idleSince int64 // last change of load, or return to available; see settle
	misses    int   // offers missed in a row
	wrapUntil int64
	wrapTimer uint64 // id of the live wrap-up timer, 0 if none

	// Free-set membership: inFree[c] says whether the agent is in the sets of
	// channel c; nodes link it into each, see node.
	inFree []bool
	nodes  []setNode
	// elig lists, by channel, the queues whose items this agent may take.
	// Nil while offline. Multi-skill queues join it as the agent finds them,
	// see discover.
	elig [][]*queue
	// seen counts, by channel and skill (position in skills), the
	// multi-skill queues filed under that skill the agent has looked at.
	seen []int32
}

func (a *agent) level(skill int32) int8 {
	i, ok := slices.BinarySearchFunc(a.skills, skill, func(r skillReq, id int32) int { return int(r.id - id) })
	if !ok {
		return 0
	}
	return a.skills[i].level
}

func (a *agent) speaks(lang int32) bool {
	if lang < 0 {
		return true
	}
	_, ok := slices.BinarySearch(a.langs, lang)
	return ok
}

func (a *agent) inTeam(team int32) bool {
	_, ok := slices.BinarySearch(a.teams, team)
	return ok
}

// checkSkills validates a list of skills without changing anything. It
// allocates nothing unless the list is invalid or long: it runs on every
// Enqueue.
func checkSkills(skills []SkillLevel, field string) error {
	var seen map[string]bool // only for long lists (an agent's profile)
	if len(skills) > 16 {
		seen = make(map[string]bool, len(skills))
	}
	for i, s := range skills {
		if s.Skill == "" {
			return vernost.Invalid(skillField(field, i, "skill"), "is required")
		}
		if s.Level < MinLevel || s.Level > MaxLevel {
			return vernost.Invalid(skillField(field, i, "level"), "is %d; want %d to %d", s.Level, MinLevel, MaxLevel)
		}
		twice := false
		if seen != nil {
			twice, seen[s.Skill] = seen[s.Skill], true
		} else {
			twice = slices.ContainsFunc(skills[:i], func(t SkillLevel) bool { return t.Skill == s.Skill })
		}
		if twice {
			return vernost.Invalid(skillField(field, i, "skill"), "%q is listed twice", s.Skill)
		}
	}
	return nil
}

// skillField names one field of a skill in a list, e.g. "item.skills[2].level".
func skillField(field string, i int, name string) string {
	return field + "[" + strconv.Itoa(i) + "]." + name
}

// internSkills turns checked skills into a sorted requirement list.
func (e *Engine) internSkills(skills []SkillLevel) []skillReq {
	rs := make([]skillReq, len(skills))
	for i, s := range skills {
		rs[i] = skillReq{id: e.internSkill(s.Skill), level: int8(s.Level)}
	}
	slices.SortFunc(rs, func(a, b skillReq) int { return int(a.id - b.id) })
	return rs
}

// internSkill numbers a skill and grows the indexes kept per skill.
func (e *Engine) internSkill(name string) int32 {
	id := e.skills.id(name)
	per := len(e.channels) * MaxLevel
	for len(e.freeSkill) < (int(id)+1)*per {
		i := len(e.freeSkill)
		e.freeSkill = append(e.freeSkill, agentSet{kind: anchorSkill, id: int32(i / per), ch: i % per / MaxLevel})
		e.singles = append(e.singles, nil)
		e.loggedCnt = append(e.loggedCnt, nil)
		e.freeCnt = append(e.freeCnt, nil)
	}
	for len(e.multis) < (int(id)+1)*len(e.channels) {
		e.multis = append(e.multis, nil)
	}
	e.byAnchor.growSkills(int(id) + 1)
	return id
}

func (e *Engine) internTeam(name string) int32 {
	id := e.teams.id(name)
	n := len(e.channels)
	for len(e.freeTeam) < (int(id)+1)*n {
		t := int32(len(e.freeTeam) / n)
		e.freeTeam = append(e.freeTeam, agentSet{kind: anchorTeam, id: t, ch: len(e.freeTeam) % n})
	}
	e.byAnchor.growTeams(int(id) + 1)
	return id
}

// internNames numbers names with intern, sorted and without repeats.
func internNames(names []string, intern func(string) int32) []int32 {
	ids := make([]int32, 0, len(names))
	for _, n := range names {
		ids = append(ids, intern(n))
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func (e *Engine) checkLogin(ev AgentLogin) error {
	if ev.Agent == 0 {
		return vernost.Invalid("agent", "is required")
	}
	if err := checkSkills(ev.Skills, "skills"); err != nil {
		return err
	}
	for i, l := range ev.Languages {
		if l == "" {
			return vernost.Invalid(fmt.Sprintf("languages[%d]", i), "is empty")
		}
	}
	for i, t := range ev.Teams {
		if t == "" {
			return vernost.Invalid(fmt.Sprintf("teams[%d]", i), "is empty")
		}
	}
	for ch, n := range ev.Capacity {
		if _, ok := e.chanIdx[ch]; !ok {
			return vernost.Invalid("capacity."+string(ch), "is not a channel the engine routes")
		}
		if n < 0 || n > maxCapacity {
			return vernost.Invalid("capacity."+string(ch), "is %d; want 0 to %d", n, maxCapacity)
		}
	}
	return nil
}

// login logs an agent in, or changes the profile of one logged in.
func (e *Engine) login(ev AgentLogin) error {
	if err := e.checkLogin(ev); err != nil {
		return err
	}
	a := e.agents[ev.Agent]
	if a == nil {
		a = &agent{id: ev.Agent, status: Offline, load: make([]int, len(e.channels)),
			inFree: make([]bool, len(e.channels))}
		e.agents[a.id] = a
	}
	if a.status != Offline {
		e.changeProfile(a, ev)
		return nil
	}
	e.setProfile(a, ev)
	a.status, a.misses = Available, 0
	e.index(a)
	e.settle(a, true)
	e.fill(a)
	return nil
}

// index files a logged-in agent: by skill and team, in the counts, and with
// the queues it may serve.
func (e *Engine) index(a *agent) {
	e.byAnchor.addAgent(a)
	e.countLogged(a, 1)
	e.buildEligibility(a)
}

// changeProfile gives a logged-in agent new skills, languages, teams or
// capacities, keeping its status. Offers made under the old profile are
// revoked, and items only the old profile could serve move on.
func (e *Engine) changeProfile(a *agent, ev AgentLogin) {
	// Free-set links depend on the profile: leave the sets first.
	status := a.status
	a.status = Offline
	e.settle(a, false)
	a.status = status
	e.byAnchor.removeAgent(a)
	e.countLogged(a, -1)
	old := &agent{skills: a.skills, langs: a.langs, cap: a.cap, elig: a.elig}

	e.setProfile(a, ev)
	e.index(a)
	emptied := dropEligibility(old.elig, nil)
	emptied = e.emptiedSingles(old, emptied)
	e.settle(a, true)
	e.revokeOffers(a, ReasonAgentLeft)
	e.sweep(emptied)
	e.fill(a)
}

func (e *Engine) setProfile(a *agent, ev AgentLogin) {
	a.profile = cloneEvent(ev).(AgentLogin)
	a.profile.At = timeOf(e.now)
	a.skills = e.internSkills(ev.Skills)
	a.langs = internNames(ev.Languages, e.langs.id)
	a.teams = internNames(ev.Teams, e.internTeam)
	a.cap = make([]int, len(e.channels))
	for c, ch := range e.channels {
		if ev.Capacity == nil {
			a.cap[c] = e.defCap[c]
		} else {
			a.cap[c] = ev.Capacity[ch]
		}
	}
	a.nodes = make([]setNode, len(e.channels)*a.stride())
	for i := range a.nodes {
		a.nodes[i].a = a
	}
}

// buildEligibility lists the queues a may serve and counts a as logged in
// for each of them.
func (e *Engine) buildEligibility(a *agent) {
	a.elig = make([][]*queue, len(e.channels))
	a.seen = make([]int32, len(e.channels)*len(a.skills))
	consider := func(qs []*queue) {
		for _, q := range qs {
			if q.admits(a) {
				a.elig[q.ch] = append(a.elig[q.ch], q)
				q.loggedIn++
			}
		}
	}
	consider(e.byAnchor.agentQueues[a.id])
	for _, t := range a.teams {
		consider(e.byAnchor.teamQueues[t])
	}
	consider(e.byAnchor.anyQueues)
}

// dropEligibility uncounts an agent from the queues it was eligible for and
// appends to emptied those left with nobody logged in.
func dropEligibility(elig [][]*queue, emptied []*queue) []*queue {
	for _, qs := range elig {
		for _, q := range qs {
			if q.kind == anchorSkill {
				continue // not counted, see singles.go
			}
			q.loggedIn--
			if q.loggedIn == 0 {
				emptied = append(emptied, q)
			}
		}
	}
	return emptied
}

func (e *Engine) checkState(ev AgentState) (*agent, error) {
	a := e.agents[ev.Agent]
	if a == nil {
		return nil, vernost.Errorf(vernost.ENotFound, "agent %d has never logged in", ev.Agent)
	}
	switch ev.Status {
	case Available, Busy, Away, Offline, WrapUp:
	default:
		return nil, vernost.Invalid("status", "is %q; want available, busy, away, offline or wrap_up", ev.Status)
	}
	if ev.Status == WrapUp && ev.WrapUp <= 0 {
		return nil, vernost.Invalid("wrap_up", "must be positive with status wrap_up")
	}
	if ev.Status != WrapUp && ev.WrapUp != 0 {
		return nil, vernost.Invalid("wrap_up", "is set, but only status wrap_up takes a duration")
	}
	if a.status == Offline && ev.Status != Offline {
		return nil, vernost.Errorf(vernost.EConflict, "agent %d is offline; log in first", a.id)
	}
	return a, nil
}

// setState applies an agent's own status change.
func (e *Engine) setState(ev AgentState) error {
	a, err := e.checkState(ev)
	if err != nil {
		return err
	}
	switch ev.Status {
	case Offline:
		if a.status != Offline {
			e.logout(a)
		}
	case WrapUp:
		e.changeStatus(a, WrapUp)
		e.startWrapUp(a, e.now+int64(ev.WrapUp), true)
	default:
		e.changeStatus(a, ev.Status)
	}
	return nil
}

// changeStatus moves a logged-in agent to another status: leaving available
// revokes its offers, becoming available brings it work.
func (e *Engine) changeStatus(a *agent, s Status) {
	old := a.status
	if old == s {
		return
	}
	a.status = s
	if s != WrapUp {
		a.wrapTimer = 0
	}
	e.settle(a, s == Available)
	if s == Available {
		e.fill(a)
		return
	}
	e.revokeOffers(a, ReasonAgentLeft)
}

// startWrapUp keeps a wrapping up until at least until (or exactly until when
// the agent asked for it).
func (e *Engine) startWrapUp(a *agent, until int64, exact bool) {
	if a.wrapTimer != 0 && !exact && a.wrapUntil >= until {
		return
	}
	a.wrapUntil = until
	a.wrapTimer = e.timers.push(until, timerWrapUp, int64(a.id))
}

// logout takes an agent offline: out of every index, its offers revoked,
// and the items only it could serve moved on. Accepted items stay with it.
func (e *Engine) logout(a *agent) {
	a.status = Offline
	a.wrapTimer = 0
	a.misses = 0
	e.settle(a, false)
	e.byAnchor.removeAgent(a)
	e.countLogged(a, -1)
	emptied := dropEligibility(a.elig, nil)
	emptied = e.emptiedSingles(a, emptied)
	a.elig = nil
	e.revokeOffers(a, ReasonAgentLeft)
	e.sweep(emptied)
}

// revokeOffers withdraws every pending offer to a and routes the items again.
func (e *Engine) revokeOffers(a *agent, reason string) {
	if len(a.offers) == 0 {
		return
	}
	its := slices.Clone(a.offers)
	sort.Slice(its, func(i, j int) bool { return its[i].id < its[j].id })
	for _, it := range its {
		e.endOffer(it)
		e.emit(Decision{Kind: OfferRevoked, At: timeOf(e.now), Item: it.id, Agent: a.id, Reason: reason})
		e.place(it)
	}
}
