package routing

import (
	"fmt"
	"slices"
)

// checkInvariants recomputes, by brute force, everything the engine keeps
// incrementally, and checks the promises of the package: no item offered
// twice, no offer above capacity, no queued item left waiting while a free
// agent could take it. It returns the first violation.
func checkInvariants(e *Engine) error {
	counts := map[ItemState]int{}
	load := map[*agent][]int{}
	offers := map[*agent]int{}
	for _, a := range e.agents {
		load[a] = make([]int, len(e.channels))
	}
	for id, it := range e.items {
		if it.id != id {
			return fmt.Errorf("item %d filed under %d", it.id, id)
		}
		counts[it.state]++
		switch it.state {
		case Queued:
			if it.q == nil || it.hpos < 0 || it.hpos >= len(it.q.heap) || it.q.heap[it.hpos] != it {
				return fmt.Errorf("queued item %d is not where it says in its queue", id)
			}
			if it.agent != nil {
				return fmt.Errorf("queued item %d has agent %d", id, it.agent.id)
			}
		case Offered, Assigned:
			a := it.agent
			if a == nil || it.q != nil {
				return fmt.Errorf("%s item %d: agent %v, queue %v", it.state, id, a, it.q)
			}
			load[a][it.ch]++
			n := 0
			for _, o := range a.offers {
				if o == it {
					n++
				}
			}
			want := 0
			if it.state == Offered {
				want = 1
				offers[a]++
				if a.status != Available {
					return fmt.Errorf("item %d offered to agent %d who is %s", id, a.id, a.status)
				}
				if it.excludes(a.id) {
					return fmt.Errorf("item %d offered to agent %d, who missed it in this step", id, a.id)
				}
				if it.offerExpires <= e.now || !e.timerLive(timerOffer, int64(id), it.offerTimer) {
					return fmt.Errorf("item %d: offer expiring at %d has no live timer (now %d)", id, it.offerExpires, e.now)
				}
			}
			if n != want {
				return fmt.Errorf("%s item %d appears %d times in agent %d's offers", it.state, id, n, a.id)
			}
		default:
			return fmt.Errorf("item %d in state %q", id, it.state)
		}
		if it.state != Assigned && it.stepDeadline > 0 &&
			(it.stepDeadline <= e.now || !e.timerLive(timerStep, int64(id), it.stepTimer)) {
			return fmt.Errorf("item %d: step deadline %d has no live timer (now %d)", id, it.stepDeadline, e.now)
		}
	}
	if counts[Queued] != e.nQueued || counts[Offered] != e.nOffered || counts[Assigned] != e.nAssigned {
		return fmt.Errorf("counts %v, engine says queued %d offered %d assigned %d", counts, e.nQueued, e.nOffered, e.nAssigned)
	}
	for _, a := range e.agents {
		if len(a.offers) != offers[a] {
			return fmt.Errorf("agent %d lists %d offers, items say %d", a.id, len(a.offers), offers[a])
		}
		for c := range e.channels {
			if a.load[c] != load[a][c] {
				return fmt.Errorf("agent %d channel %s: load %d, items say %d", a.id, e.channels[c], a.load[c], load[a][c])
			}
			offered := 0
			for _, it := range a.offers {
				if it.ch == c {
					offered++
				}
			}
			if offered > 0 && a.load[c] > a.cap[c] {
				return fmt.Errorf("agent %d channel %s over capacity: load %d > %d with offers", a.id, e.channels[c], a.load[c], a.cap[c])
			}
			free := a.status == Available && a.load[c] < a.cap[c]
			if a.inFree[c] != free || slices.Contains(e.freeAny[c].members(), a) != free {
				return fmt.Errorf("agent %d channel %s: free %v, indexed %v", a.id, e.channels[c], free, a.inFree[c])
			}
		}
		if a.status == WrapUp && (a.wrapUntil <= e.now || !e.timerLive(timerWrapUp, int64(a.id), a.wrapTimer)) {
			return fmt.Errorf("agent %d wraps up until %d without a live timer (now %d)", a.id, a.wrapUntil, e.now)
		}
	}
	if err := checkSets(e); err != nil {
		return err
	}
	return checkQueues(e)
}

func checkSets(e *Engine) error {
	sets := []*agentSet{}
	for i := range e.freeAny {
		sets = append(sets, &e.freeAny[i])
	}
	for i := range e.freeSkill {
		sets = append(sets, &e.freeSkill[i])
	}
	for i := range e.freeTeam {
		sets = append(sets, &e.freeTeam[i])
	}
	seen := map[*agent]int{}
	for si, s := range sets {
		n := 0
		var prev *setNode
		for nd := s.head; nd != nil; prev, nd = nd, nd.next {
			a := nd.a
			n++
			seen[a]++
			if nd.prev != prev {
				return fmt.Errorf("set %d: broken links at agent %d", si, a.id)
			}
			if !a.inFree[s.ch] {
				return fmt.Errorf("agent %d in a free set of channel %s but not free", a.id, e.channels[s.ch])
			}
			if prev != nil && prev.a.idleSince > a.idleSince {
				return fmt.Errorf("set %d out of idle order at agent %d", si, a.id)
			}
			switch s.kind {
			case anchorSkill:
				if lvl := a.level(s.id); lvl == 0 || e.skillSet(s.id, s.ch, lvl) != s {
					return fmt.Errorf("agent %d in the free set of skill %d at the wrong level", a.id, s.id)
				}
			case anchorTeam:
				if !a.inTeam(s.id) {
					return fmt.Errorf("agent %d in the free set of team %d", a.id, s.id)
				}
			}
		}
		if s.tail != prev || n != s.n {
			return fmt.Errorf("set %d: tail or count wrong (%d, counted %d)", si, s.n, n)
		}
	}
	for _, a := range e.agents {
		want := 0
		for c := range e.channels {
			if a.inFree[c] {
				want += a.stride()
			}
		}
		if seen[a] != want {
			return fmt.Errorf("agent %d is in %d free sets, want %d", a.id, seen[a], want)
		}
	}
	return nil
}

