package routing

import (
	"slices"
	"sort"
)

// item is one work item inside the engine.
type item struct {
	id      ItemID
	spec    WorkItem // as enqueued; a transfer replaces Skills or Policy
	ch      int
	lang    int32      // -1 for any
	reqs    []skillReq // the item's own requirements, sorted
	policy  int
	direct  AgentID // after a transfer to a person: the route starts with that person
	arrival int64
	key     float64 // queue order, see item.before
	seq     uint64  // first come, first served among equal keys

	state    ItemState
	step     int
	q        *queue // while queued
	hpos     int
	agent    *agent    // while offered or assigned
	excluded []AgentID // agents that missed it in this step

	stepDeadline int64 // 0 when the step has no time limit
	stepTimer    uint64
	offerExpires int64
	offerTimer   uint64
}

func (it *item) excludes(id AgentID) bool { return slices.Contains(it.excluded, id) }

// routeLen is the number of steps in the item's route: its policy's, after a
// person step when it was transferred to a person.
func (e *Engine) routeLen(it *item) int {
	n := len(e.cfg.Policies[it.policy].Steps)
	if it.direct != 0 {
		n++
	}
	return n
}

func (e *Engine) stepAt(it *item, i int) Step {
	if it.direct != 0 {
		if i == 0 {
			return Step{Target: targetPerson, Timeout: e.cfg.TransferTimeout, Choose: LongestIdle}
		}
		i--
	}
	return e.cfg.Policies[it.policy].Steps[i]
}

// enterStep puts the item in step i: its misses are forgotten and the step's
// time limit starts (the last step has none).
func (e *Engine) enterStep(it *item, i int) {
	it.step = i
	it.excluded = it.excluded[:0]
	it.stepDeadline, it.stepTimer = 0, 0
	if st := e.stepAt(it, i); i < e.routeLen(it)-1 && st.Timeout > 0 {
		it.stepDeadline = e.now + int64(st.Timeout)
	}
}

// armStep sets the step timer once the item has settled in its step (steps
// skipped on the way need none).
func (e *Engine) armStep(it *item) {
	if it.stepDeadline > 0 && it.stepTimer == 0 {
		it.stepTimer = e.timers.push(it.stepDeadline, timerStep, int64(it.id))
	}
}

// moveOn takes the item to its next step.
func (e *Engine) moveOn(it *item, reason string) {
	e.enterStep(it, it.step+1)
	e.emit(Decision{Kind: Escalate, At: timeOf(e.now), Item: it.id, Step: it.step, Reason: reason})
}

// escalate moves an item waiting or offered on to its next step. An offer
// stands; the item enters the new step's queue if the offer fails.
func (e *Engine) escalate(it *item, reason string) {
	switch it.state {
	case Queued:
		e.unqueue(it)
		e.moveOn(it, reason)
		e.place(it)
	case Offered:
		e.moveOn(it, reason)
		e.armStep(it)
	}
}

func (e *Engine) unqueue(it *item) {
	it.q.remove(it)
	it.q = nil
	it.state = ""
	e.nQueued--
}

// place queues an item that is neither queued nor offered in its current
// step, skipping steps that cannot reach anyone, and offers it at once if an
// agent is free.
func (e *Engine) place(it *item) {
	last := e.routeLen(it) - 1
	for {
		st := e.stepAt(it, it.step)
		if it.step < last && st.Target == TargetManager && it.spec.Manager == 0 {
			e.moveOn(it, ReasonNoManager)
			continue
		}
		q := e.queueFor(it, st)
		if it.step < last && !st.KeepIfEmpty && !e.anyLogged(q) {
			e.moveOn(it, ReasonNobodyLoggedIn)
			continue
		}
		it.state, it.q = Queued, q
		q.push(it)
		e.nQueued++
		e.armStep(it)
		e.seek(it, q, st.Choose)
		return
	}
}

// seek offers a just-queued item to the best free agent of its queue, if any.
func (e *Engine) seek(it *item, q *queue, how Strategy) {
	if e.freeCount(q) == 0 {
		return // the usual case in a busy center: nobody free to look for
	}
	var best *agent
	if q.kind == anchorAgent {
		if a := e.agents[q.agent]; a != nil && a.inFree[q.ch] && q.admits(a) && !it.excludes(a.id) {
			best = a
		}
	} else {
		best = e.bestFree(it, q, how)
	}
	if best != nil {
		e.unqueue(it)
		e.offer(it, best)
	}
}

