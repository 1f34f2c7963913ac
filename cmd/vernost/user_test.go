package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/sqldb"
)

// runUserCLI runs vernost with args and stdin against the database in
// VERNOST_DB=dbPath and returns the exit status and output.
func runUserCLI(t *testing.T, dbPath, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIEnv(t, map[string]string{"VERNOST_DB": dbPath}, stdin, args...)
}

// openUserDB opens the CLI's database file for checking what it wrote.
func openUserDB(t *testing.T, path string) (*auth.Service, *audit.Log) {
	t.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log, err := audit.New(ctx, db, vernost.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(log.Close)
	svc, err := auth.New(ctx, db, vernost.SystemClock{}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	return svc, log
}

func TestUserAddListPasswd(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "v.db")
	steps := []struct {
		stdin string
		args  []string
		want  string // on stdout
	}{
		{"correct horse battery\n", []string{"user", "add", "--login", "Root", "--name", "Root Admin", "--role", "admin", "--password-stdin"},
			"created user root (admin), id "},
		// Piped input is read without --password-stdin too; the flag only
		// matters on a terminal. The explicit --db overrides VERNOST_DB.
		{"пароль из слов\r\n", []string{"user", "add", "--db", dbPath, "--login", "ivan", "--name", "Иван Петров", "--role", "agent",
			"--email", "ivan@example.ru", "--locale", "en"}, "created user ivan (agent), id "},
		{"a new long passphrase\n", []string{"user", "passwd", "IVAN", "--password-stdin"}, "password of ivan changed"},
	}
	for _, st := range steps {
		code, out, errOut := runUserCLI(t, dbPath, st.stdin, st.args...)
		if code != 0 || !strings.HasPrefix(out, st.want) {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q; want 0 and %q", st.args, code, out, errOut, st.want)
		}
	}

	code, out, errOut := runUserCLI(t, dbPath, "", "user", "list")
	if code != 0 {
		t.Fatalf("list: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	wantLines := []*regexp.Regexp{
		regexp.MustCompile(`^LOGIN\s+NAME\s+ROLE\s+ACTIVE\s+CREATED$`),
		regexp.MustCompile(`^ivan\s+Иван Петров\s+agent\s+yes\s+\d{4}-\d\d-\d\d \d\d:\d\d$`),
		regexp.MustCompile(`^root\s+Root Admin\s+admin\s+yes\s+\d{4}-\d\d-\d\d \d\d:\d\d$`),
	}
	if len(lines) != len(wantLines) {
		t.Fatalf("list printed %d lines, want %d:\n%s", len(lines), len(wantLines), out)
	}
	for i, re := range wantLines {
		if !re.MatchString(lines[i]) {
			t.Errorf("list line %d = %q, want to match %s", i, lines[i], re)
		}
	}

	svc, log := openUserDB(t, dbPath)
	ctx := context.Background()
	ivan, err := svc.UserByLogin(ctx, "ivan")
	if err != nil || ivan.Email != "ivan@example.ru" || ivan.Locale != "en" {
		t.Errorf("stored ivan = %+v, %v; want the email and locale given", ivan, err)
	}
	if _, _, _, err := svc.Login(ctx, "ivan", "a new long passphrase", "", ""); err != nil {
		t.Errorf("login with the password set by passwd: %v", err)
	}
	if _, _, _, err := svc.Login(ctx, "ivan", "пароль из слов", "", ""); vernost.ErrorCode(err) != vernost.EUnauthorized {
		t.Errorf("login with the replaced password: %v, want unauthorized", err)
	}
	if _, _, _, err := svc.Login(ctx, "root", "correct horse battery", "", ""); err != nil {
		t.Errorf("root login: %v", err)
	}
	entries, err := log.List(ctx, audit.Filter{ObjectType: "user", Action: "user.password"})
	if err != nil || len(entries) != 1 || entries[0].ActorName != "system" {
		t.Errorf("password audit entries %+v, %v; want one by system", entries, err)
	}
}

func TestUserBadInput(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "v.db")
	if code, _, errOut := runUserCLI(t, dbPath, "correct horse battery", "user", "add", "--login", "root", "--name", "Root", "--role", "admin"); code != 0 {
		t.Fatalf("setup: %s", errOut)
	}
	add := func(extra ...string) []string {
		return append([]string{"user", "add", "--login", "anna", "--name", "Anna", "--role", "agent"}, extra...)
	}
	tests := []struct {
		name       string
		stdin      string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"no subcommand", "", []string{"user"}, 2, "usage: vernost user"},
		{"unknown subcommand", "", []string{"user", "remove"}, 2, `unknown command "remove"`},
		{"unknown flag", "", add("--admin"), 2, "flag provided but not defined"},
		{"stray argument", "correct horse battery", add("extra"), 2, `unexpected argument "extra"`},
		{"missing role", "correct horse battery", []string{"user", "add", "--login", "anna", "--name", "Anna"}, 2, "role: --role is required"},
		{"missing name", "correct horse battery", []string{"user", "add", "--login", "anna", "--role", "agent"}, 2, "name: --name is required"},
		{"bad login", "correct horse battery", []string{"user", "add", "--login", "a", "--name", "A", "--role", "agent"}, 2, "login: must be 2 to 64"},
		{"bad role", "correct horse battery", []string{"user", "add", "--login", "anna", "--name", "A", "--role", "boss"}, 2, `role: "boss" is not a role`},
		{"bad locale", "correct horse battery", add("--locale", "de"), 2, "locale:"},
		{"short password", "short\n", add(), 2, "password: must be at least 10 characters"},
		{"no password", "", add(), 2, "password: none on standard input"},
		{"taken login", "correct horse battery", []string{"user", "add", "--login", "ROOT", "--name", "R", "--role", "agent"}, 1, `login "root" is taken`},
		{"passwd unknown login", "correct horse battery", []string{"user", "passwd", "ghost"}, 1, `no user with login "ghost"`},
		{"passwd without login", "correct horse battery", []string{"user", "passwd"}, 2, "usage: vernost user passwd"},
		{"passwd two logins", "correct horse battery", []string{"user", "passwd", "root", "anna"}, 2, "usage: vernost user passwd"},
		{"list with argument", "", []string{"user", "list", "all"}, 2, "usage: vernost user list"},
	}
	for _, tt := range tests {
		code, out, errOut := runUserCLI(t, dbPath, tt.stdin, tt.args...)
		if code != tt.wantCode || !strings.Contains(errOut, tt.wantStderr) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", tt.name, code, errOut, tt.wantCode, tt.wantStderr)
		}
		if out != "" {
			t.Errorf("%s: printed %q on stdout, want nothing", tt.name, out)
		}
	}
	code, out, _ := runUserCLI(t, dbPath, "", "user", "list")
	if code != 0 || strings.Count(out, "\n") != 2 {
		t.Errorf("after the bad input, list = %q (exit %d); want the header and root only", out, code)
	}
}

func TestUserHelp(t *testing.T) {
	code, out, errOut := runUserCLI(t, filepath.Join(t.TempDir(), "v.db"), "", "user", "--help")
	if code != 0 || !strings.Contains(errOut, "passwd  LOGIN") || out != "" {
		t.Errorf("user --help: exit %d, stdout %q, stderr %q; want 0 and the usage on stderr", code, out, errOut)
	}
}
