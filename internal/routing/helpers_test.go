package routing

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vernost/vernost"
)

// testConfig is DefaultConfig without wrap-up, so that each test turns on
// only the rules it is about.
func testConfig() Config {
	cfg := DefaultConfig()
	cfg.WrapUp = nil
	cfg.Record = true
	return cfg
}

// scenario applies events to an engine, failing the test on any refused
// event or broken invariant.
type scenario struct {
	t *testing.T
	e *Engine
}

func newScenario(t *testing.T, cfg Config) *scenario {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &scenario{t: t, e: e}
}

// do applies ev and returns its decisions in the short form of show.
func (s *scenario) do(ev Event) []string {
	s.t.Helper()
	ds, err := s.e.Apply(ev)
	if err != nil {
		s.t.Fatalf("Apply(%#v): %v", ev, err)
	}
	if err := checkInvariants(s.e); err != nil {
		s.t.Fatalf("after %#v: %v", ev, err)
	}
	return show(ds)
}

// expect applies ev and compares its decisions with want.
func (s *scenario) expect(ev Event, want ...string) {
	s.t.Helper()
	if got := s.do(ev); !slices.Equal(got, want) {
		s.t.Fatalf("%T at +%s:\ngot  %q\nwant %q", ev, ev.When().Sub(t0), got, want)
	}
}

// refuse applies ev expecting an error with the given code.
func (s *scenario) refuse(ev Event, code string) error {
	s.t.Helper()
	_, err := s.e.Apply(ev)
	if got := vernost.ErrorCode(err); got != code {
		s.t.Fatalf("Apply(%#v): error %v (code %q), want code %q", ev, err, got, code)
	}
	if err := checkInvariants(s.e); err != nil {
		s.t.Fatalf("after refused %#v: %v", ev, err)
	}
	return err
}

// login logs agent id in at time at with skills written "billing:4 tech:2"
// and languages "ru en".
func (s *scenario) login(at float64, id AgentID, skills, langs string) []string {
	s.t.Helper()
	return s.do(AgentLogin{At: sec(at), Agent: id, Skills: parseSkills(skills), Languages: strings.Fields(langs)})
}

func parseSkills(spec string) []SkillLevel {
	var ss []SkillLevel
	for _, f := range strings.Fields(spec) {
		name, lvl, _ := strings.Cut(f, ":")
		n, _ := strconv.Atoi(lvl)
		ss = append(ss, SkillLevel{Skill: name, Level: n})
	}
	return ss
}

// call is a call needing skills (same notation as login).
func call(id ItemID, skills string) WorkItem {
	return WorkItem{ID: id, Channel: ChannelCall, Skills: parseSkills(skills)}
}

// show renders decisions compactly: "offer 1>7 s2", "escalate 1 s1 timeout",
// "timeout 1>7", "revoked 1>7 cancelled", "status 7 away missed_offers".
func show(ds []Decision) []string {
	out := []string{}
	for _, d := range ds {
		switch d.Kind {
		case Offer:
			out = append(out, fmt.Sprintf("offer %d>%d s%d", d.Item, d.Agent, d.Step))
		case OfferTimeout:
			out = append(out, fmt.Sprintf("timeout %d>%d", d.Item, d.Agent))
		case OfferRevoked:
			out = append(out, fmt.Sprintf("revoked %d>%d %s", d.Item, d.Agent, d.Reason))
		case Escalate:
			out = append(out, fmt.Sprintf("escalate %d s%d %s", d.Item, d.Step, d.Reason))
		case AgentStatus:
			out = append(out, fmt.Sprintf("status %d %s %s", d.Agent, d.Status, d.Reason))
		default:
			out = append(out, fmt.Sprintf("%+v", d))
		}
	}
	return out
}

// singleStep is a configuration with one policy of one step.
func singleStep(st Step) Config {
	cfg := testConfig()
	cfg.Policies = []Policy{{Name: "only", Steps: []Step{st}}}
	return cfg
}

func seconds(n int) time.Duration { return time.Duration(n) * time.Second }
