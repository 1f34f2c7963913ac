package sim

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/routing"
)

// Limits that keep a mistyped scenario from running for hours or eating
// the machine; a real day is far inside them.
const (
	maxIntervals = 10_000
	maxInterval  = 24 * time.Hour
	maxShiftEnd  = maxIntervals * maxInterval
	maxContacts  = 20_000_000 // expected arrivals over the whole run
	maxAgents    = 100_000
	maxSample    = 1_000_000 // entries in an empirical sample
)

// Validate reports the first invalid setting as a *vernost.Error whose
// Field is the key's path, such as "queues[1].arrivals.per_interval[3]".
func (s *Scenario) Validate() error {
	if s.Interval <= 0 || s.Interval.Std() > maxInterval {
		return vernost.Invalid("interval", "must be above 0 and at most %v, got %v", maxInterval, s.Interval.Std())
	}
	if s.Intervals < 1 || s.Intervals > maxIntervals {
		return vernost.Invalid("intervals", "must be from 1 to %d, got %d", maxIntervals, s.Intervals)
	}
	if err := s.validateRouting(); err != nil {
		return err
	}
	if len(s.Queues) == 0 {
		return vernost.Invalid("queues", "a scenario needs at least one queue")
	}
	names := map[string]bool{}
	var contacts float64
	for i := range s.Queues {
		q := &s.Queues[i]
		if err := s.validateQueue(q, fmt.Sprintf("queues[%d]", i)); err != nil {
			return err
		}
		if names[q.Name] {
			return vernost.Invalid(fmt.Sprintf("queues[%d].name", i), "queue %q is named twice", q.Name)
		}
		names[q.Name] = true
		contacts += q.Arrivals.total(s.Intervals, s.Interval.Std())
	}
	if contacts > maxContacts {
		return vernost.Invalid("queues", "%.0f contacts expected, more than the limit of %d", contacts, maxContacts)
	}
	for i, q := range s.Queues {
		if q.Transfer == nil {
			continue
		}
		path := fmt.Sprintf("queues[%d].transfer", i)
		to := s.queueIndex(q.Transfer.To)
		switch {
		case to < 0:
			return vernost.Invalid(path+".to", "no queue named %q", q.Transfer.To)
		case to == i:
			return vernost.Invalid(path+".to", "a queue cannot transfer to itself")
		case s.Queues[to].Channel != q.Channel:
			return vernost.Invalid(path+".to", "queue %q is %s, not %s", q.Transfer.To, s.Queues[to].Channel, q.Channel)
		}
	}
	return s.validateAgents()
}

func (s *Scenario) validateRouting() error {
	r := &s.Routing
	for _, ch := range slices.Sorted(maps.Keys(r.Capacity)) {
		n := r.Capacity[ch]
		if ch == "" || n < 0 {
			return vernost.Invalid(join("routing.capacity", ch), "want a channel name and 0 or more items, got %d", n)
		}
	}
	for _, ch := range slices.Sorted(maps.Keys(r.WrapUp)) {
		d := r.WrapUp[ch]
		if _, ok := s.channels()[ch]; !ok {
			return vernost.Invalid(join("routing.wrap_up", ch), "channel %q is not in routing.capacity", ch)
		}
		if d < 0 {
			return vernost.Invalid(join("routing.wrap_up", ch), "negative duration %v", d.Std())
		}
	}
	if r.OfferTimeout < 0 {
		return vernost.Invalid("routing.offer_timeout", "negative duration %v", r.OfferTimeout.Std())
	}
	if r.MaxMisses < 0 {
		return vernost.Invalid("routing.max_misses", "negative count %d", r.MaxMisses)
	}
	if r.AgingPerMinute < 0 || math.IsInf(r.AgingPerMinute, 0) {
		return vernost.Invalid("routing.aging_per_minute", "must be 0 or more and finite, got %g", r.AgingPerMinute)
	}
	seen := map[string]bool{}
	for i, p := range r.Policies {
		path := fmt.Sprintf("routing.policies[%d]", i)
		if p.Name == "" {
			return vernost.Invalid(path+".name", "a policy needs a name")
		}
		if seen[p.Name] {
			return vernost.Invalid(path+".name", "policy %q is named twice", p.Name)
		}
		seen[p.Name] = true
		if len(p.Steps) == 0 {
			return vernost.Invalid(path+".steps", "a policy needs at least one step")
		}
		for j, st := range p.Steps {
			if err := validateStep(st, fmt.Sprintf("%s.steps[%d]", path, j)); err != nil {
				return err
			}
		}
	}
	return nil
}

