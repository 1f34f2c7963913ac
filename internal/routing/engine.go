package routing

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"time"

	"github.com/vernost/vernost"
)

// Engine is the routing engine. It is not safe for concurrent use: the caller
// serialises events (one owner per process, see DESIGN.md).
type Engine struct {
	cfg      Config
	channels []Channel       // sorted; a channel's index is its position
	chanIdx  map[Channel]int //
	defCap   []int           // Config.Capacity by channel index
	wrapUp   []int64         // Config.WrapUp by channel index, in ns
	policies map[string]int  // policy name → index in cfg.Policies
	agingNs  float64         // priority points per nanosecond of waiting

	now     int64 // ns since the Unix epoch; the time of the last event
	started bool  // whether any event has set now
	seq     uint64
	log     []Event
	out     []Decision // decisions of the event being applied; reused by the next (see Apply)

	agents map[AgentID]*agent
	items  map[ItemID]*item
	timers timerHeap

	skills, langs, teams interner

	queues    map[string]*queue
	byAnchor  anchorIndex          // queues and logged-in agents, by what they are indexed under
	freeAny   []agentSet           // available agents with room, by channel (see freeset.go)
	freeSkill []agentSet           // the same by skill and level, see skillSet
	freeTeam  []agentSet           // the same by team, see teamSet
	setBuf    []*agentSet          // scratch for candidateSets
	singles   [][]*queue           // single-skill queues by skill, channel, level (see singles.go)
	multis    [][]*queue           // multi-skill queues by rarest skill and channel (see singles.go)
	loggedCnt [][]int32            // logged-in agents by skill, channel, level, language
	freeCnt   [][]int32            // free agents, the same way
	keyBuf    []byte               // scratch for queue keys
	listBuf   []byte               // scratch for skill list keys
	lists     map[string]skillList // items' skill lists, shared (see itemskills.go)
	reqBuf    []skillReq           // scratch for effective requirements
	nQueued   int
	nOffered  int
	nAssigned int
}

func newEngine(cfg Config) (*Engine, error) {
	cfg, err := checkConfig(cfg)
	if err != nil {
		return nil, err
	}
	e := &Engine{
		cfg:      cfg,
		chanIdx:  make(map[Channel]int, len(cfg.Capacity)),
		policies: make(map[string]int, len(cfg.Policies)),
		agingNs:  cfg.Priority.AgingPerMinute / float64(time.Minute),
		agents:   make(map[AgentID]*agent),
		items:    make(map[ItemID]*item),
		queues:   make(map[string]*queue),
		lists:    make(map[string]skillList),
		skills:   newInterner(),
		langs:    newInterner(),
		teams:    newInterner(),
	}
	for ch := range cfg.Capacity {
		e.channels = append(e.channels, ch)
	}
	slices.Sort(e.channels)
	for i, ch := range e.channels {
		e.chanIdx[ch] = i
		e.defCap = append(e.defCap, cfg.Capacity[ch])
		e.wrapUp = append(e.wrapUp, int64(cfg.WrapUp[ch]))
	}
	for i, p := range cfg.Policies {
		e.policies[p.Name] = i
	}
	e.byAnchor.agentQueues = make(map[AgentID][]*queue)
	for c := range e.channels {
		e.freeAny = append(e.freeAny, agentSet{kind: anchorAny, ch: c})
	}
	return e, nil
}

// Time limits: UnixNano is defined from 1678 to 2262.
var (
	minTime = time.Unix(0, -1<<63+1)
	maxTime = time.Unix(0, 1<<63-1)
)

// nanos converts an input time, naming field when it is out of range.
func nanos(t time.Time, field string) (int64, error) {
	if t.IsZero() {
		return 0, vernost.Invalid(field, "is required")
	}
	if t.Before(minTime) || t.After(maxTime) {
		return 0, vernost.Invalid(field, "%s is out of range", t.Format(time.RFC3339))
	}
	return t.UnixNano(), nil
}

func timeOf(ns int64) time.Time { return time.Unix(0, ns).UTC() }

func (e *Engine) apply(ev Event) ([]Decision, error) {
	if ev != nil {
		ev = valueOf(ev)
	}
	if ev == nil {
		return nil, vernost.Invalid("event", "is nil")
	}
	at, known := eventTime(ev)
	if !known {
		return nil, vernost.Invalid("event", "unknown event type %s", reflect.TypeOf(ev))
	}
	t, err := nanos(at, "at")
	if err != nil {
		return nil, err
	}
	if e.started && t < e.now {
		return nil, vernost.Invalid("at", "%s is before the engine time %s; time must not go backwards",
			at.UTC().Format(time.RFC3339Nano), timeOf(e.now).Format(time.RFC3339Nano))
	}
	moved := !e.started || t > e.now
	e.out = e.out[:0]
	e.runTimers(t)
	e.now, e.started = t, true
	err = e.handle(ev)
	if e.cfg.Record {
		switch {
		case err == nil:
			e.log = append(e.log, cloneEvent(ev))
		case moved:
			// The failed event still moved time and fired timers; an Advance
			// reproduces exactly that on replay.
			e.log = append(e.log, Advance{At: at})
		}
	}
	if len(e.out) == 0 {
		return nil, err
	}
	// The engine reuses e.out for the next event (see Apply); the clip makes
	// a caller's append copy instead of writing into it.
	return slices.Clip(e.out), err
}

