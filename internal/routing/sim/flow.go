package sim

import (
	"fmt"
	"reflect"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/routing"
)

// handle carries out one event of the agenda.
func (r *run) handle(ev *event) error {
	switch ev.kind {
	case arrive:
		q := int(ev.n)
		r.scheduleArrival(q, ev.at)
		return r.arrive(q)
	case answer:
		return r.answer(ev)
	case finish:
		return r.finish(ev)
	case giveUp:
		return r.giveUp(ev)
	case shiftStart:
		return r.startShift(ev.agent, int(ev.n))
	case shiftEnd:
		return r.endShift(ev.agent, int(ev.n))
	case comeBack:
		a := &r.agents[ev.agent-1]
		if !a.loggedIn || !a.away {
			return nil
		}
		r.update(ev.agent, func(a *agentState) { a.away = false })
		return r.send(routing.AgentState{At: r.at(r.now), Agent: ev.agent, Status: routing.Available})
	case wake:
		if !r.wakePending || ev.epoch != r.wakeGen {
			return nil // superseded by an earlier wake
		}
		r.wakePending = false
		return r.send(routing.Advance{At: r.at(r.now)})
	case wrapEnd:
		r.endWrapUp(ev.agent)
	}
	return nil
}

// arrive creates a contact in queue q and hands it to the engine.
func (r *run) arrive(q int) error {
	qm := &r.m.queues[q]
	i := int32(len(r.contacts))
	c := contact{arrived: r.now, queue: int32(q), origin: int32(q), interval: int32(r.now / r.m.interval), policy: qm.policy}
	if qm.managerShare > 0 && r.managers.Float64() < qm.managerShare {
		c.manager = qm.managers[r.managers.IntN(len(qm.managers))]
		r.count(&c, func(t *tally) { t.withManager++ })
	}
	r.contacts = append(r.contacts, c)
	r.open++
	r.count(&c, func(t *tally) { t.offered++ })
	if qm.patience != nil {
		r.agenda.push(event{at: r.now + qm.patience.Sample(r.patience), kind: giveUp, contact: i})
	}
	return r.send(routing.Enqueue{At: r.at(r.now), Item: routing.WorkItem{
		ID:       itemID(i),
		Channel:  qm.channel,
		Skills:   qm.skills,
		Priority: qm.priority,
		Manager:  c.manager,
		Policy:   qm.policy,
	}})
}

// answer is the agent's reply to an offer, decided when it was made.
func (r *run) answer(ev *event) error {
	c := &r.contacts[ev.contact]
	if c.epoch != ev.epoch || c.state != offered || c.agent != ev.agent {
		return nil // the offer was revoked or timed out meanwhile
	}
	if ev.n == 0 {
		r.closeFirstOffer(c)
		c.state, c.agent = waiting, 0
		c.epoch++
		return r.send(routing.Reject{At: r.at(r.now), Item: itemID(ev.contact), Agent: ev.agent})
	}
	if err := r.send(routing.Accept{At: r.at(r.now), Item: itemID(ev.contact), Agent: ev.agent}); err != nil {
		if c.state != offered || c.agent != ev.agent {
			return nil // a timer fired first and took the offer back
		}
		return err
	}
	c.state = serving
	c.epoch++
	r.update(ev.agent, func(a *agentState) { a.active++; a.wrapping = false })
	if c.flags&firstOfferOpen != 0 {
		r.count(c, func(t *tally) { t.firstAccepted++ })
	}
	r.closeFirstOffer(c)
	if c.flags&answered == 0 {
		c.flags |= answered
		wait := r.now - c.arrived
		inTarget := b2i(wait <= r.m.queues[c.origin].target)
		r.count(c, func(t *tally) { t.answered++; t.waitSeconds += wait.Seconds(); t.inTarget += inTarget })
	}
	if c.manager == ev.agent && c.flags&reachedManager == 0 {
		c.flags |= reachedManager
		r.count(c, func(t *tally) { t.reachedManager++ })
	}
	handle := r.m.queues[c.queue].handle.Sample(r.service)
	r.agenda.push(event{at: r.now + handle, kind: finish, contact: ev.contact, agent: ev.agent, epoch: c.epoch})
	return nil
}

// finish ends the handle time: the contact is completed, or transferred on.
func (r *run) finish(ev *event) error {
	c := &r.contacts[ev.contact]
	if c.epoch != ev.epoch || c.state != serving {
		return nil
	}
	q := &r.m.queues[c.queue]
	agentID := c.agent
	c.epoch++
	c.agent = 0
	if q.transferTo >= 0 && r.behaviour.Float64() < q.transferP {
		to := &r.m.queues[q.transferTo]
		target := routing.TransferTarget{Skills: to.skills}
		if len(to.skills) == 0 { // the engine needs exactly one target
			target = routing.TransferTarget{Policy: r.policyName(to.policy)}
			c.policy = to.policy
		}
		c.state, c.queue = waiting, int32(q.transferTo)
		r.count(c, func(t *tally) { t.transfers++ })
		r.update(agentID, func(a *agentState) { a.active-- })
		return r.send(routing.Transfer{At: r.at(r.now), Item: itemID(ev.contact), To: target})
	}
	c.state = closed
	r.open--
	r.lastEnd = r.now
	wrap := r.m.config.WrapUp[q.channel]
	r.update(agentID, func(a *agentState) {
		a.active--
		if wrap > 0 {
			a.wrapping, a.wrapUntil = true, max(a.wrapUntil, r.now+wrap)
		}
	})
	if wrap > 0 {
		r.agenda.push(event{at: r.now + wrap, kind: wrapEnd, contact: -1, agent: agentID})
	}
	return r.send(routing.Complete{At: r.at(r.now), Item: itemID(ev.contact), Agent: agentID})
}

