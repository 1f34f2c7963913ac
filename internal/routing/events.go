package routing

import (
	"slices"

	"github.com/vernost/vernost"
)

// Each handler checks everything first and changes state only once the
// event is known to be valid, so a rejected event leaves no trace.

func (e *Engine) checkItem(w WorkItem) (arrival int64, err error) {
	if w.ID == 0 {
		return 0, vernost.Invalid("item.id", "is required")
	}
	if e.items[w.ID] != nil {
		return 0, vernost.Errorf(vernost.EConflict, "item %d is already in the engine", w.ID)
	}
	if _, ok := e.chanIdx[w.Channel]; !ok {
		return 0, vernost.Invalid("item.channel", "%q is not a channel the engine routes", w.Channel)
	}
	if err := checkSkills(w.Skills, "item.skills"); err != nil {
		return 0, err
	}
	if w.Value < TierNone || w.Value > TierHigh {
		return 0, vernost.Invalid("item.value", "is %d; want %d to %d", w.Value, TierNone, TierHigh)
	}
	if w.Risk < TierNone || w.Risk > TierHigh {
		return 0, vernost.Invalid("item.risk", "is %d; want %d to %d", w.Risk, TierNone, TierHigh)
	}
	if _, ok := e.policies[w.Policy]; !ok && w.Policy != "" {
		return 0, vernost.Invalid("item.policy", "%q is not a configured policy", w.Policy)
	}
	if w.Arrival.IsZero() {
		return e.now, nil
	}
	arrival, err = nanos(w.Arrival, "item.arrival")
	if err != nil {
		return 0, err
	}
	if arrival > e.now {
		return 0, vernost.Invalid("item.arrival", "is after the event time")
	}
	return arrival, nil
}

func (e *Engine) enqueue(ev Enqueue) error {
	arrival, err := e.checkItem(ev.Item)
	if err != nil {
		return err
	}
	w := ev.Item
	sl := e.itemSkills(w.Skills)
	w.Skills = sl.spec
	w.Arrival = timeOf(arrival)
	it := &item{id: w.ID, spec: w, ch: e.chanIdx[w.Channel], lang: -1, arrival: arrival, hpos: -1, reqs: sl.reqs}
	if w.Language != "" {
		it.lang = e.langs.id(w.Language)
	}
	it.policy = e.policies[w.Policy] // "" is absent: index 0, the default
	it.key = e.queueKey(w, arrival)
	e.seq++
	it.seq = e.seq
	e.items[it.id] = it
	e.enterStep(it, 0)
	e.place(it)
	return nil
}

// queueKey is the item's base priority minus its aging at arrival; see
// item.before and PriorityWeights.
func (e *Engine) queueKey(w WorkItem, arrival int64) float64 {
	p := e.cfg.Priority
	return float64(w.Priority) + p.Value[w.Value] + p.Risk[w.Risk] - e.agingNs*float64(arrival)
}

// offered returns the item and agent of an Accept or Reject, checking that
// the item is offered to that agent.
func (e *Engine) offered(id ItemID, aid AgentID) (*item, *agent, error) {
	it, a, err := e.lookup(id, aid)
	if err != nil {
		return nil, nil, err
	}
	if it.state != Offered || it.agent != a {
		return nil, nil, vernost.Errorf(vernost.EConflict, "item %d is not offered to agent %d", id, aid)
	}
	return it, a, nil
}

func (e *Engine) lookup(id ItemID, aid AgentID) (*item, *agent, error) {
	it := e.items[id]
	if it == nil {
		return nil, nil, vernost.Errorf(vernost.ENotFound, "item %d is not in the engine", id)
	}
	a := e.agents[aid]
	if a == nil {
		return nil, nil, vernost.Errorf(vernost.ENotFound, "agent %d has never logged in", aid)
	}
	return it, a, nil
}