// eventTime is ev.When() by a type switch: through an interface method call
// the compiler would assume ev escapes, and every event a caller passes to
// Apply would be boxed on the heap. Known is false for a type the engine
// does not handle (a struct embedding an event).
func eventTime(ev Event) (at time.Time, known bool) {
	switch ev := ev.(type) {
	case AgentLogin:
		return ev.At, true
	case AgentState:
		return ev.At, true
	case Enqueue:
		return ev.At, true
	case Accept:
		return ev.At, true
	case Reject:
		return ev.At, true
	case Complete:
		return ev.At, true
	case Cancel:
		return ev.At, true
	case Transfer:
		return ev.At, true
	case Advance:
		return ev.At, true
	}
	return time.Time{}, false
}

func (e *Engine) handle(ev Event) error {
	switch ev := ev.(type) {
	case AgentLogin:
		return e.login(ev)
	case AgentState:
		return e.setState(ev)
	case Enqueue:
		return e.enqueue(ev)
	case Accept:
		return e.accept(ev)
	case Reject:
		return e.reject(ev)
	case Complete:
		return e.complete(ev)
	case Cancel:
		return e.cancel(ev)
	case Transfer:
		return e.transfer(ev)
	case Advance:
		return nil // the timers have run
	}
	return vernost.Invalid("event", "unknown event type %s", reflect.TypeOf(ev))
}

func (e *Engine) emit(d Decision) { e.out = append(e.out, d) }

func replay(cfg Config, events []Event) ([]Decision, error) {
	e, err := newEngine(cfg)
	if err != nil {
		return nil, err
	}
	var all []Decision
	for i, ev := range events {
		ds, err := e.apply(ev)
		all = append(all, ds...)
		if err != nil {
			return all, fmt.Errorf("replay event %d: %w", i, err)
		}
	}
	return all, nil
}

func (e *Engine) agentView(id AgentID) (AgentView, bool) {
	a := e.agents[id]
	if a == nil {
		return AgentView{}, false
	}
	v := AgentView{ID: id, Status: a.status, Misses: a.misses, Load: make(map[Channel]int)}
	for c, n := range a.load {
		if n > 0 {
			v.Load[e.channels[c]] = n
		}
	}
	return v, true
}

func (e *Engine) itemView(id ItemID) (ItemView, bool) {
	it := e.items[id]
	if it == nil {
		return ItemView{}, false
	}
	v := ItemView{ID: id, State: it.state, Step: it.step}
	if it.agent != nil {
		v.Agent = it.agent.id
	}
	return v, true
}

func (e *Engine) stats() Stats {
	s := Stats{Queued: e.nQueued, Offered: e.nOffered, Assigned: e.nAssigned, Agents: make(map[Status]int)}
	for _, a := range e.agents {
		s.Agents[a.status]++
	}
	return s
}

// sortedAgents returns the agents in id order, for deterministic walks.
func (e *Engine) sortedAgents() []*agent {
	as := make([]*agent, 0, len(e.agents))
	for _, a := range e.agents {
		as = append(as, a)
	}
	sort.Slice(as, func(i, j int) bool { return as[i].id < as[j].id })
	return as
}

// interner numbers names (skills, languages, teams) so that the hot paths
// compare small integers.
type interner struct {
	ids   map[string]int32
	names []string
}

func newInterner() interner { return interner{ids: make(map[string]int32)} }

func (in *interner) id(name string) int32 {
	if id, ok := in.ids[name]; ok {
		return id
	}
	id := int32(len(in.names))
	in.ids[name] = id
	in.names = append(in.names, name)
	return id
}

// cloneEvent copies ev, with its slices and maps, so that the log does not
// change when the caller reuses them. Every case returns its own copy, never
// ev itself, which would make every event passed to Apply escape.
func cloneEvent(ev Event) Event {
	switch ev := ev.(type) {
	case AgentLogin:
		ev.Skills = slices.Clone(ev.Skills)
		ev.Languages = slices.Clone(ev.Languages)
		ev.Teams = slices.Clone(ev.Teams)
		if ev.Capacity != nil {
			m := make(map[Channel]int, len(ev.Capacity))
			for k, v := range ev.Capacity {
				m[k] = v
			}
			ev.Capacity = m
		}
		return ev
	case Enqueue:
		ev.Item.Skills = slices.Clone(ev.Item.Skills)
		return ev
	case Transfer:
		ev.To.Skills = slices.Clone(ev.To.Skills)
		return ev
	case AgentState:
		return ev
	case Accept:
		return ev
	case Reject:
		return ev
	case Complete:
		return ev
	case Cancel:
		return ev
	case Advance:
		return ev
	}
	return nil // apply refuses other types before logging
}
