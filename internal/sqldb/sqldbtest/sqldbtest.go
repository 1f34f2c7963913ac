// Package sqldbtest gives tests a fresh, migrated database on every engine:
// SQLite always, and PostgreSQL too when VERNOST_TEST_POSTGRES holds a DSN.
// Each PostgreSQL test gets its own schema, so tests run in parallel and
// leave nothing behind.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/vernost/vernost/internal/sqldb"
)

// EnvPostgres names the variable holding the PostgreSQL DSN for tests.
const EnvPostgres = "VERNOST_TEST_POSTGRES"

// Each runs fn as a subtest once per available engine, each with a fresh
// migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	t.Run(sqldb.SQLite, func(t *testing.T) { fn(t, SQLite(t)) })
	if os.Getenv(EnvPostgres) != "" {
		t.Run(sqldb.Postgres, func(t *testing.T) { fn(t, Postgres(t)) })
	}
}

// Engines returns the engine names Each will run.
func Engines() []string {
	if os.Getenv(EnvPostgres) != "" {
		return []string{sqldb.SQLite, sqldb.Postgres}
	}
	return []string{sqldb.SQLite}
}

// Open returns a fresh migrated database of the named engine.
func Open(t testing.TB, engine string) *sqldb.DB {
	if engine == sqldb.Postgres {
		return Postgres(t)
	}
	return SQLite(t)
}

// SQLite returns a fresh migrated SQLite database in a temporary directory
// (a real file, so WAL and the reader pool behave as in production).
func SQLite(t testing.TB) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	migrate(t, db)
	return db
}

// Postgres returns a fresh migrated PostgreSQL schema, or skips the test
// when VERNOST_TEST_POSTGRES is unset.
func Postgres(t testing.TB) *sqldb.DB {
	t.Helper()
	dsn := os.Getenv(EnvPostgres)
	if dsn == "" {
		t.Skipf("%s is not set", EnvPostgres)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", dsn)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := sqldb.Open(context.Background(), u.String())
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	migrate(t, db)
	return db
}

func migrate(t testing.TB, db *sqldb.DB) {
	t.Helper()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", db.Dialect, err)
	}
}
