package main

import (
	"context"
	"fmt"

	"github.com/vernost/vernost/internal/sqldb"
)

func init() {
	register(command{Name: "migrate", Summary: "bring the database schema up to date", Run: runMigrate})
}

func runMigrate(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "migrate", "migrate [--db DSN] [--status]")
	dsn := dbFlag(fs, env)
	status := fs.Bool("status", false, "list pending migrations without applying them")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := sqldb.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if *status {
		pending, err := db.Pending(ctx)
		if err != nil {
			return err
		}
		if len(pending) == 0 {
			fmt.Fprintln(env.Stdout, "schema is up to date")
		}
		for _, p := range pending {
			fmt.Fprintln(env.Stdout, "pending:", p)
		}
		return nil
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	for _, a := range applied {
		fmt.Fprintln(env.Stdout, "applied:", a)
	}
	if len(applied) == 0 {
		fmt.Fprintln(env.Stdout, "schema is up to date")
	}
	return nil
}
