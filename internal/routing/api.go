// Package routing is the routing engine: it decides which agent is offered
// which work item (a call, chat, email…) with the customer in view: the
// customer's personal manager first, then agents with the right skills, with
// high-value customers at risk ahead of routine questions.
//
// The engine is pure and deterministic. Events come in through Apply, each
// carrying its own time; decisions (offers, time-outs, escalations) come out.
// There is no I/O, no polling and no wall clock, so the inbox can drive it in
// production, the simulator can drive it in tests, and any run can be
// replayed from its event log to the same decisions.
//
// An Engine is not safe for concurrent use: the caller serialises events.
package routing

import "time"

// AgentID identifies an agent (an operator). Zero means "none".
type AgentID int64

// ItemID identifies a work item. Zero is not a valid id.
type ItemID int64

// Channel is the medium of a work item. The channels the engine routes are
// the keys of Config.Capacity; the constants are the usual ones.
type Channel string

const (
	ChannelCall      Channel = "call"
	ChannelChat      Channel = "chat"
	ChannelEmail     Channel = "email"
	ChannelSMS       Channel = "sms"
	ChannelMessenger Channel = "messenger"
	ChannelInPerson  Channel = "in_person"
)

// SkillLevel is a skill with a level from 1 (novice) to 5 (expert). On an
// agent it is what the agent can do; on a work item it is the minimum needed.
type SkillLevel struct {
	Skill string `json:"skill"`
	Level int    `json:"level"`
}

// MinLevel and MaxLevel bound skill levels.
const (
	MinLevel = 1
	MaxLevel = 5
)

// Status is an agent's presence. Only an available agent receives offers;
// every status but offline counts as logged in.
type Status string

const (
	Available Status = "available"
	Busy      Status = "busy" // logged in, doing something the engine does not route
	Away      Status = "away"
	Offline   Status = "offline"
	WrapUp    Status = "wrap_up" // finishing the last work; back to available when the wrap-up ends
)

// Tier grades a customer's value or churn risk; Config.Priority gives each
// tier its weight in the queue order.
type Tier int

const (
	TierNone Tier = iota
	TierLow
	TierMedium
	TierHigh
)

// WorkItem is something to route: a call, chat, email… from one customer.
type WorkItem struct {
	ID       ItemID       `json:"id"`
	Channel  Channel      `json:"channel"`
	Skills   []SkillLevel `json:"skills,omitempty"`   // required, each at a minimum level
	Language string       `json:"language,omitempty"` // "" when any language will do
	Priority int          `json:"priority,omitempty"` // higher is more urgent
	Value    Tier         `json:"value,omitempty"`    // customer value tier
	Risk     Tier         `json:"risk,omitempty"`     // churn-risk tier
	Manager  AgentID      `json:"manager,omitempty"`  // the customer's personal manager, 0 if none
	Policy   string       `json:"policy,omitempty"`   // routing policy name; "" is the first in Config.Policies
	// Arrival is when the customer started waiting (an email received before
	// it reached the engine); zero means the time of the Enqueue event.
	// Waiting time raises the effective priority.
	Arrival time.Time `json:"arrival,omitzero"`
}

// Event is one input to the engine. The set of events is closed: AgentLogin,
// AgentState, Enqueue, Accept, Reject, Complete, Cancel, Transfer, Advance.
type Event interface {
	// When is the event's time. Times must not go backwards.
	When() time.Time
	event()
}

// AgentLogin logs an agent in (available), or, for an agent already logged
// in, replaces the agent's profile; pending offers to the agent are then
// revoked and routed again.
type AgentLogin struct {
	At        time.Time    `json:"at"`
	Agent     AgentID      `json:"agent"`
	Skills    []SkillLevel `json:"skills,omitempty"`
	Languages []string     `json:"languages,omitempty"`
	Teams     []string     `json:"teams,omitempty"`
	// Capacity per channel: how many items at once (offered or accepted).
	// Nil means Config.Capacity; a channel missing from a non-nil map is 0.
	Capacity map[Channel]int `json:"capacity,omitempty"`
}

// AgentState changes a logged-in agent's status, or logs the agent out with
// Offline. Leaving available revokes the agent's pending offers; items
// already accepted stay with the agent until completed. WrapUp needs a
// duration, after which the agent becomes available again.
type AgentState struct {
	At     time.Time     `json:"at"`
	Agent  AgentID       `json:"agent"`
	Status Status        `json:"status"`
	WrapUp time.Duration `json:"wrap_up,omitempty"` // only with Status WrapUp
}

