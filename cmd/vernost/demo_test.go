package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/customer"
)

func TestSeedDemoFillsOnlyAnEmptyDatabase(t *testing.T) {
	var stderr bytes.Buffer
	env := &Env{Stdout: &bytes.Buffer{}, Stderr: &stderr, Getenv: func(string) string { return "" }}
	ctx := vernost.WithActor(context.Background(), vernost.Actor{Name: "demo", Role: vernost.RoleAdmin})
	s, err := openServices(ctx, env, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, err := auth.New(ctx, s.db, s.clock, s.audit)
	if err != nil {
		t.Fatal(err)
	}
	if err := seedDemo(ctx, env, s, a); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.customer.Count(ctx); n != demoCustomers {
		t.Errorf("%d customers, want %d", n, demoCustomers)
	}
	users, _ := a.ListUsers(ctx)
	roles := map[vernost.Role]int{}
	for _, u := range users {
		roles[u.Role]++
	}
	for _, r := range []vernost.Role{vernost.RoleAgent, vernost.RoleSupervisor, vernost.RoleAdmin} {
		if roles[r] == 0 {
			t.Errorf("no demo user with role %s", r)
		}
	}
	if _, _, _, err := a.Login(ctx, "admin", demoPassword, "127.0.0.1", "test"); err != nil {
		t.Errorf("demo admin cannot sign in: %v", err)
	}
	hits, err := s.customer.Search(ctx, "иван", 5)
	if err != nil || len(hits) == 0 {
		t.Errorf("search in demo data: %v %v", hits, err)
	}
	_, next, err := s.customer.List(ctx, customer.ListFilter{Limit: 100})
	if err != nil || next == "" {
		t.Errorf("list: next %q err %v", next, err)
	}
	c, err := s.customer.Get(ctx, hits[0].PublicID)
	if err != nil || len(c.Identities) == 0 || len(c.Consents) == 0 {
		t.Errorf("demo card lacks identities or consents: %+v %v", c, err)
	}
	if err := seedDemo(ctx, env, s, a); err != nil || !strings.Contains(stderr.String(), "not empty") {
		t.Errorf("second seed: %v, %q", err, stderr.String())
	}
	if n, _ := s.customer.Count(ctx); n != demoCustomers {
		t.Errorf("second seed changed the count to %d", n)
	}
}
