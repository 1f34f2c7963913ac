package sqldb

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// Migrations are forward-only plain SQL, one folder per dialect with the same
// file names (a test checks), applied in name order, each in its own
// transaction.
//
//go:embed migrations
var migrations embed.FS

// Migrate applies the migrations not yet applied and returns their names.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	dir := "migrations/" + db.Dialect
	names, err := migrationNames(dir)
	if err != nil {
		return nil, err
	}
	unlock, err := db.lockMigrations(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if _, err := db.W.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY,
		applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)`); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	done := map[string]bool{}
	rows, err := db.W.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		done[n] = true
	}
	rows.Close()
	var applied []string
	for _, name := range names {
		if done[name] {
			continue
		}
		body, err := fs.ReadFile(migrations, dir+"/"+name)
		if err != nil {
			return applied, err
		}
		err = db.WithTx(ctx, func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name) VALUES ($1)`, name)
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("migration %s: %w", name, err)
		}
		applied = append(applied, name)
	}
	return applied, nil
}

// Pending returns the migrations not yet applied, without applying them.
func (db *DB) Pending(ctx context.Context) ([]string, error) {
	names, err := migrationNames("migrations/" + db.Dialect)
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	if rows, err := db.R.QueryContext(ctx, `SELECT name FROM schema_migrations`); err == nil {
		for rows.Next() {
			var n string
			if rows.Scan(&n) == nil {
				done[n] = true
			}
		}
		rows.Close()
	}
	var out []string
	for _, n := range names {
		if !done[n] {
			out = append(out, n)
		}
	}
	return out, nil
}

func migrationNames(dir string) ([]string, error) {
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// lockMigrations keeps two nodes sharing one PostgreSQL from migrating at
// once. SQLite's single writer already serialises them.
func (db *DB) lockMigrations(ctx context.Context) (func(), error) {
	if db.Dialect != Postgres {
		return func() {}, nil
	}
	conn, err := db.W.Conn(ctx)
	if err != nil {
		return nil, err
	}
	const key = 0x7665726e6f7374 // "vernost"
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		conn.Close()
		return nil, fmt.Errorf("lock migrations: %w", err)
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, key)
		conn.Close()
	}, nil
}