// giveUp is the customer hanging up before anyone answered.
func (r *run) giveUp(ev *event) error {
	c := &r.contacts[ev.contact]
	if c.state >= serving || c.flags&answered != 0 {
		return nil
	}
	r.closeFirstOffer(c)
	c.state, c.agent = closed, 0
	c.epoch++
	r.open--
	r.lastEnd = r.now
	r.count(c, func(t *tally) { t.abandoned++ })
	return r.send(routing.Cancel{At: r.at(r.now), Item: itemID(ev.contact)})
}

func (r *run) startShift(id routing.AgentID, n int) error {
	a := &r.m.agents[id-1]
	r.update(id, func(s *agentState) { s.loggedIn, s.away = true, false })
	if end := a.shifts[n].End.Std(); end != forever {
		r.agenda.push(event{at: end, kind: shiftEnd, agent: id, n: int32(n), contact: -1})
	}
	return r.send(routing.AgentLogin{At: r.at(r.now), Agent: id, Skills: a.skills, Teams: a.teams, Capacity: a.capacity})
}

func (r *run) endShift(id routing.AgentID, n int) error {
	a := &r.m.agents[id-1]
	r.update(id, func(s *agentState) { s.loggedIn, s.away = false, false })
	if n+1 < len(a.shifts) {
		r.agenda.push(event{at: a.shifts[n+1].Start.Std(), kind: shiftStart, agent: id, n: int32(n + 1), contact: -1})
	}
	return r.send(routing.AgentState{At: r.at(r.now), Agent: id, Status: routing.Offline})
}

// decide acts on one engine decision.
func (r *run) decide(d routing.Decision) {
	switch d.Kind {
	case routing.Offer:
		r.offer(d)
	case routing.OfferTimeout, routing.OfferRevoked:
		c := &r.contacts[contactIndex(d.Item)]
		if c.state == offered && c.agent == d.Agent {
			r.closeFirstOffer(c)
			c.state, c.agent = waiting, 0
			c.epoch++
		}
	case routing.AgentStatus:
		r.agentStatus(d)
	}
}

// offer is the simulated agent receiving an offer: it decides at once
// whether it will accept, reject or let the offer time out.
func (r *run) offer(d routing.Decision) {
	i := contactIndex(d.Item)
	c := &r.contacts[i]
	c.state, c.agent = offered, d.Agent
	c.epoch++
	if c.flags&offeredOnce == 0 {
		c.flags |= offeredOnce | firstOfferOpen
		r.count(c, func(t *tally) { t.firstOffers++ })
	}
	a := &r.m.agents[d.Agent-1]
	u := r.behaviour.Float64()
	switch {
	case u < a.reject:
		r.agenda.push(event{at: r.now + a.answerDelay, kind: answer, contact: i, agent: d.Agent, n: 0, epoch: c.epoch})
	case u < a.reject+a.miss:
		// No answer: the engine's offer time-out will fire (see scheduleWake).
	default:
		r.agenda.push(event{at: r.now + a.answerDelay, kind: answer, contact: i, agent: d.Agent, n: 1, epoch: c.epoch})
	}
}

// endWrapUp ends the agent's wrap-up once its time is over, whether or not
// the engine says so (it need not for an agent who has logged out).
func (r *run) endWrapUp(id routing.AgentID) {
	if a := &r.agents[id-1]; a.wrapping && a.wrapUntil <= r.now {
		r.update(id, func(a *agentState) { a.wrapping = false })
	}
}

// agentStatus follows the engine's status changes. Wrap-up is not among
// them: finish starts it and endWrapUp ends it, for logged-out agents too.
func (r *run) agentStatus(d routing.Decision) {
	switch d.Status {
	case routing.Away:
		r.update(d.Agent, func(a *agentState) { a.away, a.wrapping = true, false })
		r.agenda.push(event{at: r.now + r.m.agents[d.Agent-1].awayFor, kind: comeBack, agent: d.Agent, contact: -1})
	case routing.Available:
		r.update(d.Agent, func(a *agentState) { a.away, a.wrapping = false, false })
	}
}

// send applies one event to the engine, acts on its decisions and wakes
// the engine again when its next timer is due.
func (r *run) send(ev routing.Event) error {
	r.applied++
	// The decisions are the engine's until the next Apply; decide only
	// schedules agenda events, so they are used up before then.
	decisions, err := r.engine.Apply(ev)
	for _, d := range decisions {
		r.decide(d)
	}
	r.scheduleWake()
	if err != nil {
		// The simulator and the engine disagree about the center: a bug in
		// one of them, never the scenario's fault. (reflect.TypeOf, unlike
		// fmt's %T, does not make ev escape, so events are not boxed on the
		// heap.)
		return vernost.Internal(fmt.Errorf("at %s the routing engine rejected %s: %w", clockLabel(r.m.start+r.now), reflect.TypeOf(ev), err))
	}
	return nil
}

// Contact flags.
const (
	answered       uint8 = 1 << iota // accepted at least once
	offeredOnce                      // offered at least once
	firstOfferOpen                   // the first offer is still open
	reachedManager                   // served by the personal manager
)

// closeFirstOffer ends the first offer's chance of being accepted.
func (r *run) closeFirstOffer(c *contact) { c.flags &^= firstOfferOpen }

// count applies f to the tallies of the contact's arrival interval and queue.
func (r *run) count(c *contact, f func(t *tally)) {
	f(&r.intervals[c.interval])
	f(&r.queues[c.origin])
}

func (r *run) policyName(name string) string {
	if name == "" {
		return r.m.config.Policies[0].Name
	}
	return name
}

func itemID(i int32) routing.ItemID        { return routing.ItemID(i) + 1 }
func contactIndex(id routing.ItemID) int32 { return int32(id - 1) }
