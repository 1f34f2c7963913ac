package routing

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"
)

// The benchmarks measure the targets of the routing issue on a contact
// center of 10,000 logged-in agents with 500 skills and 100,000 queued
// items: the latency of one routing decision (an item enqueued, or an agent
// freed, leading to an offer or to waiting), decisions per second, and the
// heap. Run them on one core: go test -bench . -cpu 1.

const (
	benchAgents = 10_000
	benchSkills = 500
	benchQueued = 100_000
)

// workload draws agents and items for the benchmarks. Skill popularity is
// Zipf-like, as in real centers: a few skills (billing, tariffs) are
// everywhere, most are niche. An item's required skills come from a catalog
// of topics (what the IVR menu or the chat form offers), itself drawn
// Zipf-like, or, with no catalog, are drawn afresh for every item: a stress
// case where new skill combinations, hence new queues, keep appearing.
type workload struct {
	r      *rand.Rand
	zipf   *rand.Zipf
	skills []string
	topics [][]SkillLevel
	pick   *rand.Zipf // over topics
	nextID ItemID
	now    time.Time
}

func newWorkload(seed uint64, topics int) *workload {
	r := rand.New(rand.NewPCG(seed, 1))
	w := &workload{r: r, zipf: rand.NewZipf(r, 1.1, 2, benchSkills-1), now: t0}
	for i := range benchSkills {
		w.skills = append(w.skills, "skill-"+itoa(i))
	}
	for range topics {
		w.topics = append(w.topics, w.requirement())
	}
	if topics > 0 {
		w.pick = rand.NewZipf(r, 1.05, 4, uint64(topics-1))
	}
	return w
}

// requirement is one skill, or two for a fifth, at levels 1–3.
func (w *workload) requirement() []SkillLevel {
	n := 1
	if w.r.IntN(5) == 0 {
		n = 2
	}
	var ss []SkillLevel
	for len(ss) < n {
		s := w.skills[w.zipf.Uint64()]
		if !slices.ContainsFunc(ss, func(x SkillLevel) bool { return x.Skill == s }) {
			ss = append(ss, SkillLevel{Skill: s, Level: 1 + w.r.IntN(3)})
		}
	}
	return ss
}

func (w *workload) tick() time.Time {
	w.now = w.now.Add(time.Millisecond)
	return w.now
}

// agent: eight skills at levels 1–5, Russian, a third also English.
func (w *workload) agent(id AgentID) AgentLogin {
	ev := AgentLogin{At: w.tick(), Agent: id, Languages: []string{"ru"}}
	seen := map[int]bool{}
	for len(ev.Skills) < 8 {
		s := int(w.zipf.Uint64())
		if !seen[s] {
			seen[s] = true
			ev.Skills = append(ev.Skills, SkillLevel{Skill: w.skills[s], Level: 1 + w.r.IntN(5)})
		}
	}
	if w.r.IntN(3) == 0 {
		ev.Languages = append(ev.Languages, "en")
	}
	return ev
}

// item: half calls, 30 % chats, 20 % emails; a topic's skills; 15 %
// English; 30 % with a personal manager; random priority and tiers.
func (w *workload) item() Enqueue {
	w.nextID++
	it := WorkItem{ID: w.nextID, Priority: w.r.IntN(3), Value: Tier(w.r.IntN(4)), Risk: Tier(w.r.IntN(4)), Language: "ru"}
	switch c := w.r.IntN(10); {
	case c < 5:
		it.Channel = ChannelCall
	case c < 8:
		it.Channel = ChannelChat
	default:
		it.Channel = ChannelEmail
	}
	if w.pick != nil {
		it.Skills = w.topics[w.pick.Uint64()]
	} else {
		it.Skills = w.requirement()
	}
	if w.r.IntN(100) < 15 {
		it.Language = "en"
	}
	if w.r.IntN(100) < 30 {
		it.Manager = AgentID(1 + w.r.IntN(benchAgents))
	}
	return Enqueue{At: w.tick(), Item: it}
}