func validateStep(st StepSpec, path string) error {
	switch routing.TargetKind(st.Target) {
	case routing.TargetManager, routing.TargetSkills, routing.TargetAny:
		if st.Team != "" {
			return vernost.Invalid(path+".team", "only a team step names a team")
		}
	case routing.TargetTeam:
		if st.Team == "" {
			return vernost.Invalid(path+".team", "a team step needs a team")
		}
	default:
		return vernost.Invalid(path+".target", "want manager, skills, team or any, got %q", st.Target)
	}
	if st.MinLevel != 0 && (st.MinLevel < routing.MinLevel || st.MinLevel > routing.MaxLevel) {
		return vernost.Invalid(path+".min_level", "want %d to %d, got %d", routing.MinLevel, routing.MaxLevel, st.MinLevel)
	}
	if st.Timeout < 0 {
		return vernost.Invalid(path+".timeout", "negative duration %v", st.Timeout.Std())
	}
	switch routing.Strategy(st.Choose) {
	case "", routing.LongestIdle, routing.LeastOccupied, routing.BestSkill:
	default:
		return vernost.Invalid(path+".choose", "want longest_idle, least_occupied or best_skill, got %q", st.Choose)
	}
	return nil
}

func (s *Scenario) validateQueue(q *QueueSpec, path string) error {
	if q.Name == "" {
		return vernost.Invalid(path+".name", "a queue needs a name")
	}
	if _, ok := s.channels()[q.Channel]; !ok {
		return vernost.Invalid(path+".channel", "channel %q is not in routing.capacity", q.Channel)
	}
	if err := validateSkills(q.Skills, path+".skills"); err != nil {
		return err
	}
	if q.Policy != "" && s.policyIndex(q.Policy) < 0 {
		return vernost.Invalid(path+".policy", "no policy named %q in routing.policies", q.Policy)
	}
	if err := q.Arrivals.validate(s.Intervals, path+".arrivals"); err != nil {
		return err
	}
	if err := q.HandleTime.validate(path + ".handle_time"); err != nil {
		return err
	}
	if q.Patience != nil {
		if err := q.Patience.validate(path + ".patience"); err != nil {
			return err
		}
	}
	if q.Target <= 0 {
		return vernost.Invalid(path+".target", "the service-level target must be positive, got %v", q.Target.Std())
	}
	if err := probability(q.ManagerShare, path+".manager_share"); err != nil {
		return err
	}
	if q.ManagerShare > 0 && !s.hasManagers() {
		return vernost.Invalid(path+".manager_share", "no agent group has personal_managers: true")
	}
	if q.Transfer != nil {
		return probability(q.Transfer.Probability, path+".transfer.probability")
	}
	return nil
}

func (a *ArrivalSpec) validate(intervals int, path string) error {
	forms := 0
	for _, set := range []bool{a.PerInterval != nil, a.PerHour != 0, a.PerDay != 0} {
		if set {
			forms++
		}
	}
	if forms != 1 {
		return vernost.Invalid(path, "give exactly one of per_interval, per_hour or per_day")
	}
	if a.Curve != nil && a.PerDay == 0 {
		return vernost.Invalid(path+".curve", "a curve only shapes per_day")
	}
	if err := rates(a.PerInterval, intervals, path+".per_interval"); err != nil {
		return err
	}
	if err := rates(a.Curve, intervals, path+".curve"); err != nil {
		return err
	}
	if a.Curve != nil && sum(a.Curve) == 0 {
		return vernost.Invalid(path+".curve", "the weights add up to 0")
	}
	if err := rate(a.PerHour, path+".per_hour"); err != nil {
		return err
	}
	return rate(a.PerDay, path+".per_day")
}

