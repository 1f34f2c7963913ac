package main

import (
	"context"
	"fmt"
	"os"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
)

func init() {
	register(command{Name: "backup", Summary: "copy the SQLite database to a file while it runs", Run: runBackup})
}

func runBackup(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "backup", "backup [--db DSN] FILE")
	dsn := dbFlag(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	if sqldb.IsPostgres(*dsn) {
		return vernost.Errorf(vernost.EUnavailable, "backup copies SQLite files; for PostgreSQL use its own tools, "+
			"e.g. pg_dump --format=custom --file=%s '%s' (and pg_restore to restore)", fs.Arg(0), sqldb.Redact(*dsn))
	}
	target := fs.Arg(0)
	if _, err := os.Stat(target); err == nil {
		return vernost.Invalid("FILE", "%s exists; choose a new file name", target)
	}
	db, err := sqldb.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, target); err != nil {
		return err
	}
	st, err := os.Stat(target)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "backed up %s to %s (%d bytes)\n", *dsn, target, st.Size())
	return nil
}
