// Package sim is a discrete-event simulator of a contact center that drives
// the real routing engine: customers arrive per interval, wait, give up,
// are offered to simulated agents who accept, reject or miss offers, and are
// served for a random handle time. It reports service level, speed of
// answer, abandonment, occupancy and the routing outcomes per interval.
package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/vernost/vernost"
)

// Scenario describes one simulated day. The README section "Simulating a
// contact center" documents every key; the yaml and json names agree.
type Scenario struct {
	Name      string       `yaml:"name" json:"name"`
	Seed      uint64       `yaml:"seed" json:"seed"`
	Start     Clock        `yaml:"start" json:"start"`         // clock time of the first interval, for labels
	Interval  Duration     `yaml:"interval" json:"interval"`   // length of one reporting interval
	Intervals int          `yaml:"intervals" json:"intervals"` // intervals in the day
	Routing   RoutingSpec  `yaml:"routing" json:"routing"`
	Queues    []QueueSpec  `yaml:"queues" json:"queues"`
	Agents    []AgentGroup `yaml:"agents" json:"agents"`
}

// RoutingSpec configures the engine. Keys left out take the simulator's
// plain defaults (model.go), not the engine's production defaults,
// so a scenario does only what it says.
type RoutingSpec struct {
	Capacity       map[string]int      `yaml:"capacity" json:"capacity"` // per channel; also the channels routed
	WrapUp         map[string]Duration `yaml:"wrap_up" json:"wrap_up"`
	OfferTimeout   Duration            `yaml:"offer_timeout" json:"offer_timeout"`
	MaxMisses      int                 `yaml:"max_misses" json:"max_misses"`
	AgingPerMinute float64             `yaml:"aging_per_minute" json:"aging_per_minute"`
	Policies       []PolicySpec        `yaml:"policies" json:"policies"`
}

// PolicySpec is one engine routing policy: ordered steps.
type PolicySpec struct {
	Name  string     `yaml:"name" json:"name"`
	Steps []StepSpec `yaml:"steps" json:"steps"`
}

// StepSpec is one stage of a policy; see routing.Step.
type StepSpec struct {
	Target      string   `yaml:"target" json:"target"` // manager, skills, team, any
	Team        string   `yaml:"team" json:"team"`
	MinLevel    int      `yaml:"min_level" json:"min_level"`
	Timeout     Duration `yaml:"timeout" json:"timeout"`
	Choose      string   `yaml:"choose" json:"choose"` // longest_idle, least_occupied, best_skill
	KeepIfEmpty bool     `yaml:"keep_if_empty" json:"keep_if_empty"`
}

// QueueSpec is one stream of contacts: a channel, the skills it needs, how
// many arrive, how long they take and how long customers wait.
type QueueSpec struct {
	Name         string         `yaml:"name" json:"name"`
	Channel      string         `yaml:"channel" json:"channel"`
	Skills       map[string]int `yaml:"skills" json:"skills"` // skill → minimum level
	Priority     int            `yaml:"priority" json:"priority"`
	Policy       string         `yaml:"policy" json:"policy"` // "" is the first policy
	Arrivals     ArrivalSpec    `yaml:"arrivals" json:"arrivals"`
	HandleTime   DistSpec       `yaml:"handle_time" json:"handle_time"`
	Patience     *DistSpec      `yaml:"patience" json:"patience"` // nil: customers never give up
	Target       Duration       `yaml:"target" json:"target"`     // answered within this counts for the service level
	ManagerShare float64        `yaml:"manager_share" json:"manager_share"`
	Transfer     *TransferSpec  `yaml:"transfer" json:"transfer"`
}

// ArrivalSpec gives the expected volume; arrivals are Poisson within each
// interval. Exactly one of PerInterval, PerHour or PerDay is set.
type ArrivalSpec struct {
	PerInterval []float64 `yaml:"per_interval" json:"per_interval"` // expected contacts in each interval
	PerHour     float64   `yaml:"per_hour" json:"per_hour"`         // a flat rate all day
	PerDay      float64   `yaml:"per_day" json:"per_day"`           // spread over the day by Curve
	Curve       []float64 `yaml:"curve" json:"curve"`               // relative weight of each interval; flat if empty
}

// DistSpec names a duration distribution and its parameters.
type DistSpec struct {
	Kind   string     `yaml:"kind" json:"kind"` // exponential, lognormal, empirical, constant
	Mean   Duration   `yaml:"mean" json:"mean"`
	Stddev Duration   `yaml:"stddev" json:"stddev"`
	Mu     *float64   `yaml:"mu" json:"mu"`       // lognormal: mean of ln(seconds)
	Sigma  *float64   `yaml:"sigma" json:"sigma"` // lognormal: stddev of ln(seconds)
	Sample []Duration `yaml:"sample" json:"sample"`
}

