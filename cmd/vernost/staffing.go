package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/analytics/staffing"
)

func init() {
	register(command{Name: "staffing", Summary: "agents needed for a queue or a day's forecast (Erlang C and A)", Run: runStaffing})
}

const staffingUsage = `usage: vernost staffing SUBCOMMAND [flags]

  erlang-c  agents for a call queue (callers wait as long as it takes)
  erlang-a  the same with callers who hang up after --patience on average
  plan      agents and rostered staff per interval of a forecast CSV

Run vernost staffing SUBCOMMAND --help for its flags.
`

const concurrencyHelp = "sessions one agent works at once (chat: 2–4). Approximation: each agent counts as that many " +
	"independent servers and --aht is one session's length while shared; optimistic when sessions compete for the " +
	"agent's attention and for very small teams"

func runStaffing(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, staffingUsage)
		return errUsage
	}
	switch args[0] {
	case "erlang-c":
		return runStaffingQueue(env, "erlang-c", args[1:])
	case "erlang-a":
		return runStaffingQueue(env, "erlang-a", args[1:])
	case "plan":
		return runStaffingPlan(env, args[1:])
	case "-h", "--help", "help":
		fmt.Fprint(env.Stderr, staffingUsage)
		return flag.ErrHelp
	}
	fmt.Fprintf(env.Stderr, "vernost staffing: unknown subcommand %q\n\n%s", args[0], staffingUsage)
	return errUsage
}

// staffingGoals are the flags that describe the target and the staff, shared
// by every subcommand.
type staffingGoals struct {
	target                 string
	maxASA                 time.Duration
	maxOccupancy           float64
	maxAbandon             float64
	shrinkage              float64
	patience               time.Duration
	concurrency            int
	asJSON                 bool
	withPatience, required bool
}

func (g *staffingGoals) register(fs *flag.FlagSet, withPatience bool) {
	g.withPatience = withPatience
	fs.StringVar(&g.target, "target", "80/20s", "service-level goal: PERCENT/TIME answered within TIME")
	fs.DurationVar(&g.maxASA, "max-asa", 0, "also keep the mean wait (ASA) at most this (0 = no limit)")
	fs.Float64Var(&g.maxOccupancy, "max-occupancy", 0, "also keep agents busy at most this share of the time, e.g. 0.85 (0 = no limit)")
	fs.Float64Var(&g.shrinkage, "shrinkage", 0, "share of paid time agents are off the phones (breaks, training, absence), e.g. 0.3")
	fs.IntVar(&g.concurrency, "concurrency", 1, concurrencyHelp)
	fs.BoolVar(&g.asJSON, "json", false, "print JSON")
	if withPatience {
		fs.DurationVar(&g.patience, "patience", 0, "mean time a caller waits before hanging up (required for erlang-a)")
		fs.Float64Var(&g.maxAbandon, "max-abandon", 0, "also keep the share of callers who hang up at most this, e.g. 0.05 (0 = no limit)")
	}
}

func (g *staffingGoals) parse() (staffing.Target, error) {
	t, err := staffing.ParseTarget(g.target)
	if err != nil {
		return t, err
	}
	t.MaxASA, t.MaxOccupancy, t.MaxAbandon = g.maxASA, g.maxOccupancy, g.maxAbandon
	if g.withPatience && g.required && g.patience <= 0 {
		return t, vernost.Invalid("patience", "required: the mean time a caller waits before hanging up, e.g. 2m")
	}
	if g.concurrency < 1 {
		return t, vernost.Invalid("concurrency", "%d: an agent works at least one session", g.concurrency)
	}
	return t, nil
}

// staffingJSON is one staffing level as printed by --json.
type staffingJSON struct {
	Model             string  `json:"model"`
	Load              float64 `json:"load_erlangs"`
	Agents            int     `json:"agents"`
	Servers           int     `json:"servers"`
	Scheduled         int     `json:"scheduled"`
	Shrinkage         float64 `json:"shrinkage"`
	PWait             float64 `json:"p_wait"`
	PAbandon          float64 `json:"p_abandon"`
	ServiceLevel      float64 `json:"service_level"`
	AnswerTimeSeconds float64 `json:"answer_time_seconds"`
	ASASeconds        float64 `json:"asa_seconds"`
	Occupancy         float64 `json:"occupancy"`
}