// Enqueue adds a work item; the engine offers it as its policy allows.
type Enqueue struct {
	At   time.Time `json:"at"`
	Item WorkItem  `json:"item"`
}

// Accept is the agent taking the item offered to it.
type Accept struct {
	At    time.Time `json:"at"`
	Item  ItemID    `json:"item"`
	Agent AgentID   `json:"agent"`
}

// Reject is the agent declining the item offered to it; the item goes to the
// next candidate. The agent is not offered the item again in the same step.
type Reject struct {
	At    time.Time `json:"at"`
	Item  ItemID    `json:"item"`
	Agent AgentID   `json:"agent"`
}

// Complete ends the work on an accepted item. The agent then wraps up for
// Config.WrapUp of the item's channel, if set.
type Complete struct {
	At    time.Time `json:"at"`
	Item  ItemID    `json:"item"`
	Agent AgentID   `json:"agent"`
}

// Cancel removes an item in any state (the customer hung up, the email was
// withdrawn). A pending offer is revoked; an accepted item frees its agent
// without wrap-up.
type Cancel struct {
	At   time.Time `json:"at"`
	Item ItemID    `json:"item"`
}

// Transfer routes an item again, from any state, keeping its arrival time
// and priority. Exactly one of the target's fields is set.
type Transfer struct {
	At   time.Time      `json:"at"`
	Item ItemID         `json:"item"`
	To   TransferTarget `json:"to"`
}

// TransferTarget says where a transfer goes.
//   - Agent: to that person, who is offered the item for up to
//     Config.TransferTimeout (skipped at once if not logged in); the item then
//     continues with its policy from the first step.
//   - Skills: the item now needs these skills; its policy restarts.
//   - Policy: the item follows this policy (a queue) from its first step.
type TransferTarget struct {
	Agent  AgentID      `json:"agent,omitempty"`
	Skills []SkillLevel `json:"skills,omitempty"`
	Policy string       `json:"policy,omitempty"`
}

// Advance moves time forward with no other input, firing offer time-outs,
// wrap-up ends and step escalations that are due.
type Advance struct {
	At time.Time `json:"at"`
}

func (e AgentLogin) When() time.Time { return e.At }
func (e AgentState) When() time.Time { return e.At }
func (e Enqueue) When() time.Time    { return e.At }
func (e Accept) When() time.Time     { return e.At }
func (e Reject) When() time.Time     { return e.At }
func (e Complete) When() time.Time   { return e.At }
func (e Cancel) When() time.Time     { return e.At }
func (e Transfer) When() time.Time   { return e.At }
func (e Advance) When() time.Time    { return e.At }

func (AgentLogin) event() {}
func (AgentState) event() {}
func (Enqueue) event()    {}
func (Accept) event()     {}
func (Reject) event()     {}
func (Complete) event()   {}
func (Cancel) event()     {}
func (Transfer) event()   {}
func (Advance) event()    {}

// DecisionKind says what a Decision is.
type DecisionKind string

const (
	// Offer reserves Item for Agent until Expires; Step is the route step.
	Offer DecisionKind = "offer"
	// OfferTimeout: Agent did not answer the offer of Item in time. Item is
	// routed again (further decisions follow).
	OfferTimeout DecisionKind = "offer_timeout"
	// OfferRevoked: the offer of Item to Agent no longer stands (the item was
	// cancelled or transferred, or the agent left); Reason says which.
	OfferRevoked DecisionKind = "offer_revoked"
	// Escalate: Item moved to route step Step; Reason is ReasonTimeout or
	// ReasonNobodyLoggedIn (the previous step was skipped).
	Escalate DecisionKind = "escalate"
	// AgentStatus: the engine changed Agent's status to Status (away after
	// missed offers, available after wrap-up).
	AgentStatus DecisionKind = "agent_status"
)

// Reasons carried by decisions.
const (
	ReasonTimeout        = "timeout"
	ReasonNobodyLoggedIn = "nobody_logged_in"
	ReasonNoManager      = "no_manager"
	ReasonCancelled      = "cancelled"
	ReasonTransferred    = "transferred"
	ReasonAgentLeft      = "agent_left"    // the agent left available or changed profile
	ReasonMissedOffers   = "missed_offers" // away after Config.MaxMisses misses in a row
	ReasonWrapUpEnded    = "wrap_up_ended"
	ReasonCompleted      = "completed" // wrap-up after completing an item
)

// Decision is one output of the engine. Fields not used by a kind are zero.
type Decision struct {
	Kind    DecisionKind `json:"kind"`
	At      time.Time    `json:"at"`
	Item    ItemID       `json:"item,omitempty"`
	Agent   AgentID      `json:"agent,omitempty"`
	Step    int          `json:"step,omitempty"`   // index in the item's route (Offer, Escalate)
	Expires time.Time    `json:"expires,omitzero"` // Offer
	Status  Status       `json:"status,omitempty"` // AgentStatus
	Reason  string       `json:"reason,omitempty"`
}

