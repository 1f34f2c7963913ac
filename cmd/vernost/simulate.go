package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/vernost/vernost/internal/routing/sim"
)

func init() {
	register(command{Name: "simulate", Summary: "simulate a contact-center day from a scenario file", Run: runSimulate})
}

const simulateSynopsis = "simulate [--json] [--totals] [--seed N] SCENARIO.yaml|SCENARIO.json"

// runSimulate loads a scenario, runs it through the routing engine and
// prints the report. Flags may come before or after the file.
func runSimulate(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "simulate", simulateSynopsis)
	asJSON := fs.Bool("json", false, "write the report as JSON")
	totals := fs.Bool("totals", false, "leave out the per-interval rows")
	seed := fs.Uint64("seed", 0, "random seed (default: the scenario's seed)")
	files, err := splitSimulateArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fmt.Fprintf(env.Stderr, "vernost simulate: want one scenario file, got %d\n", len(files))
		fs.Usage()
		return errUsage
	}
	s, err := sim.Load(files[0])
	if err != nil {
		return fmt.Errorf("%s: %w", files[0], err)
	}
	if simulateFlagGiven(fs, "seed") {
		s.Seed = *seed
	}
	rep, err := sim.Run(ctx, s)
	if err != nil {
		return err
	}
	if *totals {
		rep.Intervals = nil
	}
	if *asJSON {
		return rep.WriteJSON(env.Stdout)
	}
	return rep.WriteTable(env.Stdout)
}

// splitSimulateArgs parses flags wherever they stand among the positional
// arguments (the flag package alone stops at the first of those) and
// returns the positional ones.
func splitSimulateArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// simulateFlagGiven reports whether the flag was given on the command line.
func simulateFlagGiven(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
