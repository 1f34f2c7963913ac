package staffing

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vernost/vernost"
)

// Target is what a queue must achieve. Zero fields are not goals; at least
// one must be set.
type Target struct {
	// ServiceLevel is the share of calls to answer within AnswerTime,
	// strictly between 0 and 1 (0.8 for "80/20").
	ServiceLevel float64
	AnswerTime   time.Duration
	// MaxASA caps the mean wait (ASA).
	MaxASA time.Duration
	// MaxOccupancy caps the share of agent time spent on calls, (0, 1];
	// planners keep it below about 0.85–0.9 to avoid burn-out.
	MaxOccupancy float64
	// MaxAbandon caps the share of callers who hang up, [0, 1); only
	// Erlang A has abandonment, so Erlang C always meets it.
	MaxAbandon float64
}

// ParseTarget reads a service-level goal written "80/20s": percent answered
// within a time. A bare number of seconds ("80/20") is accepted too.
func ParseTarget(s string) (Target, error) {
	pct, wait, ok := strings.Cut(s, "/")
	if !ok {
		return Target{}, vernost.Invalid("target", "%q: want PERCENT/TIME, e.g. 80/20s", s)
	}
	p, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(pct), "%"), 64)
	if err != nil || !(p > 0 && p < 100) {
		return Target{}, vernost.Invalid("target", "%q: the percentage must be a number above 0 and below 100", s)
	}
	wait = strings.TrimSpace(wait)
	var d time.Duration
	if secs, err := strconv.ParseFloat(wait, 64); err == nil && secs >= 0 && secs < 1e9 {
		d = seconds(secs)
	} else if d, err = time.ParseDuration(wait); err != nil || d < 0 {
		return Target{}, vernost.Invalid("target", "%q: the answer time must be a duration such as 20s", s)
	}
	return Target{ServiceLevel: p / 100, AnswerTime: d}, nil
}

func (t Target) validate() error {
	switch {
	case !(t.ServiceLevel >= 0 && t.ServiceLevel < 1):
		return vernost.Invalid("target", "service level %v%% must be above 0%% and below 100%%", t.ServiceLevel*100)
	case t.AnswerTime < 0:
		return vernost.Invalid("target", "answer time %v is negative", t.AnswerTime)
	case t.MaxASA < 0:
		return vernost.Invalid("max_asa", "%v is negative", t.MaxASA)
	case !(t.MaxOccupancy >= 0 && t.MaxOccupancy <= 1):
		return vernost.Invalid("max_occupancy", "%v is outside 0–1", t.MaxOccupancy)
	case !(t.MaxAbandon >= 0 && t.MaxAbandon < 1):
		return vernost.Invalid("max_abandon", "%v must be at least 0 and below 1", t.MaxAbandon)
	case t.ServiceLevel == 0 && t.MaxASA == 0 && t.MaxOccupancy == 0 && t.MaxAbandon == 0:
		return vernost.Invalid("target", "no goal: give a service level, a maximum ASA, occupancy or abandonment")
	}
	return nil
}

// maxServers bounds the staffing a search may reach.
const maxServers = 10 * maxLoad

// slack lets a goal met exactly survive floating-point rounding.
const slack = 1e-12

func (t Target) metBy(sl, asaSeconds, occupancy, abandon float64) bool {
	return (t.ServiceLevel == 0 || sl >= t.ServiceLevel-slack) &&
		(t.MaxASA == 0 || asaSeconds <= t.MaxASA.Seconds()*(1+slack)) &&
		(t.MaxOccupancy == 0 || occupancy <= t.MaxOccupancy+slack) &&
		(t.MaxAbandon == 0 || abandon <= t.MaxAbandon+slack)
}

// Queue describes the work offered to a group of agents.
type Queue struct {
	// Load is the offered load in Erlangs: calls × AHT / interval (Load).
	Load float64
	// AHT is the mean handle time of one call, or of one chat session as it
	// runs while the agent juggles others.
	AHT time.Duration
	// Patience is the mean time a caller waits before hanging up; zero means
	// callers never hang up (Erlang C), otherwise Erlang A is used.
	Patience time.Duration
	// Concurrency is the number of sessions one agent works at once
	// (chat: 2–4); 0 or 1 for calls. See Evaluate for the approximation.
	Concurrency int
}

