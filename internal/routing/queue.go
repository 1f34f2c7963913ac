package routing

import (
	"encoding/binary"
	"slices"
)

// anchorKind says what a queue, or a free set, is indexed under.
type anchorKind uint8

const (
	anchorAny   anchorKind = iota // any agent (speaking the language)
	anchorSkill                   // agents with skills: indexed under one required skill, see singles.go
	anchorTeam                    // members of a team
	anchorAgent                   // one agent: a manager or the person a transfer names
)

// queue holds the items waiting for the same set of agents: same channel,
// language and target (same effective skills, team or person). Agents are
// eligible for a queue as a whole, so an agent that frees up compares only
// the heads of its queues.
type queue struct {
	kind  anchorKind
	ch    int
	lang  int32      // -1 for any language
	reqs  []skillReq // anchorSkill: effective requirements, sorted
	team  int32      // anchorTeam
	agent AgentID    // anchorAgent

	single  bool   // anchorSkill with one skill: its counts are sums, see singles.go
	witness *agent // anchorSkill with several skills: the last agent found who may serve it

	heap     []*item // best first, see item.before
	loggedIn int     // logged-in agents that may serve this queue (not kept for anchorSkill)
	free     int     // of those, available with room on the channel (not kept for single)

	// A copy of the head's order and whether anyone missed it, so that an
	// agent comparing its queues does not load every head item.
	topKey  float64
	topSeq  uint64
	topExcl bool
}

// retop refreshes the copy of the head after the heap changed.
func (q *queue) retop() {
	if len(q.heap) == 0 {
		return
	}
	h := q.heap[0]
	q.topKey, q.topSeq, q.topExcl = h.key, h.seq, len(h.excluded) > 0
}

// topBefore reports whether q's head goes before item it (see item.before).
func (q *queue) topBefore(it *item) bool {
	if q.topKey != it.key {
		return q.topKey > it.key
	}
	return q.topSeq < it.seq
}

// admits reports whether a may take this queue's items (whatever its status
// and load).
func (q *queue) admits(a *agent) bool {
	if a.cap[q.ch] == 0 {
		return false
	}
	switch q.kind {
	case anchorAgent:
		return a.id == q.agent
	case anchorTeam:
		return a.inTeam(q.team) && a.speaks(q.lang)
	case anchorSkill:
		if !a.speaks(q.lang) {
			return false
		}
		// Both lists are sorted by skill id: one merge walk.
		i := 0
		for _, r := range q.reqs {
			for i < len(a.skills) && a.skills[i].id < r.id {
				i++
			}
			if i == len(a.skills) || a.skills[i].id != r.id || a.skills[i].level < r.level {
				return false
			}
		}
		return true
	}
	return a.speaks(q.lang)
}

// before orders items in a queue: higher aged priority first, then first come.
// key = base priority − aging × arrival, so comparing keys compares effective
// priorities at any common instant, and no key changes as time passes.
func (x *item) before(y *item) bool {
	if x.key != y.key {
		return x.key > y.key
	}
	return x.seq < y.seq
}

func (q *queue) push(it *item) {
	it.hpos = len(q.heap)
	q.heap = append(q.heap, it)
	q.up(it.hpos)
	q.retop()
}

func (q *queue) remove(it *item) {
	i := it.hpos
	n := len(q.heap) - 1
	if i != n {
		q.swap(i, n)
	}
	q.heap[n] = nil
	q.heap = q.heap[:n]
	if i != n {
		if !q.down(i) {
			q.up(i)
		}
	}
	it.hpos = -1
	q.retop()
}

func (q *queue) swap(i, j int) {
	h := q.heap
	h[i], h[j] = h[j], h[i]
	h[i].hpos = i
	h[j].hpos = j
}

func (q *queue) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !q.heap[i].before(q.heap[p]) {
			return
		}
		q.swap(i, p)
		i = p
	}
}

func (q *queue) down(i int) bool {
	start := i
	n := len(q.heap)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && q.heap[c+1].before(q.heap[c]) {
			c++
		}
		if !q.heap[c].before(q.heap[i]) {
			break
		}
		q.swap(i, c)
		i = c
	}
	return i > start
}

// best returns the first item in queue order that a has not missed in its
// current step, or nil. Usually that is the head; past items a declined it
// walks the heap in order, holding a frontier of candidate positions.
func (q *queue) best(a *agent) *item {
	if len(q.heap) == 0 {
		return nil
	}
	if !q.heap[0].excludes(a.id) {
		return q.heap[0]
	}
	frontier := []int{0}
	for len(frontier) > 0 {
		// Take the best position in the frontier (it stays small).
		bi := 0
		for i := 1; i < len(frontier); i++ {
			if q.heap[frontier[i]].before(q.heap[frontier[bi]]) {
				bi = i
			}
		}
		p := frontier[bi]
		frontier[bi] = frontier[len(frontier)-1]
		frontier = frontier[:len(frontier)-1]
		if it := q.heap[p]; !it.excludes(a.id) {
			return it
		}
		for _, c := range [2]int{2*p + 1, 2*p + 2} {
			if c < len(q.heap) {
				frontier = append(frontier, c)
			}
		}
	}
	return nil
}