// rates checks a per-interval list: one finite, non-negative entry per interval.
func rates(xs []float64, intervals int, path string) error {
	if xs == nil {
		return nil
	}
	if len(xs) != intervals {
		return vernost.Invalid(path, "want %d entries (one per interval), got %d", intervals, len(xs))
	}
	for i, x := range xs {
		if err := rate(x, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

func rate(x float64, path string) error {
	if x < 0 {
		return vernost.Invalid(path, "negative rate %g", x)
	}
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return vernost.Invalid(path, "rate must be finite, got %g", x)
	}
	return nil
}

func probability(p float64, path string) error {
	if !(p >= 0 && p <= 1) {
		return vernost.Invalid(path, "a probability must be from 0 to 1, got %g", p)
	}
	return nil
}

func validateSkills(skills map[string]int, path string) error {
	for _, name := range slices.Sorted(maps.Keys(skills)) {
		level := skills[name]
		if name == "" {
			return vernost.Invalid(path, "a skill needs a name")
		}
		if level < routing.MinLevel || level > routing.MaxLevel {
			return vernost.Invalid(join(path, name), "level must be from %d to %d, got %d", routing.MinLevel, routing.MaxLevel, level)
		}
	}
	return nil
}

func (d *DistSpec) validate(path string) error {
	unused := func(key string, set bool) error {
		if set {
			return vernost.Invalid(path+"."+key, "not used by kind %s", d.Kind)
		}
		return nil
	}
	var err error
	switch d.Kind {
	case "exponential", "constant":
		err = firstErr(unused("stddev", d.Stddev != 0), unused("mu", d.Mu != nil),
			unused("sigma", d.Sigma != nil), unused("sample", d.Sample != nil))
		if err == nil && d.Mean <= 0 {
			err = vernost.Invalid(path+".mean", "must be positive, got %v", d.Mean.Std())
		}
	case "lognormal":
		err = firstErr(unused("sample", d.Sample != nil), d.validateLogNormal(path))
	case "empirical":
		err = firstErr(unused("mean", d.Mean != 0), unused("stddev", d.Stddev != 0),
			unused("mu", d.Mu != nil), unused("sigma", d.Sigma != nil), d.validateSample(path))
	default:
		err = vernost.Invalid(path+".kind", "want exponential, lognormal, empirical or constant, got %q", d.Kind)
	}
	return err
}

func (d *DistSpec) validateLogNormal(path string) error {
	moments := d.Mean != 0 || d.Stddev != 0
	params := d.Mu != nil || d.Sigma != nil
	switch {
	case moments == params:
		return vernost.Invalid(path, "give either mean and stddev, or mu and sigma")
	case moments && d.Mean <= 0:
		return vernost.Invalid(path+".mean", "must be positive, got %v", d.Mean.Std())
	case moments && d.Stddev <= 0:
		return vernost.Invalid(path+".stddev", "must be positive, got %v", d.Stddev.Std())
	case moments && d.Stddev > 100*d.Mean:
		return vernost.Invalid(path+".stddev", "more than 100 times the mean is not a handle time")
	case params && (d.Mu == nil || d.Sigma == nil):
		return vernost.Invalid(path, "give both mu and sigma")
	case params && !(*d.Mu >= -10 && *d.Mu <= 20):
		return vernost.Invalid(path+".mu", "ln(seconds) must be from -10 to 20, got %g", *d.Mu)
	case params && !(*d.Sigma > 0 && *d.Sigma <= 5):
		return vernost.Invalid(path+".sigma", "must be above 0 and at most 5, got %g", *d.Sigma)
	}
	return nil
}

func (d *DistSpec) validateSample(path string) error {
	if len(d.Sample) == 0 || len(d.Sample) > maxSample {
		return vernost.Invalid(path+".sample", "want 1 to %d durations, got %d", maxSample, len(d.Sample))
	}
	positive := false
	for i, x := range d.Sample {
		if x < 0 {
			return vernost.Invalid(fmt.Sprintf("%s.sample[%d]", path, i), "negative duration %v", x.Std())
		}
		positive = positive || x > 0
	}
	if !positive {
		return vernost.Invalid(path+".sample", "every duration is 0")
	}
	return nil
}

func (s *Scenario) validateAgents() error {
	if len(s.Agents) == 0 {
		return vernost.Invalid("agents", "a scenario needs at least one agent group")
	}
	total := 0
	for i, g := range s.Agents {
		path := fmt.Sprintf("agents[%d]", i)
		if g.Count < 1 || g.Count > maxAgents {
			return vernost.Invalid(path+".count", "must be from 1 to %d, got %d", maxAgents, g.Count)
		}
		if total += g.Count; total > maxAgents {
			return vernost.Invalid(path+".count", "more than %d agents in all", maxAgents)
		}
		if len(g.Skills) == 0 {
			return vernost.Invalid(path+".skills", "an agent needs at least one skill")
		}
		if err := validateSkills(g.Skills, path+".skills"); err != nil {
			return err
		}
		for _, ch := range slices.Sorted(maps.Keys(g.Capacity)) {
			n := g.Capacity[ch]
			if _, ok := s.channels()[ch]; !ok {
				return vernost.Invalid(join(path+".capacity", ch), "channel %q is not in routing.capacity", ch)
			}
			if n < 0 {
				return vernost.Invalid(join(path+".capacity", ch), "negative capacity %d", n)
			}
		}
		for j, t := range g.Teams {
			if t == "" {
				return vernost.Invalid(fmt.Sprintf("%s.teams[%d]", path, j), "a team needs a name")
			}
		}
		if err := validateShifts(g.Shifts, path+".shifts"); err != nil {
			return err
		}
		if err := firstErr(probability(g.RejectProbability, path+".reject_probability"),
			probability(g.MissProbability, path+".miss_probability")); err != nil {
			return err
		}
		if g.RejectProbability+g.MissProbability > 1 {
			return vernost.Invalid(path+".miss_probability", "reject and miss probabilities add up to more than 1")
		}
		if g.AnswerDelay < 0 || g.AnswerDelay.Std() >= s.offerTimeout() {
			return vernost.Invalid(path+".answer_delay", "must be from 0 to below the offer timeout %v, got %v", s.offerTimeout(), g.AnswerDelay.Std())
		}
		if g.AwayFor < 0 {
			return vernost.Invalid(path+".away_for", "negative duration %v", g.AwayFor.Std())
		}
	}
	return nil
}

func validateShifts(shifts []ShiftSpec, path string) error {
	var end time.Duration
	for i, sh := range shifts {
		at := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case sh.Start < 0:
			return vernost.Invalid(at+".start", "negative offset %v", sh.Start.Std())
		case sh.End <= sh.Start:
			return vernost.Invalid(at+".end", "must be after the start %v, got %v", sh.Start.Std(), sh.End.Std())
		case sh.End.Std() > maxShiftEnd:
			return vernost.Invalid(at+".end", "must be within %v", maxShiftEnd)
		case i > 0 && sh.Start.Std() < end:
			return vernost.Invalid(at+".start", "overlaps or precedes the shift before, which ends at %v", end)
		}
		end = sh.End.Std()
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}
