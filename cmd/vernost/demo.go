package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/demo"
)

// demoPassword signs in every demo operator. It is printed at start-up: the
// demo is for trying the product, never for real data.
const demoPassword = "vernost-demo"

// demoCustomers is how many customers the demo organisation has.
const demoCustomers = 5000

// seedDemo fills an empty database with the demo organisation: operators in
// every role (logins from demo.Operators, e.g. admin, e.morozova,
// m.ivanova) and demoCustomers customers. A database with any user or
// customer is left alone.
func seedDemo(ctx context.Context, env *Env, s *services, a *auth.Service) error {
	users, err := a.ListUsers(ctx)
	if err != nil {
		return err
	}
	n, err := s.customer.Count(ctx)
	if err != nil {
		return err
	}
	if len(users) > 0 || n > 0 {
		fmt.Fprintln(env.Stderr, "demo: the database is not empty; leaving it as it is")
		return nil
	}
	managerIDs := map[string]string{}
	for _, op := range demo.Operators() {
		u, err := a.CreateUser(ctx, auth.NewUser{Login: op.Login, Name: op.GivenName + " " + op.FamilyName,
			Email: op.Login + "@demo.vernost.local", Password: demoPassword, Role: vernost.Role(op.Role), Locale: "ru"})
		if err != nil {
			return fmt.Errorf("operator %s: %w", op.Login, err)
		}
		managerIDs[op.Login] = u.PublicID
	}
	v, err := s.customer.NewValidator(ctx)
	if err != nil {
		return err
	}
	gen := demo.Generator{Seed: 2026}
	var batch []*customer.Valid
	flush := func() error {
		res, err := s.customer.UpsertBatch(ctx, batch, customer.BatchOptions{Source: "demo"})
		for _, r := range res {
			if err == nil && r.Err != nil {
				err = r.Err
			}
		}
		batch = batch[:0]
		return err
	}
	for i := 0; i < demoCustomers; i++ {
		valid, err := v.Check(demoInput(gen.Next(), managerIDs))
		if err != nil {
			return fmt.Errorf("demo customer %d: %w", i+1, err)
		}
		if batch = append(batch, valid); len(batch) == 500 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(batch) > 0 {
		if err := flush(); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stderr, "demo: created %d operators and %d customers\n", len(managerIDs), demoCustomers)
	return nil
}

// demoLogins names one demo operator of each role, for the start-up banner.
func demoLogins() string {
	var out []string
	seen := map[string]bool{}
	for _, op := range demo.Operators() {
		if !seen[op.Role] {
			seen[op.Role] = true
			out = append(out, op.Login+" ("+op.Role+")")
		}
	}
	return strings.Join(out, ", ")
}

// demoInput turns a generated person into a customer input.
func demoInput(p demo.Person, managerIDs map[string]string) customer.Input {
	form := "informal"
	if p.Formal {
		form = "formal"
	}
	birth := p.BirthDate.Format("2006-01-02")
	in := customer.Input{FamilyName: &p.FamilyName, GivenName: &p.GivenName, Patronymic: &p.Patronymic,
		PreferredName: &p.PreferredName, AddressForm: &form, Pronunciation: &p.Pronunciation, BirthDate: &birth,
		Persona: &p.Persona, PreferredChannel: &p.PreferredChannel, Language: &p.Language, Wish: &p.Wish}
	if id, ok := managerIDs[p.Manager]; ok {
		in.Manager = &id
		in.Tags = append(in.Tags, "key customer")
	}
	for _, id := range p.Identities {
		in.Identities = append(in.Identities, customer.IdentityInput{Kind: id.Kind, Value: id.Raw})
	}
	for _, f := range p.Facts {
		in.Facts = append(in.Facts, customer.FactInput{Kind: f.Kind, Text: f.Text, Pinned: f.Kind == demo.FactPromise})
	}
	in.Consents = append(in.Consents, customer.ConsentInput{Channel: "phone", Purpose: "service", Granted: true, Source: "demo: service contract"})
	for _, ch := range p.Consents {
		in.Consents = append(in.Consents, customer.ConsentInput{Channel: ch, Purpose: "marketing", Granted: true, Source: "demo: signed at a branch"})
	}
	if p.Persona == demo.PersonaStatus {
		in.Tags = append(in.Tags, "vip")
	}
	if strings.HasPrefix(p.Language, "en") {
		in.TimeZone = ptr("Europe/London")
	} else {
		in.TimeZone = ptr("Europe/Moscow")
	}
	return in
}

func ptr(s string) *string { return &s }