// queueFor returns the queue of item it in step st, creating it on first use.
func (e *Engine) queueFor(it *item, st Step) *queue {
	kind, lang, team, person := anchorAny, it.lang, int32(0), AgentID(0)
	reqs := e.reqBuf[:0]
	switch st.Target {
	case TargetManager:
		kind, person, lang = anchorAgent, it.spec.Manager, -1
	case targetPerson:
		kind, person, lang = anchorAgent, it.direct, -1
	case TargetTeam:
		kind, team = anchorTeam, e.internTeam(st.Team)
	case TargetSkills:
		for _, r := range it.reqs {
			reqs = append(reqs, skillReq{id: r.id, level: max(r.level, int8(st.MinLevel))})
		}
		if len(reqs) > 0 {
			kind = anchorSkill
		}
	}
	e.reqBuf = reqs
	k := e.keyBuf[:0]
	k = append(k, byte(kind))
	k = binary.AppendVarint(k, int64(it.ch))
	k = binary.AppendVarint(k, int64(lang))
	k = binary.AppendVarint(k, int64(team))
	k = binary.AppendVarint(k, int64(person))
	for _, r := range reqs {
		k = binary.AppendVarint(k, int64(r.id))
		k = append(k, byte(r.level))
	}
	e.keyBuf = k
	if q := e.queues[string(k)]; q != nil {
		return q
	}
	q := &queue{kind: kind, ch: it.ch, lang: lang, reqs: slices.Clone(reqs), team: team, agent: person,
		single: kind == anchorSkill && len(reqs) == 1}
	e.queues[string(k)] = q
	e.register(q)
	return q
}

// register indexes a new queue and counts it into the eligibility of the
// agents logged in now; agents logging in later find it through the index.
func (e *Engine) register(q *queue) {
	var cands []*agent
	ix := &e.byAnchor
	switch q.kind {
	case anchorAgent:
		ix.agentQueues[q.agent] = append(ix.agentQueues[q.agent], q)
		if a := e.agents[q.agent]; a != nil && a.status != Offline {
			cands = []*agent{a}
		}
	case anchorSkill:
		// Filed under one skill, not with every agent (see singles.go): the
		// required skill fewest logged-in agents have, so that few agents
		// meet it that cannot serve it.
		pick, _ := e.rarest(e.loggedCnt, q)
		if q.single {
			i := e.countIdx(pick.id, q.ch, pick.level)
			e.singles[i] = append(e.singles[i], q)
		} else {
			i := e.multiIdx(pick.id, q.ch)
			e.multis[i] = append(e.multis[i], q)
			e.fileFree(q)
		}
		return
	case anchorTeam:
		ix.teamQueues[q.team] = append(ix.teamQueues[q.team], q)
		cands = ix.loggedTeam[q.team]
	case anchorAny:
		ix.anyQueues = append(ix.anyQueues, q)
		cands = ix.loggedAll
	}
	e.admit(q, cands)
}

// admit adds q to the eligibility of the agents it admits among as.
func (e *Engine) admit(q *queue, as []*agent) {
	for _, a := range as {
		if q.admits(a) {
			a.elig[q.ch] = append(a.elig[q.ch], q)
			q.loggedIn++
			if a.inFree[q.ch] {
				q.free++
			}
		}
	}
}

// anchorIndex finds queues and logged-in agents by what they are indexed
// under, so that neither a login nor a new queue scans everything.
type anchorIndex struct {
	anyQueues   []*queue
	teamQueues  [][]*queue // by team id
	agentQueues map[AgentID][]*queue

	loggedAll   []*agent
	loggedSkill [][MaxLevel][]*agent // by skill id and level
	loggedTeam  [][]*agent           // by team id
}

func (ix *anchorIndex) growSkills(n int) {
	for len(ix.loggedSkill) < n {
		ix.loggedSkill = append(ix.loggedSkill, [MaxLevel][]*agent{})
	}
}

func (ix *anchorIndex) growTeams(n int) {
	for len(ix.teamQueues) < n {
		ix.teamQueues = append(ix.teamQueues, nil)
		ix.loggedTeam = append(ix.loggedTeam, nil)
	}
}

func (ix *anchorIndex) addAgent(a *agent) {
	ix.loggedAll = append(ix.loggedAll, a)
	for _, r := range a.skills {
		l := &ix.loggedSkill[r.id][r.level-1]
		*l = append(*l, a)
	}
	for _, t := range a.teams {
		ix.loggedTeam[t] = append(ix.loggedTeam[t], a)
	}
}

// removeAgent is linear in the list sizes; logins and logouts are rare next
// to routing decisions.
func (ix *anchorIndex) removeAgent(a *agent) {
	ix.loggedAll = without(ix.loggedAll, a)
	for _, r := range a.skills {
		l := &ix.loggedSkill[r.id][r.level-1]
		*l = without(*l, a)
	}
	for _, t := range a.teams {
		ix.loggedTeam[t] = without(ix.loggedTeam[t], a)
	}
}

func without(as []*agent, a *agent) []*agent {
	i := slices.Index(as, a)
	if i < 0 {
		return as
	}
	last := len(as) - 1
	as[i] = as[last]
	as[last] = nil
	return as[:last]
}
