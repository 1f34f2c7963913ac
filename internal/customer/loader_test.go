package customer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/sqldb"
)

func check(t *testing.T, f *fixture, in customer.Input) *customer.Valid {
	t.Helper()
	v, err := f.svc.NewValidator(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	valid, err := v.Check(in)
	if err != nil {
		t.Fatalf("check %+v: %v", in, err)
	}
	return valid
}

// A load's batches share one transaction: nothing is visible or kept
// before Commit, a later batch sees the cards of an earlier one, and
// Rollback forgets them all.
func TestLoaderSpansBatches(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		first := []*customer.Valid{
			check(t, f, customer.Input{FamilyName: str("Ёлкина"), GivenName: str("Алёна"), Identities: []customer.IdentityInput{phone("+7 916 100-00-01")}}),
			check(t, f, customer.Input{FamilyName: str("Smith"), Identities: []customer.IdentityInput{email("j.smith@example.com"), phone("+7 916 100-00-02")}}),
		}
		second := []*customer.Valid{
			// The first batch's card, now with a birth date and a second phone.
			check(t, f, customer.Input{BirthDate: str("1990-05-01"), Identities: []customer.IdentityInput{phone("89161000001"), phone("+79161000003")}}),
			check(t, f, customer.Input{FamilyName: str("Петров"), Identities: []customer.IdentityInput{phone("+7 916 100-00-04")}}),
		}

		l := f.svc.NewLoader(customer.BatchOptions{Source: "load.csv"})
		res1, err := l.Upsert(f.ctx, first)
		if err != nil {
			t.Fatal(err)
		}
		res2, err := l.Upsert(f.ctx, second)
		if err != nil {
			t.Fatal(err)
		}
		if l.Pending() != 4 {
			t.Errorf("pending %d, want 4", l.Pending())
		}
		if res2[0].Outcome != customer.Updated || res2[0].PublicID != res1[0].PublicID || res2[1].Outcome != customer.Created {
			t.Errorf("second batch: %+v; want the first card updated, then a new one", res2)
		}
		if n, err := f.svc.Count(f.ctx); err != nil || n != 0 {
			t.Errorf("before commit: %d customers visible (%v), want 0", n, err)
		}
		l.Rollback()
		if n, err := f.svc.Count(f.ctx); err != nil || n != 0 {
			t.Errorf("after rollback: %d customers (%v), want 0", n, err)
		}

		l = f.svc.NewLoader(customer.BatchOptions{Source: "load.csv"})
		defer l.Rollback()
		if _, err := l.Upsert(f.ctx, first); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Upsert(f.ctx, second); err != nil {
			t.Fatal(err)
		}
		if err := l.Commit(); err != nil {
			t.Fatal(err)
		}
		if l.Pending() != 0 {
			t.Errorf("pending after commit %d", l.Pending())
		}
		c, err := f.svc.Lookup(f.ctx, "phone", "+79161000003")
		if err != nil {
			t.Fatal(err)
		}
		if c.FamilyName != "Ёлкина" || c.BirthDate != "1990-05-01" || len(c.Identities) != 2 {
			t.Errorf("card %s %s, %d identities; want Ёлкина born 1990-05-01 with 2 phones", c.FamilyName, c.BirthDate, len(c.Identities))
		}
		events, err := f.svc.Timeline(f.ctx, c.PublicID, 0, 10)
		if err != nil || len(events) == 0 || events[len(events)-1].Kind != customer.EventImported || events[len(events)-1].Data.Source != "load.csv" {
			t.Errorf("timeline %+v (%v): want it to start with the import from load.csv", events, err)
		}
		found, err := f.svc.Search(f.ctx, "елкина ал", 10)
		if err != nil || len(found) != 1 || found[0].PublicID != c.PublicID {
			t.Errorf("search for the loaded card: %+v (%v)", found, err)
		}
		if n, err := f.svc.Count(f.ctx); err != nil || n != 3 {
			t.Errorf("%d customers (%v), want 3", n, err)
		}
		noOrphans(t, f)
	})
}