func runStaffingQueue(env *Env, model string, args []string) error {
	synopsis := "staffing " + model + " --calls N --aht DURATION [--interval 30m] [--target 80/20s]"
	if model == "erlang-a" {
		synopsis += " --patience DURATION [--max-abandon SHARE]"
	}
	synopsis += " [--agents N] [--max-occupancy SHARE] [--max-asa DURATION] [--shrinkage SHARE] [--concurrency K] [--json]"
	fs := newFlags(env, "staffing "+model, synopsis)
	calls := fs.Float64("calls", 0, "calls (or chat sessions) expected in one interval (required)")
	interval := fs.Duration("interval", 30*time.Minute, "length of the interval the calls arrive in")
	aht := fs.Duration("aht", 0, "average handle time of one call (required)")
	agents := fs.Int("agents", 0, "report what this many agents achieve instead of finding the fewest")
	var g staffingGoals
	g.register(fs, model == "erlang-a")
	g.required = true
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return vernost.Invalid("args", "unexpected %q", fs.Arg(0))
	}
	if !staffingFlagGiven(fs, "calls") {
		return vernost.Invalid("calls", "required: the calls expected in one --interval")
	}
	target, err := g.parse()
	if err != nil {
		return err
	}
	a, err := staffing.Load(*calls, *interval, *aht)
	if err != nil {
		return err
	}
	q := staffing.Queue{Load: a, AHT: *aht, Patience: g.patience, Concurrency: g.concurrency}
	var r staffing.Result
	if *agents != 0 {
		r, err = q.Evaluate(*agents, target.AnswerTime)
	} else {
		r, err = q.Staff(target)
	}
	if err != nil {
		return err
	}
	sched, err := staffing.Scheduled(r.Agents, g.shrinkage)
	if err != nil {
		return err
	}
	if g.asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(staffingJSON{
			Model: model, Load: a, Agents: r.Agents, Servers: r.Servers, Scheduled: sched, Shrinkage: g.shrinkage,
			PWait: r.PWait, PAbandon: r.PAbandon, ServiceLevel: r.ServiceLevel,
			AnswerTimeSeconds: target.AnswerTime.Seconds(), ASASeconds: r.ASA.Seconds(), Occupancy: r.Occupancy,
		})
	}
	w := env.Stdout
	fmt.Fprintf(w, "load           %.2f Erlangs (%g calls per %v, AHT %v)\n", a, *calls, *interval, *aht)
	fmt.Fprintf(w, "agents         %d\n", r.Agents)
	if g.concurrency > 1 {
		fmt.Fprintf(w, "servers        %d (%d sessions per agent)\n", r.Servers, g.concurrency)
	}
	fmt.Fprintf(w, "scheduled      %d (shrinkage %.0f%%)\n", sched, 100*g.shrinkage)
	fmt.Fprintf(w, "P(wait)        %.2f%%\n", 100*r.PWait)
	if model == "erlang-a" {
		fmt.Fprintf(w, "abandoned      %.2f%% (mean patience %v)\n", 100*r.PAbandon, g.patience)
	}
	fmt.Fprintf(w, "service level  %.2f%% answered within %v (goal %g%%)\n", 100*r.ServiceLevel, target.AnswerTime, 100*target.ServiceLevel)
	fmt.Fprintf(w, "ASA            %.2fs\n", r.ASA.Seconds())
	fmt.Fprintf(w, "occupancy      %.1f%%\n", 100*r.Occupancy)
	return nil
}

// planRowJSON and planJSON are the plan as printed by --json.
type planRowJSON struct {
	Start        string  `json:"start"`
	Volume       float64 `json:"volume"`
	AHTSeconds   float64 `json:"aht_seconds"`
	Load         float64 `json:"load_erlangs"`
	Agents       int     `json:"agents"`
	Scheduled    int     `json:"scheduled"`
	ServiceLevel float64 `json:"service_level"`
	ASASeconds   float64 `json:"asa_seconds"`
	Occupancy    float64 `json:"occupancy"`
	PAbandon     float64 `json:"p_abandon"`
}

type planJSON struct {
	IntervalMinutes float64       `json:"interval_minutes"`
	Rows            []planRowJSON `json:"rows"`
	Volume          float64       `json:"volume"`
	AgentHours      float64       `json:"agent_hours"`
	ScheduledHours  float64       `json:"scheduled_hours"`
	PeakAgents      int           `json:"peak_agents"`
	PeakScheduled   int           `json:"peak_scheduled"`
}

