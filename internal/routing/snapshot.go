package routing

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/vernost/vernost"
)

// snapshotVersion changes whenever the snapshot layout does; Restore refuses
// other versions rather than guess.
const snapshotVersion = 1

// snapshotDoc is the whole state. Indexes, queues and timers are not in it:
// Restore rebuilds them from the agents and items, and since every choice the
// engine makes follows a total order over agents and items (never index
// order), the rebuilt engine decides exactly as the original would.
type snapshotDoc struct {
	Version int           `json:"version"`
	Config  Config        `json:"config"`
	Now     int64         `json:"now"` // ns since the Unix epoch
	Started bool          `json:"started"`
	Seq     uint64        `json:"seq"`
	Agents  []snapAgent   `json:"agents"`
	Items   []snapItem    `json:"items"`
	Names   snapshotNames `json:"names"`
}

// snapshotNames keeps the interning order, so that a restored engine builds
// the same queue keys (tidier to debug; decisions do not depend on it).
type snapshotNames struct {
	Skills    []string `json:"skills"`
	Languages []string `json:"languages"`
	Teams     []string `json:"teams"`
}

type snapAgent struct {
	Profile   AgentLogin `json:"profile"`
	Status    Status     `json:"status"`
	IdleSince int64      `json:"idle_since"`
	Misses    int        `json:"misses,omitempty"`
	WrapUntil int64      `json:"wrap_until,omitempty"`
}

type snapItem struct {
	Item         WorkItem  `json:"item"`
	Seq          uint64    `json:"seq"`
	Direct       AgentID   `json:"direct,omitempty"`
	State        ItemState `json:"state"`
	Agent        AgentID   `json:"agent,omitempty"`
	Step         int       `json:"step"`
	StepDeadline int64     `json:"step_deadline,omitempty"`
	OfferExpires int64     `json:"offer_expires,omitempty"`
	Excluded     []AgentID `json:"excluded,omitempty"`
}

func (e *Engine) snapshot() ([]byte, error) {
	doc := snapshotDoc{
		Version: snapshotVersion, Config: e.cfg, Now: e.now, Started: e.started, Seq: e.seq,
		Names: snapshotNames{Skills: e.skills.names, Languages: e.langs.names, Teams: e.teams.names},
	}
	for _, a := range e.sortedAgents() {
		s := snapAgent{Profile: a.profile, Status: a.status, IdleSince: a.idleSince, Misses: a.misses}
		if a.status == WrapUp {
			s.WrapUntil = a.wrapUntil
		}
		doc.Agents = append(doc.Agents, s)
	}
	ids := make([]ItemID, 0, len(e.items))
	for id := range e.items {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		it := e.items[id]
		s := snapItem{Item: it.spec, Seq: it.seq, Direct: it.direct, State: it.state, Step: it.step,
			StepDeadline: it.stepDeadline, Excluded: it.excluded}
		if it.agent != nil {
			s.Agent = it.agent.id
		}
		if it.state == Offered {
			s.OfferExpires = it.offerExpires
		}
		doc.Items = append(doc.Items, s)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, vernost.Internal(fmt.Errorf("encode routing snapshot: %w", err))
	}
	return b, nil
}

func restore(data []byte) (*Engine, error) {
	var doc snapshotDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, vernost.Invalid("snapshot", "is not a routing snapshot: %v", err)
	}
	if doc.Version != snapshotVersion {
		return nil, vernost.Invalid("snapshot.version", "is %d; this engine reads version %d", doc.Version, snapshotVersion)
	}
	e, err := newEngine(doc.Config)
	if err != nil {
		return nil, fmt.Errorf("snapshot config: %w", err)
	}
	e.now, e.started, e.seq = doc.Now, doc.Started, doc.Seq
	for _, n := range doc.Names.Skills {
		e.internSkill(n)
	}
	for _, n := range doc.Names.Languages {
		e.langs.id(n)
	}
	for _, n := range doc.Names.Teams {
		e.internTeam(n)
	}
	for i, s := range doc.Agents {
		if err := e.restoreAgent(s); err != nil {
			return nil, fmt.Errorf("snapshot agents[%d]: %w", i, err)
		}
	}
	for i, s := range doc.Items {
		if err := e.restoreItem(s); err != nil {
			return nil, fmt.Errorf("snapshot items[%d]: %w", i, err)
		}
	}
	// Join the free sets in idleSince order, as the original engine holds them.
	as := e.sortedAgents()
	sortByIdle(as)
	for _, a := range as {
		e.settle(a, false)
	}
	return e, nil
}