// Rows that cannot be stored are rejected alone: identities of two
// different customers, an unknown manager. The rest of the batch, before
// and after them, is kept, and new cards get ids after the existing ones.
func TestLoaderRejectsRowsAlone(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		a := mustCreate(t, f, customer.Input{FamilyName: str("Первая"), Identities: []customer.IdentityInput{phone("+79161110001")}})
		b := mustCreate(t, f, customer.Input{FamilyName: str("Вторая"), Identities: []customer.IdentityInput{phone("+79161110002")}})
		items := []*customer.Valid{
			check(t, f, customer.Input{FamilyName: str("Новая"), Identities: []customer.IdentityInput{phone("+79161110003")}}),
			check(t, f, customer.Input{Identities: []customer.IdentityInput{phone("+79161110001"), phone("+79161110002")}}),
			check(t, f, customer.Input{FamilyName: str("Без менеджера"), Manager: str("no-such-user"), Identities: []customer.IdentityInput{phone("+79161110004")}}),
			check(t, f, customer.Input{FamilyName: str("Ещё одна"), Tags: []string{"vip"}, Identities: []customer.IdentityInput{phone("+79161110005")}}),
			check(t, f, customer.Input{Wish: str("звонить вечером"), Identities: []customer.IdentityInput{phone("+79161110002")}}),
		}
		res, err := f.svc.UpsertBatch(f.ctx, items, customer.BatchOptions{Source: "mixed.csv"})
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			outcome customer.Outcome
			code    string
			field   string
		}{{customer.Created, "", ""}, {"", vernost.EConflict, "identities"}, {"", vernost.EInvalid, "manager"}, {customer.Created, "", ""}, {customer.Updated, "", ""}}
		for i, w := range want {
			if res[i].Outcome != w.outcome || vernost.ErrorCode(res[i].Err) != w.code && w.code != "" || vernost.ErrorField(res[i].Err) != w.field {
				t.Errorf("item %d: %+v, want %s / %s on %q", i, res[i], w.outcome, w.code, w.field)
			}
		}
		if msg := vernost.ErrorMessage(res[1].Err); msg == "" || !strings.Contains(msg, a.PublicID) || !strings.Contains(msg, b.PublicID) {
			t.Errorf("conflict message %q should name both customers", msg)
		}
		got, err := f.svc.Get(f.ctx, res[3].PublicID)
		if err != nil || len(got.Tags) != 1 || got.Tags[0] != "vip" {
			t.Errorf("card with a tag: %+v (%v)", got, err)
		}
		if got, err := f.svc.Get(f.ctx, b.PublicID); err != nil || got.Wish != "звонить вечером" {
			t.Errorf("existing card: wish %q (%v)", got.Wish, err)
		}
		if _, err := f.svc.Lookup(f.ctx, "phone", "+79161110004"); vernost.ErrorCode(err) != vernost.ENotFound {
			t.Errorf("the rejected row's phone: %v, want not found", err)
		}
		// The service's own inserts and the loader's allocated ids interleave.
		c := mustCreate(t, f, customer.Input{FamilyName: str("После"), Identities: []customer.IdentityInput{phone("+79161110006")}})
		if n, err := f.svc.Count(f.ctx); err != nil || n != 5 {
			t.Errorf("%d customers (%v), want 5", n, err)
		}
		if c.PublicID <= res[3].PublicID {
			t.Errorf("public ids %s then %s: want them ascending", res[3].PublicID, c.PublicID)
		}
		noOrphans(t, f)
	})
}

// Many loads in a row, with cards created between them, never reuse an id.
func TestLoaderAllocatesFreshIDs(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		for round := range 3 {
			var items []*customer.Valid
			for i := range 5 {
				items = append(items, check(t, f, customer.Input{FamilyName: str("Загружен"), Identities: []customer.IdentityInput{phone(fmt.Sprintf("+7916222%02d%02d", round, i))}}))
			}
			res, err := f.svc.UpsertBatch(f.ctx, items, customer.BatchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range res {
				if r.Err != nil || r.Outcome != customer.Created {
					t.Fatalf("round %d item %d: %+v", round, i, r)
				}
			}
			mustCreate(t, f, customer.Input{FamilyName: str("Вручную"), Identities: []customer.IdentityInput{phone(fmt.Sprintf("+7916333%04d", round))}})
		}
		if n, err := f.svc.Count(f.ctx); err != nil || n != 18 {
			t.Errorf("%d customers (%v), want 18", n, err)
		}
		noOrphans(t, f)
	})
}

