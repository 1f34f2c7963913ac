package customer_test

import (
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/customer"
)

func TestManagerHandoverKeepsHistory(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		users, err := auth.New(f.ctx, f.db, f.clock, f.audit)
		if err != nil {
			t.Fatal(err)
		}
		newManager := func(login string) string {
			u, err := users.CreateUser(f.ctx, auth.NewUser{Login: login, Name: login, Password: "long-enough-password", Role: vernost.RoleAgent})
			if err != nil {
				t.Fatal(err)
			}
			return u.PublicID
		}
		anna, boris := newManager("anna"), newManager("boris")
		c := mustCreate(t, f, customer.Input{FamilyName: str("Лебедев"), Manager: &anna, Identities: []customer.IdentityInput{phone("+79160001122")}})
		if c.Manager == nil || c.Manager.ID != anna {
			t.Fatalf("manager %+v, want anna", c.Manager)
		}
		// An import only fills blanks: it never takes a customer from a manager.
		v, _ := f.svc.NewValidator(f.ctx)
		valid, err := v.Check(customer.Input{Manager: &boris, Identities: []customer.IdentityInput{phone("+79160001122")}})
		if err != nil {
			t.Fatal(err)
		}
		if res, err := f.svc.UpsertBatch(f.ctx, []*customer.Valid{valid}, customer.BatchOptions{Source: "x.csv"}); err != nil || res[0].Outcome != customer.Unchanged {
			t.Errorf("import with another manager: %+v %v, want unchanged", res, err)
		}
		f.clock.Advance(3600e9)
		if c, err = f.svc.Update(f.ctx, c.PublicID, customer.Input{Manager: &boris}); err != nil || c.Manager == nil || c.Manager.ID != boris {
			t.Fatalf("handover: %+v %v", c.Manager, err)
		}
		f.clock.Advance(3600e9)
		if c, err = f.svc.Update(f.ctx, c.PublicID, customer.Input{Manager: str("")}); err != nil || c.Manager != nil {
			t.Fatalf("clear manager: %+v %v", c.Manager, err)
		}
		hist, err := f.svc.ManagerHistory(f.ctx, c.PublicID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 2 || hist[0].Manager.ID != boris || hist[1].Manager.ID != anna || hist[0].To == nil || hist[1].To == nil ||
			!hist[1].To.Equal(hist[0].From) {
			t.Errorf("history %+v, want boris then anna, both closed, back to back", hist)
		}
		tl, _ := f.svc.Timeline(f.ctx, c.PublicID, 0, 10)
		if tl[0].Kind != customer.EventManager || tl[0].Data.Changes[0].Old != "boris" || tl[1].Data.Changes[0].New != "boris" {
			t.Errorf("timeline %+v, want the two manager changes", tl[:2])
		}
		if _, err := f.svc.Update(f.ctx, c.PublicID, customer.Input{Manager: str("nosuchuser000000")}); vernost.ErrorField(err) != "manager" {
			t.Errorf("unknown manager: %v, want an error naming manager", err)
		}
	})
}