// Result is a staffing level and what it achieves.
type Result struct {
	Agents int
	// Servers is Agents × Concurrency: the places a session can be worked.
	Servers      int
	Load         float64
	PWait        float64
	PAbandon     float64
	ServiceLevel float64 // answered within the target time, share of all arrivals
	ASA          time.Duration
	Occupancy    float64 // share of server time busy
}

func (q Queue) validate() error {
	if err := checkLoad(q.Load); err != nil {
		return err
	}
	if q.AHT <= 0 {
		return vernost.Invalid("aht", "%v is not a positive handle time", q.AHT)
	}
	if q.Patience < 0 {
		return vernost.Invalid("patience", "%v is negative", q.Patience)
	}
	if q.Concurrency < 0 || q.Concurrency > 100 {
		return vernost.Invalid("concurrency", "%d sessions per agent is outside 1–100", q.Concurrency)
	}
	return nil
}

func (q Queue) perAgent() int { return max(q.Concurrency, 1) }

// Evaluate reports what the given number of agents achieves.
//
// Concurrency (chat, messengers) is approximated by treating an agent who
// works k sessions at once as k independent servers, each handling one
// session in AHT, the session's wall-clock length while sharing the agent.
// This holds when AHT is measured under concurrency (it grows with k) and a
// new session may go to any agent with a free slot. It is optimistic when
// sessions compete for the agent's attention in bursts, and for small teams
// where k slots of one person are not really independent. For email, where
// an answer can wait hours, use an answer time of hours; the interval model
// still assumes the backlog clears within the interval.
func (q Queue) Evaluate(agents int, answer time.Duration) (Result, error) {
	if err := q.validate(); err != nil {
		return Result{}, err
	}
	if agents < 1 {
		return Result{}, vernost.Invalid("agents", "%d: need at least one agent", agents)
	}
	if answer < 0 {
		return Result{}, vernost.Invalid("target", "answer time %v is negative", answer)
	}
	servers := agents * q.perAgent()
	r := Result{Agents: agents, Servers: servers, Load: q.Load}
	if q.Patience > 0 {
		if err := checkErlangA(servers, q.Load, q.AHT, q.Patience); err != nil {
			return Result{}, err
		}
		m, err := erlangA(servers, q.Load, q.AHT.Seconds(), q.Patience.Seconds(), answer.Seconds())
		if err != nil {
			return Result{}, err
		}
		r.PWait, r.PAbandon, r.ServiceLevel, r.ASA, r.Occupancy = m.PWait, m.PAbandon, m.ServiceLevel, m.ASA, m.Occupancy
		return r, nil
	}
	if err := checkStable(servers, q.Load); err != nil {
		return Result{}, err
	}
	return q.resultC(agents, erlangBFromZero(servers, q.Load), answer), nil
}

// resultC fills in the Erlang C measures for agents given Erlang B on
// their servers.
func (q Queue) resultC(agents int, b float64, answer time.Duration) Result {
	servers := agents * q.perAgent()
	aht := q.AHT.Seconds()
	c := erlangCFromB(servers, q.Load, b)
	return Result{
		Agents:       agents,
		Servers:      servers,
		Load:         q.Load,
		PWait:        c,
		ServiceLevel: serviceLevelC(servers, q.Load, c, aht, answer.Seconds()),
		ASA:          seconds(asaC(servers, q.Load, c, aht)),
		Occupancy:    q.Load / float64(servers),
	}
}

