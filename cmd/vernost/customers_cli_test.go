package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs vernost with args and no input.
func cli(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	code, stdout, stderr = runCLI(t, "", args...)
	return stdout, stderr, code
}

func TestImportExportBackupRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	src := filepath.Join(dir, "clients.csv")
	csv := "Фамилия,Имя,Отчество,Телефон,E-mail\n" +
		"Иванова,Анна,Сергеевна,8 916 123-45-67,anna@example.ru\n" +
		"Петров,Пётр,,+7 903 111 22 33,\n" +
		"Плохой,Телефон,,12,\n"
	if err := os.WriteFile(src, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs, code := cli(t, "import", "customers", "--db", db, "--quiet", src)
	if code != 0 || !strings.Contains(out, "created 2") || !strings.Contains(out, "rejected 1") {
		t.Fatalf("import: code %d\n%s\n%s", code, out, errs)
	}
	rejects, err := os.ReadFile(src + ".rejects.csv")
	if err != nil || !strings.Contains(string(rejects), "4,identities[0].value") {
		t.Errorf("rejects file: %v\n%s", err, rejects)
	}
	out, errs, code = cli(t, "export", "customers", "--db", db)
	if code != 0 || strings.Count(out, "\n") != 3 || !strings.Contains(out, "+79161234567") {
		t.Fatalf("export: code %d\n%s\n%s", code, out, errs)
	}
	// An export imports back without changing anything.
	exported := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(exported, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs, code = cli(t, "import", "customers", "--db", db, "--quiet", exported)
	if code != 0 || !strings.Contains(out, "unchanged 2") {
		t.Errorf("re-import of export: code %d\n%s\n%s", code, out, errs)
	}
	out, _, code = cli(t, "export", "customers", "--db", db, "--format", "jsonl")
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(out, `"given_name":"Пётр"`) {
		t.Errorf("jsonl export: %d\n%s", code, out)
	}
	backup := filepath.Join(dir, "copy.db")
	if _, errs, code = cli(t, "backup", "--db", db, backup); code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	out, _, code = cli(t, "export", "customers", "--db", backup)
	if code != 0 || strings.Count(out, "\n") != 3 {
		t.Errorf("export from backup: %d\n%s", code, out)
	}
	if _, errs, code = cli(t, "backup", "--db", db, backup); code != 2 || !strings.Contains(errs, "exists") {
		t.Errorf("backup over an existing file: code %d %s", code, errs)
	}
	if _, errs, code = cli(t, "backup", "--db", "postgres://u@127.0.0.1/x", filepath.Join(dir, "pg")); code != 1 || !strings.Contains(errs, "pg_dump") {
		t.Errorf("backup of postgres: code %d %s", code, errs)
	}
}