// TargetKind says who a policy step routes to.
type TargetKind string

const (
	// TargetManager is the item's personal manager, whatever the skills and
	// language. Skipped when the item has no manager.
	TargetManager TargetKind = "manager"
	// TargetSkills is agents with all the item's skills, each at the item's
	// level or Step.MinLevel, whichever is higher, speaking its language.
	TargetSkills TargetKind = "skills"
	// TargetTeam is members of Step.Team speaking the item's language,
	// whatever their skills (an overflow team).
	TargetTeam TargetKind = "team"
	// TargetAny is any agent speaking the item's language.
	TargetAny TargetKind = "any"
)

// Strategy chooses among the agents able to take an item. Ties fall to the
// longest idle agent, then the lowest id. LongestIdle finds its agent near
// the head of an index kept in idle order; the other two compare every free
// agent with the item's skills, which costs more when many are free.
type Strategy string

const (
	// LongestIdle picks the agent whose load last changed (an offer made or
	// ended, work finished), or who last became available, longest ago.
	LongestIdle Strategy = "longest_idle"
	// LeastOccupied picks the agent with the lowest share of its capacity in
	// use on the item's channel, then the fewest items in all.
	LeastOccupied Strategy = "least_occupied"
	// BestSkill picks the agent with the highest sum of levels in the item's
	// required skills.
	BestSkill Strategy = "best_skill"
)

// Step is one stage of a routing policy.
type Step struct {
	Target   TargetKind    `json:"target" yaml:"target"`
	Team     string        `json:"team,omitempty" yaml:"team"`           // TargetTeam
	MinLevel int           `json:"min_level,omitempty" yaml:"min_level"` // TargetSkills: raise every required level to at least this
	Timeout  time.Duration `json:"timeout,omitempty" yaml:"timeout"`     // then the next step; 0 waits without limit. The last step never times out.
	Choose   Strategy      `json:"choose,omitempty" yaml:"choose"`       // "" is LongestIdle
	// KeepIfEmpty makes an item wait in this step even when nobody who could
	// take it is logged in; by default such a step is skipped at once (and an
	// item waiting in it moves on when the last such agent logs out). The
	// last step is never skipped.
	KeepIfEmpty bool `json:"keep_if_empty,omitempty" yaml:"keep_if_empty"`
}

// Policy is an ordered list of steps, like a TaskRouter workflow or a
// bullseye: e.g. personal manager for 30 s, then experts for 60 s, then
// anyone with the skills.
type Policy struct {
	Name  string `json:"name" yaml:"name"`
	Steps []Step `json:"steps" yaml:"steps"`
}

// PriorityWeights turn an item into its queue order. The effective priority
// of a waiting item is
//
//	Priority + Value[item.Value] + Risk[item.Risk] + AgingPerMinute × minutes waited
//
// so a valuable customer at risk goes ahead of routine questions, and aging
// makes sure nothing waits for ever.
type PriorityWeights struct {
	Value          [4]float64 `json:"value" yaml:"value"` // by Tier
	Risk           [4]float64 `json:"risk" yaml:"risk"`   // by Tier
	AgingPerMinute float64    `json:"aging_per_minute" yaml:"aging_per_minute"`
}

// Config is the engine's configuration. DefaultConfig gives a working one.
type Config struct {
	// Capacity is the default number of items per channel an agent handles at
	// once; it also lists the channels the engine routes.
	Capacity map[Channel]int `json:"capacity" yaml:"capacity"`
	// WrapUp is the wrap-up time after completing an item, per channel.
	WrapUp map[Channel]time.Duration `json:"wrap_up,omitempty" yaml:"wrap_up"`
	// OfferTimeout is how long an agent has to accept an offer.
	OfferTimeout time.Duration `json:"offer_timeout" yaml:"offer_timeout"`
	// MaxMisses puts an agent away after that many offers in a row rejected
	// or timed out; 0 never does.
	MaxMisses int `json:"max_misses,omitempty" yaml:"max_misses"`
	// TransferTimeout is how long a transfer to a person waits for them.
	TransferTimeout time.Duration `json:"transfer_timeout" yaml:"transfer_timeout"`
	// Policies are the routing policies; the first is the default.
	Policies []Policy        `json:"policies" yaml:"policies"`
	Priority PriorityWeights `json:"priority" yaml:"priority"`
	// Record keeps every applied event for Log.
	Record bool `json:"record,omitempty" yaml:"record"`
}