func runStaffingPlan(env *Env, args []string) error {
	fs := newFlags(env, "staffing plan", "staffing plan --forecast FILE [--aht DURATION] [--interval DURATION] [--target 80/20s] "+
		"[--patience DURATION] [--max-occupancy SHARE] [--max-asa DURATION] [--max-abandon SHARE] [--shrinkage SHARE] [--concurrency K] [--json]\n\n"+
		"The forecast is CSV with a header: start (HH:MM or RFC 3339), volume, and optionally aht_seconds.")
	path := fs.String("forecast", "", "forecast CSV file, or - for standard input (required)")
	aht := fs.Duration("aht", 0, "handle time for rows without aht_seconds")
	interval := fs.Duration("interval", 0, "interval length (default: the smallest gap between starts)")
	var g staffingGoals
	g.register(fs, true)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return vernost.Invalid("args", "unexpected %q", fs.Arg(0))
	}
	if *path == "" {
		return vernost.Invalid("forecast", "required: a CSV file, or - for standard input")
	}
	target, err := g.parse()
	if err != nil {
		return err
	}
	f, err := readForecast(env, *path)
	if err != nil {
		return err
	}
	p, err := staffing.MakePlan(f, staffing.PlanOptions{
		Target: target, AHT: *aht, Patience: g.patience, Concurrency: g.concurrency,
		Shrinkage: g.shrinkage, Interval: *interval,
	})
	if err != nil {
		return fmt.Errorf("%s: %w", *path, err)
	}
	if g.asJSON {
		return writePlanJSON(env.Stdout, p)
	}
	return writePlanTable(env.Stdout, p, g.patience > 0)
}

// staffingFlagGiven reports whether the flag was given on the command line.
func staffingFlagGiven(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func readForecast(env *Env, path string) (staffing.Forecast, error) {
	if path == "-" {
		return staffing.ParseForecast(bufio.NewReader(env.Stdin))
	}
	file, err := os.Open(path)
	if err != nil {
		return staffing.Forecast{}, vernost.Invalid("forecast", "cannot open %s: %v", path, err)
	}
	defer file.Close()
	f, err := staffing.ParseForecast(bufio.NewReader(file))
	if err != nil {
		return f, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

func writePlanJSON(w io.Writer, p staffing.Plan) error {
	out := planJSON{
		IntervalMinutes: p.Interval.Minutes(), Rows: make([]planRowJSON, 0, len(p.Rows)),
		Volume: p.Volume, AgentHours: p.AgentHours, ScheduledHours: p.ScheduledHours,
		PeakAgents: p.PeakAgents, PeakScheduled: p.PeakScheduled,
	}
	for _, r := range p.Rows {
		out.Rows = append(out.Rows, planRowJSON{
			Start: r.Start, Volume: r.Volume, AHTSeconds: r.AHT.Seconds(), Load: r.Load,
			Agents: r.Agents, Scheduled: r.Scheduled, ServiceLevel: r.ServiceLevel,
			ASASeconds: r.ASA.Seconds(), Occupancy: r.Occupancy, PAbandon: r.PAbandon,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writePlanTable(w io.Writer, p staffing.Plan, abandon bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "start\tvolume\tAHT\tload\tagents\tscheduled\tSL\tASA\toccupancy\t"
	if abandon {
		head += "abandoned\t"
	}
	fmt.Fprintln(tw, head)
	for _, r := range p.Rows {
		fmt.Fprintf(tw, "%s\t%g\t%v\t%.2f\t%d\t%d\t%.1f%%\t%.1fs\t%.1f%%\t", r.Start, r.Volume, r.AHT, r.Load,
			r.Agents, r.Scheduled, 100*r.ServiceLevel, r.ASA.Seconds(), 100*r.Occupancy)
		if abandon {
			fmt.Fprintf(tw, "%.1f%%\t", 100*r.PAbandon)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d intervals of %v: %g calls, %.1f agent-hours on the phones, %.1f scheduled hours; peak %d agents, %d scheduled\n",
		len(p.Rows), p.Interval, p.Volume, p.AgentHours, p.ScheduledHours, p.PeakAgents, p.PeakScheduled)
	return nil
}