// TransferSpec sends a share of served contacts on to another queue at the
// end of their handle time, as an agent would after the first part.
type TransferSpec struct {
	Probability float64 `yaml:"probability" json:"probability"`
	To          string  `yaml:"to" json:"to"` // queue name, same channel
}

// AgentGroup is a number of alike agents.
type AgentGroup struct {
	Name              string         `yaml:"name" json:"name"`
	Count             int            `yaml:"count" json:"count"`
	Skills            map[string]int `yaml:"skills" json:"skills"`     // skill → level 1..5
	Capacity          map[string]int `yaml:"capacity" json:"capacity"` // per channel; nil: routing.capacity
	Teams             []string       `yaml:"teams" json:"teams"`
	Shifts            []ShiftSpec    `yaml:"shifts" json:"shifts"` // empty: the whole day and until the queues drain
	PersonalManagers  bool           `yaml:"personal_managers" json:"personal_managers"`
	RejectProbability float64        `yaml:"reject_probability" json:"reject_probability"`
	MissProbability   float64        `yaml:"miss_probability" json:"miss_probability"`
	AnswerDelay       Duration       `yaml:"answer_delay" json:"answer_delay"`
	AwayFor           Duration       `yaml:"away_for" json:"away_for"` // back to available after the engine set away
}

// ShiftSpec is a logged-in period, as offsets from the start of the day.
type ShiftSpec struct {
	Start Duration `yaml:"start" json:"start"`
	End   Duration `yaml:"end" json:"end"`
}

// Duration is a time.Duration written as Go duration text ("4m30s").
type Duration time.Duration

func (d Duration) Std() time.Duration { return time.Duration(d) }

func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("want a duration such as \"4m30s\", got %q", b)
	}
	*d = Duration(v)
	return nil
}

func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Clock is a time of day written "HH:MM", stored as the offset from midnight.
type Clock time.Duration

func (c *Clock) UnmarshalText(b []byte) error {
	t, err := time.Parse("15:04", string(b))
	if err != nil {
		return fmt.Errorf("want a time of day such as \"08:00\", got %q", b)
	}
	*c = Clock(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
	return nil
}

func (c Clock) MarshalText() ([]byte, error) {
	d := time.Duration(c)
	return fmt.Appendf(nil, "%02d:%02d", int(d.Hours()), int(d.Minutes())%60), nil
}

// maxScenarioBytes bounds what Load reads; real scenarios are a few KB.
const maxScenarioBytes = 16 << 20

// Load reads a scenario file; ".json" files are JSON, anything else YAML.
func Load(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, vernost.Errorf(vernost.ENotFound, "scenario %s does not exist", path)
		}
		return nil, vernost.Errorf(vernost.EUnavailable, "read scenario: %v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxScenarioBytes+1))
	if err != nil {
		return nil, vernost.Errorf(vernost.EUnavailable, "read scenario %s: %v", path, err)
	}
	if len(data) > maxScenarioBytes {
		return nil, vernost.Errorf(vernost.ETooLarge, "scenario %s is over %d bytes", path, maxScenarioBytes)
	}
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return ParseJSON(data)
	}
	return ParseYAML(data)
}

// ParseYAML decodes and validates a YAML scenario. Unknown keys, values of
// the wrong kind and invalid settings are errors naming the key's path.
func ParseYAML(data []byte) (*Scenario, error) {
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, vernost.Invalid("scenario", "not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if err := checkDocument(doc); err != nil {
		return nil, err
	}
	var s Scenario
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, vernost.Invalid("scenario", "%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return &s, s.Validate()
}

// ParseJSON decodes and validates a JSON scenario, as ParseYAML does.
func ParseJSON(data []byte) (*Scenario, error) {
	var doc any
	gen := json.NewDecoder(bytes.NewReader(data))
	gen.UseNumber()
	if err := gen.Decode(&doc); err != nil {
		return nil, vernost.Invalid("scenario", "not valid JSON: %s", jsonErrorText(data, err))
	}
	if gen.More() {
		return nil, vernost.Invalid("scenario", "not valid JSON: more than one value")
	}
	if err := checkDocument(doc); err != nil {
		return nil, err
	}
	var s Scenario
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, vernost.Invalid("scenario", "%s", jsonErrorText(data, err))
	}
	return &s, s.Validate()
}

// checkDocument rejects an empty document and reports shape errors by path.
func checkDocument(doc any) error {
	if doc == nil {
		return vernost.Invalid("scenario", "the file is empty")
	}
	if _, ok := asMap(doc); !ok {
		return vernost.Invalid("scenario", "want a mapping of keys at the top, got %s", describe(doc))
	}
	return checkShape(doc, reflect.TypeFor[Scenario](), "")
}

// jsonErrorText adds the line to a JSON syntax error, which otherwise gives
// only a byte offset.
func jsonErrorText(data []byte, err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		line := 1 + bytes.Count(data[:min(int(syn.Offset), len(data))], []byte("\n"))
		return fmt.Sprintf("line %d: %v", line, err)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