// busyCenter is a saturated center: every agent as full as the waiting
// items allow (all offers accepted) and benchQueued items still waiting.
type busyCenter struct {
	e        *Engine
	w        *workload
	assigned []*item    // items being worked, completed round robin
	next     int        // next slot of assigned to look at
	ds       []Decision // a copy of the decisions being accepted: Apply reuses its slice
	heapMB   float64
}

// benchTopics is the size of the topic catalog.
const benchTopics = 2000

var sharedCenters = map[int]*busyCenter{}

// saturated builds (once per process) a busy center whose items come from
// a catalog of topics, or, with topics 0, have ad hoc requirements.
func saturated(b *testing.B, topics int) *busyCenter {
	if c := sharedCenters[topics]; c != nil {
		return c
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	cfg := DefaultConfig()
	cfg.WrapUp = nil // an agent freed is routed at once, not after a timer
	e, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	w := newWorkload(1, topics)
	for id := AgentID(1); id <= benchAgents; id++ {
		mustApply(b, e, w.agent(id))
	}
	c := &busyCenter{e: e, w: w}
	for e.nQueued < benchQueued {
		c.acceptAll(mustApply(b, e, w.item()))
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	c.heapMB = float64(ms.HeapAlloc-before) / (1 << 20) // this center only
	for _, it := range e.items {
		if it.state == Assigned {
			c.assigned = append(c.assigned, it)
		}
	}
	slices.SortFunc(c.assigned, func(x, y *item) int { return int(x.id - y.id) })
	sharedCenters[topics] = c
	return c
}

func (c *busyCenter) acceptAll(ds []Decision) {
	for _, d := range slices.Clone(ds) { // Apply reuses ds
		if d.Kind == Offer {
			ds, err := c.e.Apply(Accept{At: c.w.now, Item: d.Item, Agent: d.Agent})
			if err != nil {
				panic(err)
			}
			c.acceptAll(ds)
		}
	}
}

func mustApply(b *testing.B, e *Engine, ev Event) []Decision {
	ds, err := e.Apply(ev)
	if err != nil {
		b.Fatalf("%#v: %v", ev, err)
	}
	return ds
}

// BenchmarkRouteSaturated is the target: each op is one agent
// freed (Complete → the best waiting item offered, then accepted) and one
// item enqueued (→ offered or queued), so the queue stays at 100,000.
// Reported: p50/p99 latency of the two routing calls, routing decisions per
// second (both calls, accept included in the time), and the heap in use.
func BenchmarkRouteSaturated(b *testing.B) {
	b.Run("topics", func(b *testing.B) { benchSaturated(b, saturated(b, benchTopics)) })
	b.Run("adhoc", func(b *testing.B) { benchSaturated(b, saturated(b, 0)) })
}

func benchSaturated(b *testing.B, c *busyCenter) {
	e, w := c.e, c.w
	runtime.LockOSThread() // for threadCPU
	defer runtime.UnlockOSThread()
	lat := make([]time.Duration, 0, 2*b.N)
	cpu := make([]time.Duration, 0, 2*b.N)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		k := c.next
		for c.assigned[k].state != Assigned { // completed; nothing took its agent's slot
			k = (k + 1) % len(c.assigned)
		}
		c.next = (k + 1) % len(c.assigned)
		it := c.assigned[k]
		ev := Complete{At: w.tick(), Item: it.id, Agent: it.agent.id}
		t, tc := time.Now(), threadCPU()
		ds, err := e.Apply(ev)
		cpu = append(cpu, threadCPU()-tc)
		lat = append(lat, time.Since(t))
		if err != nil {
			b.Fatal(err)
		}
		c.accept(ds, k)
		enq := w.item()
		t, tc = time.Now(), threadCPU()
		ds, err = e.Apply(enq)
		cpu = append(cpu, threadCPU()-tc)
		lat = append(lat, time.Since(t))
		if err != nil {
			b.Fatal(err)
		}
		c.accept(ds, -1)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	reportLatency(b, lat, "")
	reportLatency(b, cpu, "cpu-")
	b.ReportMetric(float64(2*b.N)/elapsed.Seconds(), "decisions/s")
	b.ReportMetric(float64(2*b.N)/sum(cpu).Seconds(), "decisions/cpu-s")
	b.ReportMetric(c.heapMB, "heap-MB")
	if e.nQueued < benchQueued*9/10 {
		b.Fatalf("queue drained to %d; the benchmark no longer measures a saturated center", e.nQueued)
	}
}

// accept accepts the offers in ds and files the accepted items in the
// round-robin list, in slot k if it is free (k ≥ 0), so that later ops
// complete them.
func (c *busyCenter) accept(ds []Decision, k int) {
	c.ds = append(c.ds[:0], ds...) // Apply reuses ds
	for _, d := range c.ds {
		if d.Kind != Offer {
			continue
		}
		if _, err := c.e.Apply(Accept{At: c.w.now, Item: d.Item, Agent: d.Agent}); err != nil {
			panic(err)
		}
		if it := c.e.items[d.Item]; k >= 0 {
			c.assigned[k], k = it, -1
		} else {
			c.assigned = append(c.assigned, it)
		}
	}
}

// BenchmarkRouteIdleAgents is the other extreme: 10,000 agents mostly
// free, so each item enqueued searches the free agents with its skills for
// the best one. Each op: enqueue → offer → accept → complete.
func BenchmarkRouteIdleAgents(b *testing.B) {
	cfg := DefaultConfig()
	cfg.WrapUp = nil
	e, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	w := newWorkload(2, benchTopics)
	for id := AgentID(1); id <= benchAgents; id++ {
		mustApply(b, e, w.agent(id))
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	lat := make([]time.Duration, 0, b.N)
	cpu := make([]time.Duration, 0, b.N)
	var offers []Decision // a copy: Apply reuses its slice
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		ev := w.item()
		t, tc := time.Now(), threadCPU()
		ds, err := e.Apply(ev)
		cpu = append(cpu, threadCPU()-tc)
		lat = append(lat, time.Since(t))
		if err != nil {
			b.Fatal(err)
		}
		offers = append(offers[:0], ds...)
		for _, d := range offers {
			if d.Kind == Offer {
				mustApply(b, e, Accept{At: w.now, Item: d.Item, Agent: d.Agent})
				mustApply(b, e, Complete{At: w.tick(), Item: d.Item, Agent: d.Agent})
			}
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	reportLatency(b, lat, "")
	reportLatency(b, cpu, "cpu-")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "decisions/s")
	b.ReportMetric(float64(b.N)/sum(cpu).Seconds(), "decisions/cpu-s")
}

func sum(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}

// reportLatency reports the median, 99th percentile and maximum of a
// latency sample, in µs, under metric names starting with prefix.
func reportLatency(b *testing.B, lat []time.Duration, prefix string) {
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / 1e3 }
	b.ReportMetric(q(0.50), prefix+"p50-µs")
	b.ReportMetric(q(0.99), prefix+"p99-µs")
	b.ReportMetric(q(1), prefix+"max-µs")
}

var sink float64

// BenchmarkNoiseFloor times a fixed piece of work (about 10 µs of
// arithmetic and 50 scattered memory touches) with the same harness as the
// routing benchmarks. Its spread is the machine's, not the engine's: on a
// shared machine read the routing p99 against this one.
func BenchmarkNoiseFloor(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	mem := make([]int64, 1<<22)
	lat := make([]time.Duration, 0, b.N)
	cpu := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, tc := time.Now(), threadCPU()
		x := 0.0
		for j := range 10_000 {
			x += float64(j) * 1.0001
		}
		for j := range 50 {
			mem[(i*7919+j*104729)%len(mem)]++
		}
		sink = x
		cpu = append(cpu, threadCPU()-tc)
		lat = append(lat, time.Since(t))
	}
	b.StopTimer()
	reportLatency(b, lat, "")
	reportLatency(b, cpu, "cpu-")
}
