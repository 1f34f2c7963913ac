package routing

// Queues that need one skill are most of the queues, and the only ones an
// eager index handles badly: a new queue for a common skill would have to be
// filed with thousands of agents at once. So they are not filed with agents
// at all. Each is found through its skill, channel and level (singles), and
// the engine keeps, per skill, channel, level and language, counts of the
// logged-in and of the free agents, from which any single-skill queue's
// counts follow by summing levels.

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

// sumLevels sums the counts of q's skill from its level up, in its language.
func (e *Engine) sumLevels(cnt [][]int32, q *queue) int {
	r, slot, n := q.reqs[0], 0, 0
	if q.lang >= 0 {
		slot = langSlot(q.lang)
	}
	for l := r.level; l <= MaxLevel; l++ {
		if row := cnt[e.countIdx(r.id, q.ch, l)]; slot < len(row) {
			n += int(row[slot])
		}
	}
	return n
}

// loggedCount is the number of logged-in agents who may serve q.
func (e *Engine) loggedCount(q *queue) int {
	if q.single {
		return e.sumLevels(e.loggedCnt, q)
	}
	return q.loggedIn
}

// freeCount is the number of available agents with room who may serve q.
func (e *Engine) freeCount(q *queue) int {
	if q.single {
		return e.sumLevels(e.freeCnt, q)
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

// emptiedSingles appends the single-skill queues a could serve that nobody
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
	}
	return emptied
}
