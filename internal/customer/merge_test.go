package customer_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/customer"
)

func TestMergeCarriesEverythingAndUndoes(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		if _, err := f.svc.DefineAttribute(f.ctx, customer.AttributeDef{Key: "contract", LabelRU: "Договор", Type: "text"}); err != nil {
			t.Fatal(err)
		}
		sv := mustCreate(t, f, customer.Input{FamilyName: str("Смирнова"), GivenName: str("Ольга"), BirthDate: str("1990-05-01"),
			Identities: []customer.IdentityInput{phone("+79160000001")}, Tags: []string{"VIP"}})
		ab := mustCreate(t, f, customer.Input{FamilyName: str("Смирнова"), GivenName: str("Ольга"), Patronymic: str("Игоревна"),
			BirthDate: str("1990-05-01"), Wish: str("звонить после 18:00"), Pronunciation: str("СмирнОва"),
			Identities: []customer.IdentityInput{phone("+79160000002"), email("olga@example.ru")},
			Tags:       []string{"пенсионер"}, Attributes: map[string]string{"contract": "Д-42"},
			Facts: []customer.FactInput{{Kind: "family", Text: "внук Миша"}}})

		dups := matchDuplicates(t, f)
		if len(dups) != 1 || dups[0].Reason != "name_and_birth_date" {
			t.Fatalf("duplicates %+v, want the pair by name and birth date", dups)
		}

		w := customer.Winners{"pronunciation": "survivor"}
		preview, err := f.svc.PreviewMerge(f.ctx, sv.PublicID, ab.PublicID, w)
		if err != nil {
			t.Fatal(err)
		}
		if preview.Patronymic != "Игоревна" || preview.Pronunciation != "" || len(preview.Identities) != 3 {
			t.Errorf("preview patronymic %q pronunciation %q identities %d; want Игоревна, empty (survivor wins), 3",
				preview.Patronymic, preview.Pronunciation, len(preview.Identities))
		}
		if got, _ := f.svc.Get(f.ctx, ab.PublicID); got.PublicID != ab.PublicID {
			t.Fatal("preview changed the records")
		}

		rec, err := f.svc.Merge(f.ctx, sv.PublicID, ab.PublicID, w)
		if err != nil {
			t.Fatal(err)
		}
		merged, err := f.svc.Get(f.ctx, ab.PublicID) // the absorbed id resolves to the survivor
		if err != nil {
			t.Fatal(err)
		}
		if merged.PublicID != sv.PublicID {
			t.Fatalf("absorbed id resolves to %s, want %s", merged.PublicID, sv.PublicID)
		}
		if len(merged.Identities) != 3 || len(merged.Facts) != 1 || merged.Attributes["contract"] != "Д-42" ||
			!slices.Equal(merged.Tags, []string{"vip", "пенсионер"}) || merged.Wish != "звонить после 18:00" {
			t.Errorf("merged card: identities %d facts %d attrs %v tags %v wish %q",
				len(merged.Identities), len(merged.Facts), merged.Attributes, merged.Tags, merged.Wish)
		}
		if c, err := f.svc.Lookup(f.ctx, "email", "olga@example.ru"); err != nil || c.PublicID != sv.PublicID {
			t.Errorf("lookup after merge: %v, %v", c, err)
		}
		hits, _ := f.svc.Search(f.ctx, "смирнова", 10)
		if len(hits) != 1 {
			t.Errorf("search after merge: %d hits, want 1", len(hits))
		}
		if dups, _ := f.svc.Duplicates(f.ctx, 10); len(dups.Pairs) != 0 {
			t.Errorf("duplicates after merge: %+v", dups)
		}
		tl, _ := f.svc.Timeline(f.ctx, sv.PublicID, 0, 100)
		if tl[0].Kind != customer.EventMerged || !slices.ContainsFunc(tl, func(e customer.Event) bool { return e.Kind == customer.EventFactAdded }) {
			t.Errorf("survivor timeline lacks the merge or the absorbed record's events: %v", tl)
		}

		if err := f.svc.UndoMerge(f.ctx, rec.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.UndoMerge(f.ctx, rec.ID); vernost.ErrorCode(err) != vernost.EConflict {
			t.Errorf("second undo: %v, want conflict", err)
		}
		back, _ := f.svc.Get(f.ctx, ab.PublicID)
		orig, _ := f.svc.Get(f.ctx, sv.PublicID)
		if back.PublicID != ab.PublicID || len(back.Identities) != 2 || len(back.Facts) != 1 || back.Attributes["contract"] != "Д-42" {
			t.Errorf("restored absorbed: %+v", back)
		}
		if orig.Patronymic != "" || len(orig.Identities) != 1 || !slices.Equal(orig.Tags, []string{"vip"}) || len(orig.Attributes) != 0 {
			t.Errorf("restored survivor: patronymic %q identities %d tags %v attrs %v", orig.Patronymic, len(orig.Identities), orig.Tags, orig.Attributes)
		}
		merges, _ := f.svc.Merges(f.ctx, sv.PublicID)
		if len(merges) != 1 || merges[0].UndoneAt == nil {
			t.Errorf("merge log %+v, want one undone merge", merges)
		}
		entries, err := f.audit.List(f.ctx, audit.Filter{ObjectType: "customer", ObjectID: sv.PublicID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		if !slices.Contains(actions, "customer.merge") || !slices.Contains(actions, "customer.merge_undo") {
			t.Errorf("audit actions %v lack merge and undo", actions)
		}
	})
}

func TestMergeRejectsBadPairs(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		a := mustCreate(t, f, customer.Input{FamilyName: str("А")})
		if _, err := f.svc.Merge(f.ctx, a.PublicID, a.PublicID, nil); vernost.ErrorCode(err) != vernost.EInvalid {
			t.Errorf("self merge: %v", err)
		}
		if _, err := f.svc.Merge(f.ctx, a.PublicID, "nosuchcustomer00", nil); vernost.ErrorCode(err) != vernost.ENotFound {
			t.Errorf("unknown absorbed: %v", err)
		}
		b := mustCreate(t, f, customer.Input{FamilyName: str("Б")})
		if _, err := f.svc.Merge(f.ctx, a.PublicID, b.PublicID, customer.Winners{"shoe_size": "absorbed"}); vernost.ErrorField(err) != "winners.shoe_size" {
			t.Errorf("unknown winner field: %v", err)
		}
	})
}

