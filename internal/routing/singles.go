package routing

import "slices"

// Queues that need skills are not filed with every agent who may serve
// them: a new queue for a common skill would be filed with thousands of
// agents at once, and one needing several skills with every agent holding
// the rarest of them (a scan that cost 0.14 ms median, 1.2 ms p99 per new
// queue in the benchmark).
//
// A single-skill queue is found through its skill, channel and level
// (singles). The engine keeps, per skill, channel, level and language,
// counts of the logged-in and of the free agents, from which its counts
// follow by summing levels.
//
// A multi-skill queue is filed under the skill fewest logged-in agents had
// when it was made, and its channel (multis). When made, it is filed only
// with the free agents who may serve it (there are few in a busy center);
// the others discover it when they next become free (settle), so its count
// of free agents stays exact. Whether anyone logged in may serve it is found
// by a walk of the agents with its rarest skill that stops at the first
// admitted, and that agent is remembered for the next check.

// countIdx indexes the per-skill arrays (singles, counts) by skill, channel
// and level.
func (e *Engine) countIdx(skill int32, c int, level int8) int {
	return (int(skill)*len(e.channels)+c)*MaxLevel + int(level) - 1
}

// langSlot is where a language is counted: slot 0 counts every agent (for
// items in any language), slot l+1 the speakers of language l.
func langSlot(lang int32) int { return int(lang) + 1 }

// countAgent adds d to the counts in cnt for agent a on channel c: once per
// skill (at its level) for any language, and once per language it speaks.
func (e *Engine) countAgent(cnt [][]int32, a *agent, c int, d int32) {
	for _, r := range a.skills {
		row := &cnt[e.countIdx(r.id, c, r.level)]
		need := 1
		if len(a.langs) > 0 {
			need = langSlot(a.langs[len(a.langs)-1]) + 1
		}
		for len(*row) < need {
			*row = append(*row, 0)
		}
		(*row)[0] += d
		for _, l := range a.langs {
			(*row)[langSlot(l)] += d
		}
	}
}

// countLogged counts a logged-in agent in (d = 1) or out (d = -1).
func (e *Engine) countLogged(a *agent, d int32) {
	for c := range e.channels {
		if a.cap[c] > 0 {
			e.countAgent(e.loggedCnt, a, c, d)
		}
	}
}

// sumLevels sums the counts of skill r from its level up, on channel c in
// language lang (-1 for any).
func (e *Engine) sumLevels(cnt [][]int32, r skillReq, c int, lang int32) int {
	slot, n := 0, 0
	if lang >= 0 {
		slot = langSlot(lang)
	}
	for l := r.level; l <= MaxLevel; l++ {
		if row := cnt[e.countIdx(r.id, c, l)]; slot < len(row) {
			n += int(row[slot])
		}
	}
	return n
}

// rarest returns q's requirement with the fewest agents counted in cnt, and
// that number: a bound on the agents counted who may serve q.
func (e *Engine) rarest(cnt [][]int32, q *queue) (skillReq, int) {
	var pick skillReq
	fewest := -1
	for _, r := range q.reqs {
		if n := e.sumLevels(cnt, r, q.ch, q.lang); fewest < 0 || n < fewest {
			pick, fewest = r, n
		}
	}
	return pick, fewest
}

// loggedCount is the number of logged-in agents who may serve q. For a
// multi-skill queue it walks the agents with its rarest skill; the hot
// paths ask anyLogged instead.
func (e *Engine) loggedCount(q *queue) int {
	if q.kind != anchorSkill {
		return q.loggedIn
	}
	if q.single {
		return e.sumLevels(e.loggedCnt, q.reqs[0], q.ch, q.lang)
	}
	n := 0
	e.eachLogged(q, func(*agent) bool { n++; return true })
	return n
}