// Staff finds the fewest agents that meet the target. With no load it needs
// none and reports a perfect service level.
func (q Queue) Staff(t Target) (Result, error) {
	if err := q.validate(); err != nil {
		return Result{}, err
	}
	if err := t.validate(); err != nil {
		return Result{}, err
	}
	if q.Load == 0 {
		return Result{ServiceLevel: 1}, nil
	}
	// The searches step one server at a time; an occupancy cap near zero
	// would have them count to the billions.
	if t.MaxOccupancy > 0 && q.Load/t.MaxOccupancy > maxServers {
		return Result{}, vernost.Invalid("max_occupancy", "%v would need over %g servers for %.4g Erlangs", t.MaxOccupancy, float64(maxServers), q.Load)
	}
	k := q.perAgent()
	if q.Patience > 0 {
		if err := checkErlangA(1, q.Load, q.AHT, q.Patience); err != nil {
			return Result{}, err
		}
		servers, err := serversA(q.Load, q.AHT.Seconds(), q.Patience.Seconds(), t)
		if err != nil {
			return Result{}, err
		}
		return q.Evaluate((servers+k-1)/k, t.AnswerTime)
	}
	servers, b := serversC(q.Load, q.AHT.Seconds(), t)
	agents := (servers + k - 1) / k
	// Whole agents may bring a few more servers: carry B on to them.
	return q.resultC(agents, erlangB(agents*k, q.Load, b, servers), t.AnswerTime), nil
}

// RequiredAgents is the fewest agents meeting t for load a under Erlang C.
func RequiredAgents(a float64, aht time.Duration, t Target) (Result, error) {
	return Queue{Load: a, AHT: aht}.Staff(t)
}

// serversC searches upward from the smallest stable n, carrying the
// Erlang B recurrence along so each step costs O(1); for 10,000 Erlangs the
// whole search is about 10,200 steps. It returns n and B(n, a).
func serversC(a, aht float64, t Target) (int, float64) {
	n := int(math.Floor(a)) + 1
	b := erlangBFromZero(n-1, a)
	answer := t.AnswerTime.Seconds()
	for ; ; n++ {
		b = erlangB(n, a, b, n-1)
		c := erlangCFromB(n, a, b)
		sl := serviceLevelC(n, a, c, aht, answer)
		if t.metBy(sl, asaC(n, a, c, aht), a/float64(n), 0) {
			return n, b
		}
	}
}

// serversA gallops up from ⌈a⌉ to a staffing that meets t, then bisects
// down to the fewest: every Erlang A measure improves with more agents.
func serversA(a, aht, patience float64, t Target) (int, error) {
	answer := t.AnswerTime.Seconds()
	meets := func(n int) (bool, error) {
		m, err := erlangA(n, a, aht, patience, answer)
		return t.metBy(m.ServiceLevel, m.ASA.Seconds(), m.Occupancy, m.PAbandon), err
	}
	fail, ok := 0, max(1, int(math.Ceil(a)))
	for step := 1; ; step *= 2 {
		met, err := meets(ok)
		if err != nil {
			return 0, err
		}
		if met {
			break
		}
		fail, ok = ok, ok+step
	}
	for ok-fail > 1 {
		mid := fail + (ok-fail)/2
		met, err := meets(mid)
		if err != nil {
			return 0, err
		}
		if met {
			ok = mid
		} else {
			fail = mid
		}
	}
	return ok, nil
}

// Scheduled is the staff to roster so that agents remain on the phones
// after shrinkage (breaks, training, absence: the share of paid time not
// available), rounded up: ⌈agents / (1 − shrinkage)⌉.
func Scheduled(agents int, shrinkage float64) (int, error) {
	if agents < 0 {
		return 0, vernost.Invalid("agents", "%d is negative", agents)
	}
	if !(shrinkage >= 0 && shrinkage < 1) {
		return 0, vernost.Invalid("shrinkage", "%v must be at least 0 and below 1 (a share of paid time)", shrinkage)
	}
	x := float64(agents) / (1 - shrinkage)
	// 14/0.7 is 20.000000000000004 in floating point; a quotient that is an
	// integer on paper must not round up to the next person.
	if r := math.Round(x); math.Abs(x-r) <= 1e-9*math.Max(1, x) {
		return int(r), nil
	}
	return int(math.Ceil(x)), nil
}