func TestSimilarNamesSharingAPhoneAreDuplicates(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		a := mustCreate(t, f, customer.Input{FamilyName: str("Кузнецов"), GivenName: str("Алексей"), Identities: []customer.IdentityInput{phone("+79161112233")}})
		b := mustCreate(t, f, customer.Input{FamilyName: str("Кузнецов"), GivenName: str("Алесей"), Identities: []customer.IdentityInput{phone("+74951112233")}})
		mustCreate(t, f, customer.Input{FamilyName: str("Попова"), GivenName: str("Мария"), Identities: []customer.IdentityInput{phone("+78121112233")}})
		dups := matchDuplicates(t, f)
		if len(dups) != 1 || dups[0].Reason != "similar_name_shared_contact" ||
			!(dups[0].A.PublicID == a.PublicID && dups[0].B.PublicID == b.PublicID) {
			t.Fatalf("duplicates %+v, want only Кузнецов pair", dups)
		}
		if err := f.svc.DismissDuplicate(f.ctx, b.PublicID, a.PublicID); err != nil {
			t.Fatal(err)
		}
		if dups, _ := f.svc.Duplicates(f.ctx, 10); len(dups.Pairs) != 0 {
			t.Errorf("dismissed pair still listed: %+v", dups)
		}
	})
}

func TestEraseRemovesPersonalData(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		a := mustCreate(t, f, customer.Input{FamilyName: str("Орлов"), GivenName: str("Игорь"), BirthDate: str("1970-01-02"),
			Identities: []customer.IdentityInput{phone("+79165550000")}, Facts: []customer.FactInput{{Kind: "hobby", Text: "шахматы"}}})
		b := mustCreate(t, f, customer.Input{FamilyName: str("Орлов"), GivenName: str("Игорь"), Identities: []customer.IdentityInput{email("orlov@example.ru")}})
		if _, err := f.svc.Merge(f.ctx, a.PublicID, b.PublicID, nil); err != nil {
			t.Fatal(err)
		}
		data, err := f.svc.ExportPersonal(f.ctx, a.PublicID)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(data)
		if !strings.Contains(string(raw), "шахматы") || !strings.Contains(string(raw), "orlov@example.ru") {
			t.Errorf("export lacks personal data: %s", raw)
		}
		if err := f.svc.Erase(f.ctx, a.PublicID, ""); vernost.ErrorField(err) != "reason" {
			t.Errorf("erase without reason: %v", err)
		}
		if err := f.svc.Erase(f.ctx, a.PublicID, "request 2026-11-23 by letter"); err != nil {
			t.Fatal(err)
		}
		after, err := f.svc.ExportPersonal(f.ctx, b.PublicID)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ = json.Marshal(after)
		for _, leak := range []string{"Орлов", "Игорь", "1970", "79165550000", "orlov@", "шахматы"} {
			if strings.Contains(string(raw), leak) {
				t.Errorf("erased export still holds %q: %s", leak, raw)
			}
		}
		var snapshots string
		if err := f.db.R.QueryRowContext(f.ctx, `SELECT snapshot FROM customer_merges`).Scan(&snapshots); err != nil || strings.Contains(snapshots, "Орлов") {
			t.Errorf("merge snapshot after erase: %q %v", snapshots, err)
		}
		for name, err := range map[string]error{
			"fact": func() error {
				_, err := f.svc.AddFact(f.ctx, a.PublicID, customer.FactInput{Text: "новый факт"})
				return err
			}(),
			"note":    f.svc.AddNote(f.ctx, a.PublicID, "заметка"),
			"consent": f.svc.SetConsent(f.ctx, a.PublicID, customer.ConsentInput{Channel: "sms", Purpose: "marketing", Granted: true, Source: "call"}),
		} {
			if vernost.ErrorCode(err) != vernost.EConflict {
				t.Errorf("%s on an erased card: %v, want conflict", name, err)
			}
		}
		if hits, _ := f.svc.Search(f.ctx, "орлов", 10); len(hits) != 0 {
			t.Errorf("erased customer still found: %+v", hits)
		}
		if _, err := f.svc.Lookup(f.ctx, "phone", "+79165550000"); vernost.ErrorCode(err) != vernost.ENotFound {
			t.Errorf("erased phone still resolves: %v", err)
		}
	})
}
