package sim

import (
	"context"
	"math"
	"math/rand/v2"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/routing"
)

// drainLimit is how long after the day the run goes on serving the
// contacts still open; whatever is left then counts as unserved.
const drainLimit = 24 * time.Hour

// epoch is the date the simulated day starts on; only the clock time shows.
var epoch = time.Date(2026, time.January, 5, 0, 0, 0, 0, time.UTC)

// Random streams: one per purpose, so that changing, say, the staffing
// leaves the arrivals and handle times of a seed unchanged and variants of a
// scenario can be compared contact for contact.
const (
	streamService uint64 = iota + 1
	streamPatience
	streamAgents
	streamManagers
	streamArrivals // + queue index
)

// contact is one customer's work item as the simulator sees it.
type contact struct {
	arrived  time.Duration
	queue    int32 // current queue; changes on transfer
	origin   int32 // queue of arrival, for the report
	interval int32 // interval of arrival, for the report
	epoch    uint32
	state    contactState
	flags    uint8           // answered, offeredOnce, …
	agent    routing.AgentID // offered to or served by
	manager  routing.AgentID
	policy   string // the engine policy it follows; a transfer may change it
}

type contactState uint8

const (
	waiting contactState = iota
	offered
	serving
	closed // completed, abandoned
)

// agentState is what the simulator tracks of one agent, for occupancy and
// for its own behaviour.
type agentState struct {
	loggedIn  bool
	away      bool
	wrapping  bool
	wrapUntil time.Duration
	active    int // contacts accepted and not yet finished
}

// staffed counts agent time: logged in, or still finishing work after the
// shift has ended.
func (a *agentState) staffed() bool { return a.loggedIn || a.busy() }
func (a *agentState) busy() bool    { return a.active > 0 || a.wrapping }

// run is one simulation in progress.
type run struct {
	m        *model
	engine   *routing.Engine
	agenda   agenda
	now      time.Duration
	contacts []contact
	agents   []agentState  // index id-1
	open     int           // contacts not closed
	lastEnd  time.Duration // when the last contact closed
	applied  int           // events applied to the engine

	// The agenda's wake for the engine's next timer, see scheduleWake.
	wakeAt      time.Duration
	wakeGen     uint32
	wakePending bool

	// staffedN and busyN are agents staffed and busy now; accounted is the
	// time up to which their product with time is in the interval tallies.
	staffedN, busyN int
	accounted       time.Duration

	intervals []tally
	queues    []tally

	service, patience, behaviour, managers *rand.Rand
	arrivals                               []*rand.Rand
}

// Run simulates the scenario's day with its seed and reports the outcome.
func Run(ctx context.Context, s *Scenario) (*Report, error) {
	if err := s.Validate(); err != nil { // it may have been edited since parsing
		return nil, err
	}
	m := compile(s)
	engine, err := routing.New(m.config)
	if err != nil {
		return nil, vernost.Invalid("routing", "%s", vernost.ErrorMessage(err))
	}
	r := &run{
		m:      m,
		engine: engine,
		agents: make([]agentState, len(m.agents)),
		// Room for the expected contacts and a few standard deviations more,
		// so that the slice is not copied as it grows.
		contacts:  make([]contact, 0, int(m.expected+5*math.Sqrt(m.expected))+16),
		intervals: make([]tally, m.intervals),
		queues:    make([]tally, len(m.queues)),
		service:   newRand(s.Seed, streamService),
		patience:  newRand(s.Seed, streamPatience),
		behaviour: newRand(s.Seed, streamAgents),
		managers:  newRand(s.Seed, streamManagers),
	}
	for i := range m.queues {
		r.arrivals = append(r.arrivals, newRand(s.Seed, streamArrivals+uint64(i)))
		r.scheduleArrival(i, 0)
	}
	for _, a := range m.agents {
		r.agenda.push(event{at: a.shifts[0].Start.Std(), kind: shiftStart, agent: a.id, contact: -1})
	}
	if err := r.loop(ctx); err != nil {
		return nil, err
	}
	return r.report(s), nil
}

// loop processes the agenda until nothing is left to happen, or the day
// is over and every contact is closed, or the drain limit is reached.
func (r *run) loop(ctx context.Context) error {
	day := time.Duration(r.m.intervals) * r.m.interval
	for n := 0; r.agenda.len() > 0; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return vernost.Errorf(vernost.EUnavailable, "simulation stopped: %v", ctx.Err())
		}
		ev := r.agenda.pop()
		if ev.at >= day && r.open == 0 || ev.at > day+drainLimit {
			break
		}
		r.account(ev.at)
		r.now = ev.at
		if err := r.handle(&ev); err != nil {
			return err
		}
	}
	r.account(r.now)
	return nil
}

// account adds agent time from the last accounted moment up to t to the
// intervals it falls in; time after the day belongs to no interval.
func (r *run) account(t time.Duration) {
	for r.accounted < t {
		i := int(r.accounted / r.m.interval)
		if i >= r.m.intervals {
			r.accounted = t
			return
		}
		end := min(t, time.Duration(i+1)*r.m.interval)
		dt := (end - r.accounted).Seconds()
		r.intervals[i].staffedSeconds += float64(r.staffedN) * dt
		r.intervals[i].busySeconds += float64(r.busyN) * dt
		r.accounted = end
	}
}

// update applies change to an agent and keeps the staffed and busy counts.
func (r *run) update(id routing.AgentID, change func(a *agentState)) {
	a := &r.agents[id-1]
	r.staffedN -= b2i(a.staffed())
	r.busyN -= b2i(a.busy())
	change(a)
	r.staffedN += b2i(a.staffed())
	r.busyN += b2i(a.busy())
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// at is the engine time of a simulation offset.
func (r *run) at(d time.Duration) time.Time { return epoch.Add(r.m.start + d) }

// offset is the simulation offset of an engine time.
func (r *run) offset(t time.Time) time.Duration { return t.Sub(epoch) - r.m.start }

// scheduleArrival schedules the next arrival of queue q after time t.
// Within an interval arrivals are Poisson at the interval's rate; the
// exponential gap is memoryless, so crossing into the next interval simply
// draws again from its boundary at the new rate.
func (r *run) scheduleArrival(q int, t time.Duration) {
	rates := r.m.queues[q].perSecond
	for i := int(t / r.m.interval); i < len(rates); i++ {
		end := time.Duration(i+1) * r.m.interval
		if rates[i] > 0 {
			next := t + seconds(r.arrivals[q].ExpFloat64()/rates[i])
			if next < end {
				r.agenda.push(event{at: next, kind: arrive, n: int32(q), contact: -1})
				return
			}
		}
		t = end
	}
}

// scheduleWake makes the agenda wake the engine when its next timer (an
// offer time-out, a step time-out, a wrap-up end) is due, so that it fires
// on time even when nothing else is going on. The engine says when: the
// simulator keeps no copy of its timer rules. A wake for another time is
// superseded (its timer fired with another event, went stale, or an earlier
// one came) and ignored when it comes, so no Advance is sent in vain.
func (r *run) scheduleWake() {
	due, ok := r.engine.NextDue()
	if !ok {
		r.wakePending = false
		return
	}
	at := max(r.offset(due), r.now)
	if r.wakePending && r.wakeAt == at {
		return
	}
	r.wakeGen++
	r.wakeAt, r.wakePending = at, true
	r.agenda.push(event{at: at, kind: wake, contact: -1, epoch: r.wakeGen})
}