// better reports whether agent a suits item it better than agent b under
// strategy how. Every strategy ends in longest idle, then lowest id, so the
// choice never depends on index order.
func (e *Engine) better(how Strategy, it *item, a, b *agent) bool {
	switch how {
	case LeastOccupied:
		c := it.ch
		// Shares of capacity in use, compared without division.
		if x, y := a.load[c]*b.cap[c], b.load[c]*a.cap[c]; x != y {
			return x < y
		}
		if x, y := total(a.load), total(b.load); x != y {
			return x < y
		}
	case BestSkill:
		if x, y := skillSum(a, it.reqs), skillSum(b, it.reqs); x != y {
			return x > y
		}
	}
	if a.idleSince != b.idleSince {
		return a.idleSince < b.idleSince
	}
	return a.id < b.id
}

func total(ns []int) int {
	t := 0
	for _, n := range ns {
		t += n
	}
	return t
}

func skillSum(a *agent, reqs []skillReq) int {
	s := 0
	for _, r := range reqs {
		s += int(a.level(r.id))
	}
	return s
}

// fill offers a free agent the best items it may take, until it is full or
// nothing waits for it. Only the heads of its eligible queues compete.
func (e *Engine) fill(a *agent) {
	for a.status == Available {
		var best *item
		consider := func(q *queue) {
			switch {
			case len(q.heap) == 0:
			case q.topExcl: // someone missed the head: maybe this agent
				if it := q.best(a); it != nil && (best == nil || it.before(best)) {
					best = it
				}
			case best == nil || q.topBefore(best):
				best = q.heap[0]
			}
		}
		for c := range a.elig {
			if a.load[c] >= a.cap[c] {
				continue
			}
			e.discover(a, c)
			for _, q := range a.elig[c] {
				consider(q)
			}
			e.eachSingle(a, c, consider)
		}
		if best == nil {
			return
		}
		e.unqueue(best)
		e.offer(best, a)
	}
}

// offer reserves the item for the agent until the offer times out.
func (e *Engine) offer(it *item, a *agent) {
	it.state, it.agent = Offered, a
	a.load[it.ch]++
	a.offers = append(a.offers, it)
	it.offerExpires = e.now + int64(e.cfg.OfferTimeout)
	it.offerTimer = e.timers.push(it.offerExpires, timerOffer, int64(it.id))
	e.nOffered++
	e.settle(a, true)
	e.emit(Decision{Kind: Offer, At: timeOf(e.now), Item: it.id, Agent: a.id, Step: it.step,
		Expires: timeOf(it.offerExpires)})
}

// endOffer withdraws the item's offer, leaving the item detached.
func (e *Engine) endOffer(it *item) {
	a := it.agent
	a.load[it.ch]--
	i := slices.Index(a.offers, it)
	a.offers = slices.Delete(a.offers, i, i+1)
	it.agent, it.state = nil, ""
	it.offerTimer = 0
	e.nOffered--
	e.settle(a, true)
}

// release frees the agent of an assigned item, leaving the item detached.
func (e *Engine) release(it *item) *agent {
	a := it.agent
	a.load[it.ch]--
	it.agent, it.state = nil, ""
	e.nAssigned--
	e.settle(a, true)
	return a
}

// missed handles an offer rejected or timed out: the item goes on to the
// next candidate, and the agent goes away after too many misses in a row.
func (e *Engine) missed(it *item, a *agent) {
	e.endOffer(it)
	it.excluded = append(it.excluded, a.id)
	a.misses++
	e.place(it)
	if e.cfg.MaxMisses > 0 && a.misses >= e.cfg.MaxMisses && a.status == Available {
		a.misses = 0
		e.emit(Decision{Kind: AgentStatus, At: timeOf(e.now), Agent: a.id, Status: Away, Reason: ReasonMissedOffers})
		e.changeStatus(a, Away)
	}
	e.fill(a)
}

// sweep moves on the items waiting in queues nobody logged in can serve any
// more, unless their step says to keep waiting.
func (e *Engine) sweep(emptied []*queue) {
	var its []*item
	for _, q := range emptied {
		if e.anyLogged(q) {
			continue
		}
		for _, it := range q.heap {
			if it.step < e.routeLen(it)-1 && !e.stepAt(it, it.step).KeepIfEmpty {
				its = append(its, it)
			}
		}
	}
	sort.Slice(its, func(i, j int) bool { return its[i].before(its[j]) })
	for _, it := range its {
		e.escalate(it, ReasonNobodyLoggedIn)
	}
}
