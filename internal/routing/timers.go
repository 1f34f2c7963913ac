package routing

import "time"

// Timer kinds, in the order timers due at the same instant fire: agents
// freed by a wrap-up end first, then offer time-outs, then escalations.
const (
	timerWrapUp uint8 = iota
	timerOffer
	timerStep
)

// timer is a due time for an agent (wrap-up) or an item (offer, step).
// Timers are never removed early: one whose gen no longer matches its
// owner's live timer is stale and skipped when it comes due.
type timer struct {
	at   int64
	kind uint8
	id   int64 // agent or item id
	gen  uint64
}

// timerHeap orders timers by (at, kind, id), an order that does not depend
// on when they were set, so a restored engine fires them identically.
type timerHeap struct {
	h    []timer
	next uint64
}

func (a timer) before(b timer) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	if a.kind != b.kind {
		return a.kind < b.kind
	}
	return a.id < b.id
}

// push sets a timer and returns its generation, which the owner keeps.
func (th *timerHeap) push(at int64, kind uint8, id int64) uint64 {
	th.next++
	t := timer{at: at, kind: kind, id: id, gen: th.next}
	h := append(th.h, t)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !t.before(h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = t
	th.h = h
	return th.next
}

// due pops the next timer at or before t.
func (th *timerHeap) due(t int64) (timer, bool) {
	if len(th.h) == 0 || th.h[0].at > t {
		return timer{}, false
	}
	return th.pop(), true
}

// pop removes and returns the first timer; the heap must not be empty.
func (th *timerHeap) pop() timer {
	h := th.h
	top := h[0]
	last := h[len(h)-1]
	h = h[:len(h)-1]
	i, n := 0, len(h)
	for n > 0 {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h[c+1].before(h[c]) {
			c++
		}
		if !h[c].before(last) {
			break
		}
		h[i] = h[c]
		i = c
	}
	if n > 0 {
		h[i] = last
	}
	th.h = h
	return top
}

// owner returns the agent (wrap-up) or item (offer, step) whose live timer
// tm is, or nil when tm is stale. A stale timer never becomes live again:
// its owner is gone, has a newer generation, or has left the state the
// timer was for (each of which also clears the owner's generation).
func (e *Engine) owner(tm timer) (*agent, *item) {
	switch tm.kind {
	case timerWrapUp:
		if a := e.agents[AgentID(tm.id)]; a != nil && a.wrapTimer == tm.gen && a.status == WrapUp {
			return a, nil
		}
	case timerOffer:
		if it := e.items[ItemID(tm.id)]; it != nil && it.offerTimer == tm.gen && it.state == Offered {
			return nil, it
		}
	case timerStep:
		if it := e.items[ItemID(tm.id)]; it != nil && it.stepTimer == tm.gen && it.state != Assigned {
			return nil, it
		}
	}
	return nil, nil
}

// runTimers fires every live timer due by t, each at its own time.
func (e *Engine) runTimers(t int64) {
	for {
		tm, ok := e.timers.due(t)
		if !ok {
			return
		}
		a, it := e.owner(tm)
		if a == nil && it == nil {
			continue
		}
		e.now = tm.at
		switch tm.kind {
		case timerWrapUp:
			a.wrapTimer = 0
			e.emit(Decision{Kind: AgentStatus, At: timeOf(e.now), Agent: a.id, Status: Available, Reason: ReasonWrapUpEnded})
			e.changeStatus(a, Available)
		case timerOffer:
			a := it.agent
			e.emit(Decision{Kind: OfferTimeout, At: timeOf(e.now), Item: it.id, Agent: a.id})
			e.missed(it, a)
		case timerStep:
			e.escalate(it, ReasonTimeout)
		}
	}
}

// nextDue is the time of the earliest live timer. Stale timers met on the
// way are dropped: they would only be skipped when due.
func (e *Engine) nextDue() (time.Time, bool) {
	for len(e.timers.h) > 0 {
		tm := e.timers.h[0]
		if a, it := e.owner(tm); a != nil || it != nil {
			return timeOf(tm.at), true
		}
		e.timers.pop()
	}
	return time.Time{}, false
}
