package main

import (
	"context"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/sqldb"
)

// services are the domain services a command works with, wired once.
type services struct {
	db       *sqldb.DB
	clock    vernost.Clock
	audit    *audit.Log
	customer *customer.Service
}

// openServices opens the database (migrating it) and builds the services.
func openServices(ctx context.Context, env *Env, dsn string) (*services, error) {
	db, err := openStore(ctx, env, dsn)
	if err != nil {
		return nil, err
	}
	s := &services{db: db, clock: vernost.SystemClock{}}
	if s.audit, err = audit.New(ctx, db, s.clock); err != nil {
		db.Close()
		return nil, err
	}
	region := env.Getenv("VERNOST_PHONE_REGION")
	if s.customer, err = customer.New(ctx, db, s.clock, s.audit, customer.Config{DefaultRegion: region}); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *services) Close() {
	s.customer.Close()
	s.audit.Close()
	s.db.Close()
}

// cliActor is who the audit log names for work done at the terminal.
func cliActor(env *Env) vernost.Actor {
	a := vernost.System
	if u := env.Getenv("USER"); u != "" {
		a.Name = "cli:" + u
	} else {
		a.Name = "cli"
	}
	return a
}
