package sim

import (
	"maps"
	"slices"
	"time"

	"github.com/vernost/vernost/internal/routing"
)

// Defaults for keys a scenario leaves out. They are deliberately plain (no
// wrap-up, no away after misses, one skills-only policy, pure FIFO) so that
// a scenario does only what it says.
const (
	defaultOfferTimeout = 30 * time.Second
	defaultAwayFor      = 5 * time.Minute
	defaultPolicy       = "default"
)

// forever ends the default shift: agents stay until the queues drain.
const forever = time.Duration(1<<63 - 1)

// queue is a validated QueueSpec ready to run.
type queue struct {
	name         string
	channel      routing.Channel
	skills       []routing.SkillLevel
	priority     int
	policy       string
	perSecond    []float64 // arrival rate in each interval
	handle       Dist
	patience     Dist // nil: customers never give up
	target       time.Duration
	managerShare float64
	managers     []routing.AgentID // whom a customer's personal manager is drawn from
	transferP    float64
	transferTo   int // queue index; -1 for none
}

// agent is one simulated person, expanded from an AgentGroup.
type agent struct {
	id          routing.AgentID
	skills      []routing.SkillLevel
	teams       []string
	capacity    map[routing.Channel]int // nil: the engine's default
	shifts      []ShiftSpec
	reject      float64
	miss        float64
	answerDelay time.Duration
	awayFor     time.Duration
}

// model is a validated scenario expanded for the event loop.
type model struct {
	interval  time.Duration
	intervals int
	start     time.Duration // clock time of the first interval
	config    routing.Config
	queues    []queue
	agents    []agent
	expected  float64 // contacts expected over the day
}

// compile expands a validated scenario. Agent ids are 1..N in the order of
// the groups, so a seed always meets the same agents.
func compile(s *Scenario) *model {
	m := &model{
		interval:  s.Interval.Std(),
		intervals: s.Intervals,
		start:     time.Duration(s.Start),
		config:    s.engineConfig(),
	}
	var managers []routing.AgentID
	for _, g := range s.Agents {
		shifts := g.Shifts
		if len(shifts) == 0 {
			shifts = []ShiftSpec{{Start: 0, End: Duration(forever)}}
		}
		awayFor := g.AwayFor.Std()
		if awayFor == 0 {
			awayFor = defaultAwayFor
		}
		var capacity map[routing.Channel]int
		if g.Capacity != nil {
			capacity = make(map[routing.Channel]int, len(g.Capacity))
			for ch, n := range g.Capacity {
				capacity[routing.Channel(ch)] = n
			}
		}
		for range g.Count {
			a := agent{
				id:          routing.AgentID(len(m.agents) + 1),
				skills:      skillLevels(g.Skills),
				teams:       g.Teams,
				capacity:    capacity,
				shifts:      shifts,
				reject:      g.RejectProbability,
				miss:        g.MissProbability,
				answerDelay: g.AnswerDelay.Std(),
				awayFor:     awayFor,
			}
			m.agents = append(m.agents, a)
			if g.PersonalManagers {
				managers = append(managers, a.id)
			}
		}
	}
	for _, qs := range s.Queues {
		q := queue{
			name:         qs.Name,
			channel:      routing.Channel(qs.Channel),
			skills:       skillLevels(qs.Skills),
			priority:     qs.Priority,
			policy:       qs.Policy,
			handle:       qs.HandleTime.dist(),
			target:       qs.Target.Std(),
			managerShare: qs.ManagerShare,
			managers:     managers,
			transferTo:   -1,
		}
		if qs.Patience != nil {
			q.patience = qs.Patience.dist()
		}
		if qs.Transfer != nil {
			q.transferP = qs.Transfer.Probability
			q.transferTo = s.queueIndex(qs.Transfer.To)
		}
		for i := range s.Intervals {
			n := qs.Arrivals.expected(i, s.Intervals, m.interval)
			q.perSecond = append(q.perSecond, n/m.interval.Seconds())
			m.expected += n
		}
		m.queues = append(m.queues, q)
	}
	return m
}