func checkQueues(e *Engine) error {
	for _, q := range e.queues {
		if len(q.heap) > 0 {
			h := q.heap[0]
			if q.topKey != h.key || q.topSeq != h.seq || q.topExcl != (len(h.excluded) > 0) {
				return fmt.Errorf("queue's copy of its head is stale (head item %d)", h.id)
			}
		}
		for i, it := range q.heap {
			if it.q != q || it.hpos != i || it.state != Queued {
				return fmt.Errorf("item %d misfiled in a queue", it.id)
			}
			if i > 0 && it.before(q.heap[(i-1)/2]) {
				return fmt.Errorf("queue heap out of order at item %d", it.id)
			}
			st := e.stepAt(it, it.step)
			if it.step < e.routeLen(it)-1 {
				if st.Target == TargetManager && it.spec.Manager == 0 {
					return fmt.Errorf("item %d waits for a manager it does not have", it.id)
				}
				if !st.KeepIfEmpty && e.loggedCount(q) == 0 {
					return fmt.Errorf("item %d waits in step %d where nobody is logged in", it.id, it.step)
				}
			}
			if got := e.queueFor(it, st); got != q {
				return fmt.Errorf("item %d is in a queue other than its step's", it.id)
			}
			// Work conservation: nobody free who could take it.
			for _, a := range e.agents {
				if a.status == Available && a.load[it.ch] < a.cap[it.ch] && q.admits(a) && !it.excludes(a.id) {
					return fmt.Errorf("item %d waits while agent %d is free for it", it.id, a.id)
				}
			}
		}
		logged, free := 0, 0
		for _, a := range e.agents {
			if a.status != Offline && q.admits(a) {
				logged++
				if a.inFree[q.ch] {
					free++
				}
				// Single-skill queues are found through singles, multi-skill
				// ones through elig once discovered, the others through elig.
				listed := slices.Contains(a.elig[q.ch], q)
				found := false
				e.eachSingle(a, q.ch, func(s *queue) { found = found || s == q })
				switch {
				case q.single && (listed || !found):
					return fmt.Errorf("agent %d may serve a single-skill queue: listed %v, found through singles %v", a.id, listed, found)
				case !q.single && found:
					return fmt.Errorf("agent %d finds a queue through singles that is not single-skill", a.id)
				case q.kind == anchorSkill && !q.single && !listed && (a.inFree[q.ch] || !undiscovered(e, a, q)):
					return fmt.Errorf("agent %d (free %v) may serve a multi-skill queue it neither lists nor has left to discover", a.id, a.inFree[q.ch])
				case q.kind != anchorSkill && !listed:
					return fmt.Errorf("agent %d may serve a queue it does not list", a.id)
				}
			}
		}
		if e.anyLogged(q) != (logged > 0) {
			return fmt.Errorf("queue says anyone logged in %v; there are %d", e.anyLogged(q), logged)
		}
		if logged != e.loggedCount(q) || free != e.freeCount(q) {
			return fmt.Errorf("queue counts %d logged-in agents, %d free; there are %d, %d", e.loggedCount(q), e.freeCount(q), logged, free)
		}
	}
	for _, a := range e.agents {
		if a.status == Offline {
			if a.elig != nil {
				return fmt.Errorf("offline agent %d keeps eligible queues", a.id)
			}
			continue
		}
		for c, qs := range a.elig {
			for _, q := range qs {
				if q.ch != c || !q.admits(a) {
					return fmt.Errorf("agent %d lists a queue it may not serve", a.id)
				}
			}
		}
	}
	return nil
}

// undiscovered reports whether q waits among the multi-skill queues a has
// not looked at yet.
func undiscovered(e *Engine, a *agent, q *queue) bool {
	for i, r := range a.skills {
		qs := e.multis[e.multiIdx(r.id, q.ch)]
		if n := a.seen[q.ch*len(a.skills)+i]; slices.Contains(qs[n:], q) {
			return true
		}
	}
	return false
}

// timerLive reports whether the heap holds the owner's live timer.
func (e *Engine) timerLive(kind uint8, id int64, gen uint64) bool {
	if gen == 0 {
		return false
	}
	for _, t := range e.timers.h {
		if t.kind == kind && t.id == id && t.gen == gen {
			return true
		}
	}
	return false
}
