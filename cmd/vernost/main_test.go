package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runCLI runs vernost in-process with args and the given standard input,
// and returns the exit status and what it printed.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIEnv(t, nil, stdin, args...)
}

// runCLIEnv is runCLI with environment variables.
func runCLIEnv(t *testing.T, vars map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return vars[k] }
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: getenv}
	code = run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func TestUnknownCommandAndHelp(t *testing.T) {
	if code, _, stderr := runCLI(t, "", "frobnicate"); code != 2 || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: code %d, %q", code, stderr)
	}
	code, _, stderr := runCLI(t, "", "--help")
	if code != 0 {
		t.Errorf("--help: code %d", code)
	}
	for name := range commands {
		if !strings.Contains(stderr, "  "+name+" ") {
			t.Errorf("--help does not list %s:\n%s", name, stderr)
		}
	}
}