// engineConfig turns the routing section into the engine's configuration.
func (s *Scenario) engineConfig() routing.Config {
	r := s.Routing
	cfg := routing.Config{
		Capacity:        map[routing.Channel]int{},
		OfferTimeout:    s.offerTimeout(),
		MaxMisses:       r.MaxMisses,
		TransferTimeout: s.offerTimeout(),
		Priority:        routing.PriorityWeights{AgingPerMinute: r.AgingPerMinute},
	}
	for ch, n := range s.channels() {
		cfg.Capacity[routing.Channel(ch)] = n
	}
	if len(r.WrapUp) > 0 {
		cfg.WrapUp = map[routing.Channel]time.Duration{}
		for ch, d := range r.WrapUp {
			cfg.WrapUp[routing.Channel(ch)] = d.Std()
		}
	}
	for _, p := range r.Policies {
		pol := routing.Policy{Name: p.Name}
		for _, st := range p.Steps {
			pol.Steps = append(pol.Steps, routing.Step{
				Target:      routing.TargetKind(st.Target),
				Team:        st.Team,
				MinLevel:    st.MinLevel,
				Timeout:     st.Timeout.Std(),
				Choose:      routing.Strategy(st.Choose),
				KeepIfEmpty: st.KeepIfEmpty,
			})
		}
		cfg.Policies = append(cfg.Policies, pol)
	}
	if len(cfg.Policies) == 0 {
		cfg.Policies = []routing.Policy{{Name: defaultPolicy, Steps: []routing.Step{{Target: routing.TargetSkills}}}}
	}
	return cfg
}

// channels are the routed channels with their default capacity.
func (s *Scenario) channels() map[string]int {
	if s.Routing.Capacity != nil {
		return s.Routing.Capacity
	}
	out := map[string]int{}
	for ch, n := range routing.DefaultConfig().Capacity {
		out[string(ch)] = n
	}
	return out
}

func (s *Scenario) offerTimeout() time.Duration {
	if s.Routing.OfferTimeout == 0 {
		return defaultOfferTimeout
	}
	return s.Routing.OfferTimeout.Std()
}

func (s *Scenario) queueIndex(name string) int {
	return slices.IndexFunc(s.Queues, func(q QueueSpec) bool { return q.Name == name })
}

func (s *Scenario) policyIndex(name string) int {
	return slices.IndexFunc(s.Routing.Policies, func(p PolicySpec) bool { return p.Name == name })
}

func (s *Scenario) hasManagers() bool {
	return slices.ContainsFunc(s.Agents, func(g AgentGroup) bool { return g.PersonalManagers })
}

// expected is the expected number of arrivals in interval i.
func (a *ArrivalSpec) expected(i, intervals int, interval time.Duration) float64 {
	switch {
	case a.PerInterval != nil:
		return a.PerInterval[i]
	case a.PerHour != 0:
		return a.PerHour * interval.Hours()
	case a.Curve != nil:
		return a.PerDay * a.Curve[i] / sum(a.Curve)
	}
	return a.PerDay / float64(intervals)
}

// total is the expected number of arrivals over the day; it tolerates an
// unvalidated spec so that validation can use it.
func (a *ArrivalSpec) total(intervals int, interval time.Duration) float64 {
	switch {
	case a.PerInterval != nil:
		return sum(a.PerInterval)
	case a.PerHour != 0:
		return a.PerHour * interval.Hours() * float64(intervals)
	}
	return a.PerDay
}

// dist builds a validated distribution spec.
func (d *DistSpec) dist() Dist {
	switch d.Kind {
	case "exponential":
		return NewExponential(d.Mean.Std())
	case "constant":
		return NewConstant(d.Mean.Std())
	case "lognormal":
		if d.Mu != nil {
			return NewLogNormal(*d.Mu, *d.Sigma)
		}
		return LogNormalFromMoments(d.Mean.Std(), d.Stddev.Std())
	}
	sample := make([]time.Duration, len(d.Sample))
	for i, x := range d.Sample {
		sample[i] = x.Std()
	}
	return NewEmpirical(sample)
}

// skillLevels turns a skill map into the engine's list, sorted by name so
// that runs do not depend on map order.
func skillLevels(m map[string]int) []routing.SkillLevel {
	out := make([]routing.SkillLevel, 0, len(m))
	for _, name := range slices.Sorted(maps.Keys(m)) {
		out = append(out, routing.SkillLevel{Skill: name, Level: m[name]})
	}
	return out
}