func (e *Engine) restoreAgent(s snapAgent) error {
	p := s.Profile
	if err := e.checkLogin(p); err != nil {
		return err
	}
	if e.agents[p.Agent] != nil {
		return vernost.Invalid("profile.agent", "agent %d appears twice", p.Agent)
	}
	switch s.Status {
	case Available, Busy, Away, Offline, WrapUp:
	default:
		return vernost.Invalid("status", "is %q", s.Status)
	}
	a := &agent{id: p.Agent, status: s.Status, load: make([]int, len(e.channels)),
		inFree: make([]bool, len(e.channels)), idleSince: s.IdleSince, misses: s.Misses}
	e.agents[a.id] = a
	e.setProfile(a, p)
	a.profile.At = p.At
	if a.status != Offline {
		e.index(a)
	}
	if a.status == WrapUp {
		e.startWrapUp(a, s.WrapUntil, true)
	}
	return nil
}

func (e *Engine) restoreItem(s snapItem) error {
	w := s.Item
	if e.items[w.ID] != nil {
		return vernost.Invalid("item.id", "item %d appears twice", w.ID)
	}
	// checkItem wants the arrival not after now, which a snapshot satisfies.
	arrival, err := e.checkItem(w)
	if err != nil {
		return err
	}
	it := &item{id: w.ID, spec: w, ch: e.chanIdx[w.Channel], lang: -1, arrival: arrival, hpos: -1,
		seq: s.Seq, direct: s.Direct, stepDeadline: s.StepDeadline, excluded: s.Excluded}
	sl := e.itemSkills(w.Skills)
	it.spec.Skills, it.reqs = sl.spec, sl.reqs
	if w.Language != "" {
		it.lang = e.langs.id(w.Language)
	}
	it.policy = e.policies[w.Policy]
	it.key = e.queueKey(w, arrival)
	if s.Step < 0 || s.Step >= e.routeLen(it) {
		return vernost.Invalid("step", "is %d; the item's route has %d steps", s.Step, e.routeLen(it))
	}
	it.step = s.Step
	var a *agent
	if s.State == Offered || s.State == Assigned {
		if a = e.agents[s.Agent]; a == nil {
			return vernost.Invalid("agent", "agent %d is not in the snapshot", s.Agent)
		}
	}
	if s.State == Offered && a.status != Available {
		return vernost.Invalid("state", "item offered to agent %d, who is %s", a.id, a.status)
	}
	e.items[it.id] = it
	switch s.State {
	case Queued:
		it.state, it.q = Queued, e.queueFor(it, e.stepAt(it, it.step))
		it.q.push(it)
		e.nQueued++
		e.armStep(it)
	case Offered:
		it.state, it.agent = Offered, a
		a.load[it.ch]++
		a.offers = append(a.offers, it)
		it.offerExpires = s.OfferExpires
		it.offerTimer = e.timers.push(it.offerExpires, timerOffer, int64(it.id))
		e.nOffered++
		e.armStep(it)
	case Assigned:
		it.state, it.agent = Assigned, a
		a.load[it.ch]++
		e.nAssigned++
	default:
		delete(e.items, it.id)
		return vernost.Invalid("state", "is %q; want queued, offered or assigned", s.State)
	}
	return nil
}
