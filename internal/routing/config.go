package routing

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/vernost/vernost"
)

// Defaults for zero durations in Config.
const (
	defaultOfferTimeout    = 30 * time.Second
	defaultTransferTimeout = 30 * time.Second
	maxCapacity            = 1000 // per channel; more is a typo, not a contact center
)

// targetPerson is the step a transfer to a person puts in front of the
// item's policy. It is internal: policies name the manager, not a person.
const targetPerson TargetKind = "person"

// checkConfig fills defaults into cfg and returns it, or the first invalid
// setting. The result is what the engine runs with and what a snapshot keeps.
func checkConfig(cfg Config) (Config, error) {
	if len(cfg.Capacity) == 0 {
		return cfg, vernost.Invalid("capacity", "lists no channel; the engine routes only the channels listed there")
	}
	capacity := make(map[Channel]int, len(cfg.Capacity))
	for ch, n := range cfg.Capacity {
		if ch == "" {
			return cfg, vernost.Invalid("capacity", "has an empty channel name")
		}
		if n < 0 || n > maxCapacity {
			return cfg, vernost.Invalid("capacity."+string(ch), "is %d; want 0 to %d", n, maxCapacity)
		}
		capacity[ch] = n
	}
	cfg.Capacity = capacity

	wrap := make(map[Channel]time.Duration, len(cfg.WrapUp))
	for ch, d := range cfg.WrapUp {
		if _, ok := capacity[ch]; !ok {
			return cfg, vernost.Invalid("wrap_up."+string(ch), "is not a channel listed in capacity")
		}
		if d < 0 {
			return cfg, vernost.Invalid("wrap_up."+string(ch), "is negative (%s)", d)
		}
		wrap[ch] = d
	}
	cfg.WrapUp = wrap

	if cfg.OfferTimeout < 0 {
		return cfg, vernost.Invalid("offer_timeout", "is negative (%s)", cfg.OfferTimeout)
	}
	if cfg.OfferTimeout == 0 {
		cfg.OfferTimeout = defaultOfferTimeout
	}
	if cfg.TransferTimeout < 0 {
		return cfg, vernost.Invalid("transfer_timeout", "is negative (%s)", cfg.TransferTimeout)
	}
	if cfg.TransferTimeout == 0 {
		cfg.TransferTimeout = defaultTransferTimeout
	}
	if cfg.MaxMisses < 0 {
		return cfg, vernost.Invalid("max_misses", "is negative (%d)", cfg.MaxMisses)
	}

	if len(cfg.Policies) == 0 {
		return cfg, vernost.Invalid("policies", "is empty; at least one policy is needed")
	}
	seen := make(map[string]bool, len(cfg.Policies))
	policies := make([]Policy, len(cfg.Policies))
	for i, p := range cfg.Policies {
		field := fmt.Sprintf("policies[%d]", i)
		if p.Name == "" {
			return cfg, vernost.Invalid(field+".name", "is required")
		}
		if seen[p.Name] {
			return cfg, vernost.Invalid(field+".name", "%q is used twice", p.Name)
		}
		seen[p.Name] = true
		if len(p.Steps) == 0 {
			return cfg, vernost.Invalid(field+".steps", "is empty")
		}
		p.Steps = slices.Clone(p.Steps)
		for j := range p.Steps {
			if err := checkStep(&p.Steps[j], fmt.Sprintf("%s.steps[%d]", field, j), j == len(p.Steps)-1); err != nil {
				return cfg, err
			}
		}
		policies[i] = p
	}
	cfg.Policies = policies

	for t, w := range cfg.Priority.Value {
		if !finite(w) {
			return cfg, vernost.Invalid(fmt.Sprintf("priority.value[%d]", t), "is not a finite number")
		}
	}
	for t, w := range cfg.Priority.Risk {
		if !finite(w) {
			return cfg, vernost.Invalid(fmt.Sprintf("priority.risk[%d]", t), "is not a finite number")
		}
	}
	if a := cfg.Priority.AgingPerMinute; !finite(a) || a < 0 {
		return cfg, vernost.Invalid("priority.aging_per_minute", "is %v; want a finite number ≥ 0", a)
	}
	return cfg, nil
}

func checkStep(s *Step, field string, last bool) error {
	switch s.Target {
	case TargetManager:
		if last {
			return vernost.Invalid(field+".target", "the last step cannot be the manager: items without one would wait for nobody")
		}
	case TargetSkills, TargetAny:
	case TargetTeam:
		if s.Team == "" {
			return vernost.Invalid(field+".team", "is required for a team target")
		}
	default:
		return vernost.Invalid(field+".target", "is %q; want manager, skills, team or any", s.Target)
	}
	if s.MinLevel != 0 && (s.MinLevel < MinLevel || s.MinLevel > MaxLevel) {
		return vernost.Invalid(field+".min_level", "is %d; want 0 (none) or %d to %d", s.MinLevel, MinLevel, MaxLevel)
	}
	if s.Timeout < 0 {
		return vernost.Invalid(field+".timeout", "is negative (%s)", s.Timeout)
	}
	switch s.Choose {
	case "":
		s.Choose = LongestIdle
	case LongestIdle, LeastOccupied, BestSkill:
	default:
		return vernost.Invalid(field+".choose", "is %q; want longest_idle, least_occupied or best_skill", s.Choose)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