// After a load the search index is compacted and statistics refreshed;
// search finds the same cards as before.
func TestRefreshStatistics(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		for i := range 3 {
			var items []*customer.Valid
			for j := range 4 {
				items = append(items, check(t, f, customer.Input{FamilyName: str("Сергеева"), GivenName: str(fmt.Sprintf("Анна%d", j)),
					Identities: []customer.IdentityInput{phone(fmt.Sprintf("+7916444%02d%02d", i, j))}}))
			}
			if _, err := f.svc.UpsertBatch(f.ctx, items, customer.BatchOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		before, err := f.svc.Search(f.ctx, "серг ан", 50)
		if err != nil || len(before) != 12 {
			t.Fatalf("before: %d found (%v), want 12", len(before), err)
		}
		if err := f.svc.RefreshStatistics(f.ctx); err != nil {
			t.Fatal(err)
		}
		after, err := f.svc.Search(f.ctx, "серг ан", 50)
		if err != nil || len(after) != 12 {
			t.Errorf("after: %d found (%v), want 12", len(after), err)
		}
	})
}

// A row whose identities belong to an existing card and to a card made
// earlier in the same batch, not yet written, is rejected naming both.
func TestLoaderConflictWithAPendingCard(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		old := mustCreate(t, f, customer.Input{FamilyName: str("Старая"), Identities: []customer.IdentityInput{phone("+79165550001")}})
		res, err := f.svc.UpsertBatch(f.ctx, []*customer.Valid{
			check(t, f, customer.Input{FamilyName: str("Новая"), Identities: []customer.IdentityInput{phone("+79165550002")}}),
			check(t, f, customer.Input{Identities: []customer.IdentityInput{phone("+79165550002"), phone("+79165550001")}}),
		}, customer.BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Outcome != customer.Created || vernost.ErrorCode(res[1].Err) != vernost.EConflict {
			t.Fatalf("results %+v: want the new card created and the row joining both refused", res)
		}
		if msg := vernost.ErrorMessage(res[1].Err); !strings.Contains(msg, old.PublicID) || !strings.Contains(msg, res[0].PublicID) {
			t.Errorf("conflict %q should name %s and %s", msg, old.PublicID, res[0].PublicID)
		}
		noOrphans(t, f)
	})
}

// The name index rows of a load are written at its commit: a card renamed
// by a later batch is found once, by its new name, and an earlier card
// than the load's new ones is renamed in the index too.
func TestLoaderIndexesNamesAtCommit(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		old := mustCreate(t, f, customer.Input{FamilyName: str("Орлова"), Identities: []customer.IdentityInput{phone("+79162000001")}})
		l := f.svc.NewLoader(customer.BatchOptions{Source: "load.csv"})
		defer l.Rollback()
		batches := [][]*customer.Valid{
			{check(t, f, customer.Input{FamilyName: str("Белова"), Identities: []customer.IdentityInput{phone("+79162000002")}})},
			{
				check(t, f, customer.Input{GivenName: str("Вера"), Identities: []customer.IdentityInput{phone("+79162000002")}}),
				check(t, f, customer.Input{GivenName: str("Ольга"), Identities: []customer.IdentityInput{phone("+79162000001")}}),
			},
		}
		for _, b := range batches {
			if _, err := l.Upsert(f.ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		if hits, _ := f.svc.Search(f.ctx, "бел", 10); len(hits) != 0 {
			t.Errorf("found before the commit: %+v", hits)
		}
		if err := l.Commit(); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]string{"бел вер": "Белова Вера", "орл ольг": "Орлова Ольга"} {
			hits, err := f.svc.Search(f.ctx, q, 10)
			if err != nil || len(hits) != 1 || hits[0].FullName != want {
				t.Errorf("search %q: %+v, %v; want %s once", q, hits, err, want)
			}
		}
		if hits, _ := f.svc.Search(f.ctx, "орлова", 10); len(hits) != 1 || hits[0].PublicID != old.PublicID {
			t.Errorf("search орлова: %+v, want the earlier card once", hits)
		}
		noOrphans(t, f)
	})
}

