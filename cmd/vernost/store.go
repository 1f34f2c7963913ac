package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/vernost/vernost/internal/sqldb"
)

// defaultDB is the embedded default: a SQLite file under ./vernost-data/.
const defaultDB = "vernost-data/vernost.db"

// dbFlag adds --db to fs, defaulting to $VERNOST_DB, then the embedded file.
func dbFlag(fs *flag.FlagSet, env *Env) *string {
	def := env.Getenv("VERNOST_DB")
	if def == "" {
		def = defaultDB
	}
	return fs.String("db", def, "database: a SQLite file path or a postgres:// DSN (env VERNOST_DB)")
}

// openStore opens the database and brings its schema up to date, so every
// command works on a fresh file without a separate migrate step.
func openStore(ctx context.Context, env *Env, dsn string) (*sqldb.DB, error) {
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if len(applied) > 0 {
		fmt.Fprintf(env.Stderr, "applied %d migration(s) to %s\n", len(applied), redactDSN(dsn))
	}
	return db, nil
}

// redactDSN hides a password in a DSN before it is printed.
func redactDSN(dsn string) string {
	if !sqldb.IsPostgres(dsn) {
		return dsn
	}
	return sqldb.Redact(dsn)
}