func (e *Engine) accept(ev Accept) error {
	it, a, err := e.offered(ev.Item, ev.Agent)
	if err != nil {
		return err
	}
	i := slices.Index(a.offers, it)
	a.offers = slices.Delete(a.offers, i, i+1)
	a.misses = 0
	it.state = Assigned
	it.offerTimer, it.stepTimer = 0, 0
	e.nOffered--
	e.nAssigned++
	return nil
}

func (e *Engine) reject(ev Reject) error {
	it, a, err := e.offered(ev.Item, ev.Agent)
	if err != nil {
		return err
	}
	e.missed(it, a)
	return nil
}

func (e *Engine) complete(ev Complete) error {
	it, a, err := e.lookup(ev.Item, ev.Agent)
	if err != nil {
		return err
	}
	if it.state != Assigned || it.agent != a {
		return vernost.Errorf(vernost.EConflict, "item %d is not assigned to agent %d", ev.Item, ev.Agent)
	}
	e.release(it)
	delete(e.items, it.id)
	if d := e.wrapUp[it.ch]; d > 0 && (a.status == Available || a.status == WrapUp) {
		if a.status == Available {
			e.emit(Decision{Kind: AgentStatus, At: timeOf(e.now), Agent: a.id, Status: WrapUp, Reason: ReasonCompleted})
			e.changeStatus(a, WrapUp)
		}
		e.startWrapUp(a, e.now+d, false)
		return nil
	}
	e.fill(a)
	return nil
}

func (e *Engine) cancel(ev Cancel) error {
	it := e.items[ev.Item]
	if it == nil {
		return vernost.Errorf(vernost.ENotFound, "item %d is not in the engine", ev.Item)
	}
	freed := e.detach(it, ReasonCancelled)
	delete(e.items, it.id)
	if freed != nil {
		e.fill(freed)
	}
	return nil
}

// detach takes an item out of its queue, offer or assignment and returns the
// agent it freed, if any.
func (e *Engine) detach(it *item, reason string) *agent {
	switch it.state {
	case Queued:
		e.unqueue(it)
	case Offered:
		a := it.agent
		e.endOffer(it)
		e.emit(Decision{Kind: OfferRevoked, At: timeOf(e.now), Item: it.id, Agent: a.id, Reason: reason})
		return a
	case Assigned:
		return e.release(it)
	}
	return nil
}

func (e *Engine) checkTransfer(ev Transfer) (*item, error) {
	it := e.items[ev.Item]
	if it == nil {
		return nil, vernost.Errorf(vernost.ENotFound, "item %d is not in the engine", ev.Item)
	}
	to := ev.To
	set := 0
	if to.Agent != 0 {
		set++
		if e.agents[to.Agent] == nil {
			return nil, vernost.Errorf(vernost.ENotFound, "agent %d has never logged in", to.Agent)
		}
	}
	if len(to.Skills) > 0 {
		set++
		if err := checkSkills(to.Skills, "to.skills"); err != nil {
			return nil, err
		}
	}
	if to.Policy != "" {
		set++
		if _, ok := e.policies[to.Policy]; !ok {
			return nil, vernost.Invalid("to.policy", "%q is not a configured policy", to.Policy)
		}
	}
	if set != 1 {
		return nil, vernost.Invalid("to", "sets %d targets; want exactly one of agent, skills, policy", set)
	}
	return it, nil
}

func (e *Engine) transfer(ev Transfer) error {
	it, err := e.checkTransfer(ev)
	if err != nil {
		return err
	}
	freed := e.detach(it, ReasonTransferred)
	it.direct = 0
	switch to := ev.To; {
	case to.Agent != 0:
		it.direct = to.Agent
	case len(to.Skills) > 0:
		sl := e.itemSkills(to.Skills)
		it.spec.Skills, it.reqs = sl.spec, sl.reqs
	default:
		it.spec.Policy = to.Policy
		it.policy = e.policies[to.Policy]
	}
	e.enterStep(it, 0)
	e.place(it)
	if freed != nil {
		e.fill(freed)
	}
	return nil
}