// A load filters the keys it asks the database about, and a card another
// writer creates between the load's commits is still found by its
// identity: on SQLite the load drops its filter when it sees the other
// write, on PostgreSQL the duplicate key undoes the optimistic batch.
func TestLoaderSeesOtherWritersBetweenCommits(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		old := mustCreate(t, f, customer.Input{FamilyName: str("Зайцева"), Identities: []customer.IdentityInput{phone("+79163000001")}})
		l := f.svc.NewLoader(customer.BatchOptions{Source: "load.csv"})
		defer l.Rollback()
		upsert := func(in ...customer.Input) []customer.BatchResult {
			t.Helper()
			var batch []*customer.Valid
			for _, i := range in {
				batch = append(batch, check(t, f, i))
			}
			res, err := l.Upsert(f.ctx, batch)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range res {
				if r.Err != nil {
					t.Fatalf("row %d: %v", i, r.Err)
				}
			}
			return res
		}
		first := upsert(
			customer.Input{GivenName: str("Мария"), Identities: []customer.IdentityInput{phone("+79163000001")}},
			customer.Input{FamilyName: str("Кузнецов"), Identities: []customer.IdentityInput{phone("+79163000002")}},
		)
		if first[0].PublicID != old.PublicID || first[0].Outcome != customer.Updated {
			t.Fatalf("first batch %+v: want %s updated", first, old.PublicID)
		}
		// The first batch asked about more keys than the database held:
		// the second starts with a filter of every key, its own included.
		second := upsert(customer.Input{GivenName: str("Иван"), Identities: []customer.IdentityInput{phone("+79163000002"), email("kuznetsov@example.com")}})
		if !l.Filtering() {
			t.Fatal("the load did not build its filter")
		}
		if second[0].PublicID != first[1].PublicID {
			t.Fatalf("second batch %+v: want %s updated", second, first[1].PublicID)
		}
		if err := l.Commit(); err != nil {
			t.Fatal(err)
		}

		other := mustCreate(t, f, customer.Input{FamilyName: str("Соколова"), Identities: []customer.IdentityInput{email("sokolova@example.com")}})
		third := upsert(
			customer.Input{GivenName: str("Анна"), Identities: []customer.IdentityInput{email("Sokolova@Example.com")}},
			customer.Input{FamilyName: str("Лебедев"), Identities: []customer.IdentityInput{phone("+79163000003")}},
		)
		if third[0].PublicID != other.PublicID || third[0].Outcome != customer.Updated || third[1].Outcome != customer.Created {
			t.Fatalf("third batch %+v: want %s updated and a new card", third, other.PublicID)
		}
		if err := l.Commit(); err != nil {
			t.Fatal(err)
		}
		if want := f.db.Dialect == sqldb.Postgres; l.Filtering() != want {
			t.Errorf("filtering after another writer: %v, want %v", l.Filtering(), want)
		}
		if n, err := f.svc.Count(f.ctx); err != nil || n != 4 {
			t.Errorf("%d customers (%v), want 4", n, err)
		}
		c, err := f.svc.Lookup(f.ctx, "email", "sokolova@example.com")
		if err != nil || c.GivenName != "Анна" {
			t.Errorf("lookup after the load: %+v, %v; want Соколова Анна", c, err)
		}
		noOrphans(t, f)
	})
}

// noOrphans checks what SQLite's bulk transactions do not: that every row
// a load wrote refers to a row that exists.
func noOrphans(t *testing.T, f *fixture) {
	t.Helper()
	if f.db.Dialect != sqldb.SQLite {
		return // PostgreSQL checked each row as it was written
	}
	rows, err := f.db.R.QueryContext(f.ctx, "PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid, fk any
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			t.Fatal(err)
		}
		t.Errorf("%s row %v refers to a missing %s row", table, rowid, parent)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}
