// Package repotest finds, for tests, files of this repository and the
// reference data sets kept beside it in ../shared/data, whatever the
// depth of the package the test runs in.
package repotest

import (
	"os"
	"path/filepath"
	"testing"
)

// Root returns the repository root: the nearest directory above the test's
// working directory that holds go.mod.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// File returns the path of a file given from the repository root.
func File(t testing.TB, rel ...string) string {
	t.Helper()
	return filepath.Join(append([]string{Root(t)}, rel...)...)
}

// SharedData returns the path of a reference data file under
// ../shared/data beside the repository, skipping the test when it is
// absent (CI always has it; .ci/run fails without it).
func SharedData(t testing.TB, rel ...string) string {
	t.Helper()
	path := filepath.Join(append([]string{Root(t), "..", "shared", "data"}, rel...)...)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("reference data %s is absent: %v", path, err)
	}
	return path
}
