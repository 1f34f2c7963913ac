package routing

import "slices"

// Free sets hold the available agents with room on a channel: all of them
// (freeAny), by team, and by skill and level. Each set is a list kept in
// idleSince order, oldest first, so "longest idle" is found near the head
// without a scan. The order holds because idleSince only ever becomes the
// current time, and an agent then moves to the back of its lists (settle).

// setNode links an agent into one free set.
type setNode struct {
	a          *agent
	prev, next *setNode
}

// agentSet is one free set: a doubly linked list of its agents.
type agentSet struct {
	kind       anchorKind
	id         int32 // skill or team
	ch         int
	head, tail *setNode
	n          int
}

func (s *agentSet) pushBack(nd *setNode) {
	nd.prev, nd.next = s.tail, nil
	if s.tail == nil {
		s.head = nd
	} else {
		s.tail.next = nd
	}
	s.tail = nd
	s.n++
}

func (s *agentSet) unlink(nd *setNode) {
	if nd.prev == nil {
		s.head = nd.next
	} else {
		nd.prev.next = nd.next
	}
	if nd.next == nil {
		s.tail = nd.prev
	} else {
		nd.next.prev = nd.prev
	}
	nd.prev, nd.next = nil, nil
	s.n--
}

// stride is the number of free sets per channel an agent belongs to: the
// "any" set, one per skill (at its level), one per team.
func (a *agent) stride() int { return 1 + len(a.skills) + len(a.teams) }

// skillSet is the free set of a skill at one level on channel c.
func (e *Engine) skillSet(skill int32, c int, level int8) *agentSet {
	return &e.freeSkill[(int(skill)*len(e.channels)+c)*MaxLevel+int(level)-1]
}

func (e *Engine) teamSet(team int32, c int) *agentSet {
	return &e.freeTeam[int(team)*len(e.channels)+c]
}

// eachSet calls fn with every free set of channel c the agent belongs to,
// and the agent's node in it.
func (e *Engine) eachSet(a *agent, c int, fn func(*agentSet, *setNode)) {
	base := c * a.stride()
	fn(&e.freeAny[c], &a.nodes[base])
	for i, r := range a.skills {
		fn(e.skillSet(r.id, c, r.level), &a.nodes[base+1+i])
	}
	for i, t := range a.teams {
		fn(e.teamSet(t, c), &a.nodes[base+1+len(a.skills)+i])
	}
}

// settle brings the agent's free-set membership up to date after its load
// or status changed: it joins or leaves the sets of each channel so that
// they hold exactly the available agents with room there, and keeps each
// queue's count of free agents. With touched, the agent's idleSince becomes
// now and it moves to the back of the sets it stays in.
func (e *Engine) settle(a *agent, touched bool) {
	if touched {
		a.idleSince = e.now
	}
	for c := range e.channels {
		want := a.status == Available && a.load[c] < a.cap[c]
		switch {
		case want != a.inFree[c]:
			a.inFree[c] = want
			d := -1
			if want {
				d = 1
				e.eachSet(a, c, func(s *agentSet, nd *setNode) { s.pushBack(nd) })
			} else {
				e.eachSet(a, c, func(s *agentSet, nd *setNode) { s.unlink(nd) })
			}
			if a.elig != nil {
				if want {
					e.discover(a, c) // a free agent knows every queue it may serve
				}
				for _, q := range a.elig[c] {
					q.free += d
				}
			}
			e.countAgent(e.freeCnt, a, c, int32(d))
		case want && touched:
			e.eachSet(a, c, func(s *agentSet, nd *setNode) {
				if s.tail != nd {
					s.unlink(nd)
					s.pushBack(nd)
				}
			})
		}
	}
}

// candidateSets returns the free sets that cover the agents who may take
// the items of q: for a skills queue, the levels from the required one up
// of the required skill with the fewest such agents.
func (e *Engine) candidateSets(q *queue, buf []*agentSet) []*agentSet {
	switch q.kind {
	case anchorAny:
		return append(buf, &e.freeAny[q.ch])
	case anchorTeam:
		return append(buf, e.teamSet(q.team, q.ch))
	}
	var pick skillReq
	fewest := -1
	for _, r := range q.reqs {
		n := 0
		for l := r.level; l <= MaxLevel; l++ {
			n += e.skillSet(r.id, q.ch, l).n
		}
		if fewest < 0 || n < fewest {
			pick, fewest = r, n
		}
	}
	for l := pick.level; l <= MaxLevel; l++ {
		buf = append(buf, e.skillSet(pick.id, q.ch, l))
	}
	return buf
}

// bestFree returns the free agent that suits item it best under strategy
// how among those q admits, or nil. For LongestIdle the walk stops at the
// first agent idle for less time than the best found, since the sets are
// in idleSince order; the other strategies look at every candidate.
func (e *Engine) bestFree(it *item, q *queue, how Strategy) *agent {
	e.setBuf = e.candidateSets(q, e.setBuf[:0])
	var best *agent
	for _, s := range e.setBuf {
		for nd := s.head; nd != nil; nd = nd.next {
			a := nd.a
			if how == LongestIdle && best != nil && a.idleSince > best.idleSince {
				break
			}
			if !q.admits(a) || it.excludes(a.id) {
				continue
			}
			if best == nil || e.better(how, it, a, best) {
				best = a
			}
		}
	}
	return best
}

// members lists a free set, for tests and restores.
func (s *agentSet) members() []*agent {
	var as []*agent
	for nd := s.head; nd != nil; nd = nd.next {
		as = append(as, nd.a)
	}
	return as
}

// sortByIdle orders agents as the free sets do.
func sortByIdle(as []*agent) {
	slices.SortFunc(as, func(x, y *agent) int {
		if x.idleSince != y.idleSince {
			if x.idleSince < y.idleSince {
				return -1
			}
			return 1
		}
		return int(x.id - y.id)
	})
}