// DefaultConfig is a typical contact center: 1 call, 3 chats, 5 emails at
// once; 30 s to accept; away after 3 misses; and one policy: the personal
// manager for 30 s, then experts (level 4 or more) for 60 s, then anyone
// with the skills.
func DefaultConfig() Config {
	return Config{
		Capacity: map[Channel]int{
			ChannelCall: 1, ChannelChat: 3, ChannelEmail: 5,
			ChannelSMS: 5, ChannelMessenger: 3, ChannelInPerson: 1,
		},
		WrapUp:          map[Channel]time.Duration{ChannelCall: 30 * time.Second},
		OfferTimeout:    30 * time.Second,
		MaxMisses:       3,
		TransferTimeout: 30 * time.Second,
		Policies: []Policy{{
			Name: "default",
			Steps: []Step{
				{Target: TargetManager, Timeout: 30 * time.Second},
				{Target: TargetSkills, MinLevel: 4, Timeout: 60 * time.Second},
				{Target: TargetSkills},
			},
		}},
		Priority: PriorityWeights{
			Value:          [4]float64{0, 1, 2, 4},
			Risk:           [4]float64{0, 1, 3, 6},
			AgingPerMinute: 1,
		},
	}
}

// AgentView is a read-only look at one agent.
type AgentView struct {
	ID     AgentID
	Status Status
	Load   map[Channel]int // items offered or accepted, per channel
	Misses int             // offers missed in a row
}

// ItemState is where a work item stands.
type ItemState string

const (
	Queued   ItemState = "queued"
	Offered  ItemState = "offered"
	Assigned ItemState = "assigned" // accepted, being worked on
)

// ItemView is a read-only look at one work item.
type ItemView struct {
	ID    ItemID
	State ItemState
	Agent AgentID // offered to or accepted by
	Step  int     // index in the item's route
}

// Stats counts the engine's contents.
type Stats struct {
	Queued, Offered, Assigned int
	Agents                    map[Status]int // agents by status, offline included
}

// New returns an engine with the given configuration, or an error naming the
// first invalid setting.
func New(cfg Config) (*Engine, error) { return newEngine(cfg) }

// Apply applies one event and returns the decisions it causes, in order:
// first those of timers due by the event's time (offer time-outs, wrap-up
// ends, escalations), then those of the event itself.
//
// An invalid event (unknown agent or item, time going backwards, a field out
// of range) returns a *vernost.Error and changes nothing, except that timers
// due by its time still fire: their decisions are returned with the error,
// and the log records an Advance in its place, so replay stays exact.
//
// The returned slice belongs to the engine and is valid only until the next
// call to Apply, which reuses it (a routing decision then allocates
// nothing): copy it, e.g. append(all, ds...), to keep it longer.
func (e *Engine) Apply(ev Event) ([]Decision, error) { return e.apply(ev) }

// Now is the time of the last event applied; zero before the first.
func (e *Engine) Now() time.Time {
	if !e.started {
		return time.Time{}
	}
	return timeOf(e.now)
}

// NextDue returns the time of the earliest pending timer (an offer
// expiring, a route step timing out, a wrap-up ending), so that a driver
// with no other event before then can Advance exactly to it; false when no
// timer is pending. Applying any event at or after that time fires it.
func (e *Engine) NextDue() (time.Time, bool) { return e.nextDue() }

// Log returns the events applied so far when Config.Record is set.
// Replaying them on a new engine with the same configuration yields the
// same decisions.
func (e *Engine) Log() []Event { return e.log }

// Replay applies events in order to a new engine with cfg and returns all
// decisions. It stops at the first invalid event.
func Replay(cfg Config, events []Event) ([]Decision, error) { return replay(cfg, events) }

// Snapshot encodes the whole state (configuration included, event log
// excluded) as versioned JSON, for the inbox to persist.
func (e *Engine) Snapshot() ([]byte, error) { return e.snapshot() }

// Restore rebuilds an engine from a Snapshot. It continues exactly as the
// engine that took the snapshot would have.
func Restore(data []byte) (*Engine, error) { return restore(data) }

// Agent returns a view of one agent; false if the agent never logged in.
func (e *Engine) Agent(id AgentID) (AgentView, bool) { return e.agentView(id) }

// Item returns a view of one work item; false if the engine does not hold it
// (never enqueued, completed or cancelled).
func (e *Engine) Item(id ItemID) (ItemView, bool) { return e.itemView(id) }

// Stats counts items and agents.
func (e *Engine) Stats() Stats { return e.stats() }
