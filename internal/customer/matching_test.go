package customer_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/vernost/vernost/internal/customer"
)

// matchDuplicates runs a matching pass and lists what it found.
func matchDuplicates(t *testing.T, f *fixture) []customer.DuplicatePair {
	t.Helper()
	if _, err := f.svc.MatchDuplicates(f.ctx); err != nil {
		t.Fatalf("match duplicates: %v", err)
	}
	list, err := f.svc.Duplicates(f.ctx, 100)
	if err != nil {
		t.Fatalf("duplicates: %v", err)
	}
	if list.MatchedAt == nil {
		t.Fatal("duplicates after a pass carry no time of the pass")
	}
	return list.Pairs
}

func TestMatchingFindsPairsAndForgetsResolvedOnes(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		if list, err := f.svc.Duplicates(f.ctx, 10); err != nil || list.MatchedAt != nil || len(list.Pairs) != 0 {
			t.Fatalf("before any pass: %+v, %v; want no pairs and no time", list, err)
		}
		birth := str("1975-03-08")
		a := mustCreate(t, f, customer.Input{FamilyName: str("Ёлкина"), GivenName: str("Анна"), BirthDate: birth})
		b := mustCreate(t, f, customer.Input{FamilyName: str("Елкина"), GivenName: str("анна"), BirthDate: birth})
		mustCreate(t, f, customer.Input{FamilyName: str("Елкина"), GivenName: str("Анна"), BirthDate: str("1975-03-09")})
		mustCreate(t, f, customer.Input{FamilyName: str("Петров"), GivenName: str("Пётр"),
			Identities: []customer.IdentityInput{email("info@shop.example")}})
		mustCreate(t, f, customer.Input{FamilyName: str("Сидоров"), GivenName: str("Иван"),
			Identities: []customer.IdentityInput{email("info@bank.example")}}) // a shared fragment, not a similar name

		dups := matchDuplicates(t, f)
		if len(dups) != 1 || dups[0].Reason != "name_and_birth_date" || dups[0].A.PublicID != a.PublicID || dups[0].B.PublicID != b.PublicID {
			t.Fatalf("pairs %+v, want only Ёлкина/Елкина born the same day", dups)
		}

		// A pass replaces the findings: the pair goes once one card is renamed.
		if _, err := f.svc.Update(f.ctx, b.PublicID, customer.Input{FamilyName: str("Смирнова")}); err != nil {
			t.Fatal(err)
		}
		if dups := matchDuplicates(t, f); len(dups) != 0 {
			t.Errorf("pairs after a rename: %+v", dups)
		}
	})
}

func TestMatchingTellsWhenCardsChanged(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		birth := str("1980-01-01")
		mustCreate(t, f, customer.Input{FamilyName: str("Орлов"), GivenName: str("Олег"), BirthDate: birth})
		// Nothing matched yet: the refresh runs a pass and, at this size,
		// finishes well within the wait.
		if err := f.svc.RefreshDuplicates(f.ctx, time.Minute); err != nil {
			t.Fatal(err)
		}
		first, err := f.svc.Duplicates(f.ctx, 10)
		if err != nil || first.MatchedAt == nil || len(first.Pairs) != 0 {
			t.Fatalf("after the first refresh: %+v, %v", first, err)
		}
		f.clock.Advance(time.Hour)
		// No card changed: no pass, the time stays.
		if err := f.svc.RefreshDuplicates(f.ctx, time.Minute); err != nil {
			t.Fatal(err)
		}
		if same, _ := f.svc.Duplicates(f.ctx, 10); !same.MatchedAt.Equal(*first.MatchedAt) {
			t.Errorf("a refresh without changes ran a pass: %v, then %v", first.MatchedAt, same.MatchedAt)
		}
		mustCreate(t, f, customer.Input{FamilyName: str("Орлов"), GivenName: str("Олег"), BirthDate: birth})
		if err := f.svc.RefreshDuplicates(f.ctx, time.Minute); err != nil {
			t.Fatal(err)
		}
		after, _ := f.svc.Duplicates(f.ctx, 10)
		if !after.MatchedAt.After(*first.MatchedAt) || len(after.Pairs) != 1 {
			t.Errorf("after a new twin: %+v, want a newer pass with the pair", after)
		}
	})
}

func TestMatchingSkipsKeysSharedByTooMany(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		// 51 "Иванов Иван" with one birth date: no evidence, and 1,275
		// pairs would bury the real ones.
		val, err := f.svc.NewValidator(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		var batch []*customer.Valid
		for i := range 51 {
			v, err := val.Check(customer.Input{FamilyName: str("Иванов"), GivenName: str("Иван"), BirthDate: str("1990-01-01"),
				Identities: []customer.IdentityInput{phone(fmt.Sprintf("+7916%07d", i))}})
			if err != nil {
				t.Fatal(err)
			}
			batch = append(batch, v)
		}
		if _, err := f.svc.UpsertBatch(f.ctx, batch, customer.BatchOptions{Source: "test"}); err != nil {
			t.Fatal(err)
		}
		mustCreate(t, f, customer.Input{FamilyName: str("Зайцева"), GivenName: str("Зоя"), BirthDate: str("1990-01-01")})
		mustCreate(t, f, customer.Input{FamilyName: str("Зайцева"), GivenName: str("Зоя"), BirthDate: str("1990-01-01")})
		rep, err := f.svc.MatchDuplicates(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Pairs != 1 || rep.SkippedGroups != 1 {
			t.Errorf("report %+v, want the one Зайцева pair and the Иванов group skipped", rep)
		}
	})
}