// anyLogged reports whether anyone logged in may serve q. A multi-skill
// queue remembers the last such agent found, so that the usual check costs
// one admits; the walk stops at the first agent admitted.
func (e *Engine) anyLogged(q *queue) bool {
	if q.kind != anchorSkill || q.single {
		return e.loggedCount(q) > 0
	}
	if w := q.witness; w != nil && w.status != Offline && q.admits(w) {
		return true
	}
	q.witness = nil
	if _, n := e.rarest(e.loggedCnt, q); n == 0 {
		return false
	}
	e.eachLogged(q, func(a *agent) bool { q.witness = a; return false })
	return q.witness != nil
}

// eachLogged calls fn with every logged-in agent who may serve the
// multi-skill queue q, until fn returns false.
func (e *Engine) eachLogged(q *queue, fn func(*agent) bool) {
	r, _ := e.rarest(e.loggedCnt, q)
	for l := r.level; l <= MaxLevel; l++ {
		for _, a := range e.byAnchor.loggedSkill[r.id][l-1] {
			if a.status != Offline && q.admits(a) && !fn(a) {
				return
			}
		}
	}
}

// freeCount is the number of available agents with room who may serve q.
func (e *Engine) freeCount(q *queue) int {
	if q.single {
		return e.sumLevels(e.freeCnt, q.reqs[0], q.ch, q.lang)
	}
	return q.free
}

// eachSingle calls fn with every single-skill queue on channel c that agent
// a may serve.
func (e *Engine) eachSingle(a *agent, c int, fn func(*queue)) {
	for _, r := range a.skills {
		for l := int8(MinLevel); l <= r.level; l++ {
			for _, q := range e.singles[e.countIdx(r.id, c, l)] {
				if q.lang < 0 || a.speaks(q.lang) {
					fn(q)
				}
			}
		}
	}
}

// multiIdx indexes multis by skill and channel. A multi-skill queue is not
// filed by level: an agent checks every requirement anyway.
func (e *Engine) multiIdx(skill int32, c int) int { return int(skill)*len(e.channels) + c }

// fileFree files a new multi-skill queue with the free agents who may serve
// it, so that its count of free agents is exact from the start: agents
// becoming free later discover it (settle). Free agents are a small part of
// those logged in.
func (e *Engine) fileFree(q *queue) {
	e.setBuf = e.candidateSets(q, e.setBuf[:0])
	for _, s := range e.setBuf {
		for nd := s.head; nd != nil; nd = nd.next {
			if a := nd.a; q.admits(a) {
				a.elig[q.ch] = append(a.elig[q.ch], q)
				q.free++
			}
		}
	}
}

// discover adds to a's eligibility on channel c the multi-skill queues made
// since it last looked that it may serve. Each agent checks each queue filed
// under its skills once, when it first has room, instead of every agent
// with the skill at once when the queue is made.
func (e *Engine) discover(a *agent, c int) {
	seen := a.seen[c*len(a.skills):]
	for i, r := range a.skills {
		qs := e.multis[e.multiIdx(r.id, c)]
		for n := &seen[i]; int(*n) < len(qs); *n++ {
			// A queue made while a was free was filed with it then (fileFree).
			if q := qs[*n]; q.admits(a) && !slices.Contains(a.elig[c], q) {
				a.elig[c] = append(a.elig[c], q)
			}
		}
	}
}

// emptiedSingles appends the skills queues a could serve that nobody
// logged in can serve any more.
func (e *Engine) emptiedSingles(a *agent, emptied []*queue) []*queue {
	for c := range e.channels {
		if a.cap[c] == 0 {
			continue
		}
		e.eachSingle(a, c, func(q *queue) {
			if e.loggedCount(q) == 0 {
				emptied = append(emptied, q)
			}
		})
		for _, r := range a.skills {
			for _, q := range e.multis[e.multiIdx(r.id, c)] {
				if q.admits(a) && !e.anyLogged(q) {
					emptied = append(emptied, q)
				}
			}
		}
	}
	return emptied
}
