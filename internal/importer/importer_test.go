package importer_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/importer"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// legacy is what an old 1C export looks like: Windows-1251, semicolons,
// Russian headers, a ФИО column and Russian dates.
const legacy = `ФИО;Телефон;E-mail;Дата рождения;Код 1С;Хобби
Иванова Анна Сергеевна;8 (916) 123-45-67;anna@example.ru;14.03.1985;000123;рыбалка
Петров Пётр Петрович;+7 903 111-22-33;;01.01.1970;000124;
"Сидоров Иван";12;;;;
Без Контактов;;;;;
"Смирнова ""Оля"" Игоревна;+79160000001;;;;
Кузнецов Алексей;+7 916 123 45 67;alexey@example.ru;;;
Иванова Анна Сергеевна;+79161234567;a.ivanova@example.ru;;;шахматы
`

func cp1251(t *testing.T, s string) []byte {
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func setup(t *testing.T, db *sqldb.DB) (context.Context, *customer.Service, *audit.Log) {
	return setupTB(t, db)
}

func setupTB(t testing.TB, db *sqldb.DB) (context.Context, *customer.Service, *audit.Log) {
	ctx := vernost.WithActor(context.Background(), vernost.Actor{Name: "importer-test", Role: vernost.RoleAdmin})
	clock := vernost.NewFixedClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	log, err := audit.New(ctx, db, clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(log.Close) // before the database closes: cleanups run last first
	svc, err := customer.New(ctx, db, clock, log, customer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	return ctx, svc, log
}

func TestImportLegacyCSV(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx, svc, log := setup(t, db)
		var rejects bytes.Buffer
		rep, err := importer.Run(ctx, svc, log, bytes.NewReader(cp1251(t, legacy)), importer.Options{Source: "clients.csv", ExternalSystem: "1c", Rejects: &rejects, BatchSize: 2})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Encoding != "windows-1251" || rep.Delimiter != ";" {
			t.Errorf("detected %s %q, want windows-1251 ;", rep.Encoding, rep.Delimiter)
		}
		// Kuznetsov's phone is Ivanova's typed another way: his row adds his
		// email to her card rather than making a twin, and does not rename
		// her (imports fill blanks only); the last row adds another email.
		if rep.Created != 2 || rep.Updated != 2 || rep.Rejected != 3 {
			t.Errorf("created %d updated %d unchanged %d rejected %d; want 2, 2, 0, 3 (rejects %+v)",
				rep.Created, rep.Updated, rep.Unchanged, rep.Rejected, rep.Rejects)
		}
		wantLines := map[int]string{4: "identities[0].value", 5: "no phone", 6: ""}
		for _, r := range rep.Rejects {
			want, ok := wantLines[r.Line]
			if !ok || !strings.Contains(r.Reason, want) {
				t.Errorf("reject line %d %q unexpected (want lines %v)", r.Line, r.Reason, wantLines)
			}
		}
		rr := csv.NewReader(&rejects)
		rr.FieldsPerRecord = -1
		rows, err := rr.ReadAll()
		if err != nil || len(rows) != 4 || rows[0][0] != "line" {
			t.Errorf("reject file: %v rows %v", err, rows)
		}
		anna, err := svc.Lookup(ctx, "external", "1c:000123")
		if err != nil {
			t.Fatal(err)
		}
		if anna.BirthDate != "1985-03-14" || len(anna.Identities) != 5 || anna.FamilyName != "Иванова" || len(anna.Facts) != 2 {
			t.Errorf("Ivanova: birth %s identities %+v facts %+v", anna.BirthDate, anna.Identities, anna.Facts)
		}
		tl, _ := svc.Timeline(ctx, anna.PublicID, 0, 50)
		if last := tl[len(tl)-1]; last.Kind != customer.EventImported || last.Data.Source != "clients.csv" {
			t.Errorf("first timeline event %+v, want imported from clients.csv", last)
		}

		// The same file again changes nothing.
		again, err := importer.Run(ctx, svc, log, bytes.NewReader(cp1251(t, legacy)), importer.Options{Source: "clients.csv", ExternalSystem: "1c"})
		if err != nil {
			t.Fatal(err)
		}
		if again.Created != 0 || again.Updated != 0 || again.Unchanged != 4 || again.Rejected != 3 {
			t.Errorf("re-run: created %d updated %d unchanged %d rejected %d; want 0 0 4 3", again.Created, again.Updated, again.Unchanged, again.Rejected)
		}
		entries, _ := log.List(ctx, audit.Filter{Action: "customer.import"})
		if len(entries) != 2 {
			t.Errorf("audit has %d import entries, want 2", len(entries))
		}
	})
}

func TestImportJSONLinesAndMapping(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx, svc, log := setup(t, db)
		in := `{"family_name":"Smith","given_name":"John","email":["john@example.com","j.smith@example.com"],"tags":"vip, london"}
{"family_name":"Doe","phone":79161234568}
not json
{"family_name":"Roe","mobile_no":"+44 20 7946 0958","shoe":"42"}
`
		rep, err := importer.Run(ctx, svc, log, strings.NewReader(in), importer.Options{Format: "jsonl", Mapping: map[string]string{"mobile_no": "phone"}})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 3 || rep.Rejected != 1 || rep.Rejects[0].Line != 3 {
			t.Errorf("created %d rejected %d %+v; want 3 and line 3", rep.Created, rep.Rejected, rep.Rejects)
		}
		if len(rep.Ignored) != 1 || rep.Ignored[0] != "shoe" {
			t.Errorf("ignored %v, want [shoe]", rep.Ignored)
		}
		c, err := svc.Lookup(ctx, "email", "j.smith@example.com")
		if err != nil || len(c.Tags) != 2 {
			t.Errorf("Smith: %+v %v", c, err)
		}
		if _, err := svc.Lookup(ctx, "phone", "+442079460958"); err != nil {
			t.Errorf("mapped column not imported: %v", err)
		}
	})
}

func TestImportRejectsUnusableFiles(t *testing.T) {
	db := sqldbtest.SQLite(t)
	ctx, svc, log := setup(t, db)
	for name, tc := range map[string]struct {
		body string
		opt  importer.Options
	}{
		"no known column": {"foo,bar\n1,2\n", importer.Options{}},
		"unknown format":  {"x", importer.Options{Format: "xml"}},
		"missing mapping": {"Телефон\n+79161234567\n", importer.Options{Mapping: map[string]string{"Фамилия": "family_name"}}},
	} {
		if _, err := importer.Run(ctx, svc, log, strings.NewReader(tc.body), tc.opt); vernost.ErrorCode(err) != vernost.EInvalid {
			t.Errorf("%s: err %v, want invalid", name, err)
		}
	}
}

// A cancelled import stops with the context's error and never hangs,
// whichever side notices the cancellation first.
func TestImportCancelled(t *testing.T) {
	db := sqldbtest.SQLite(t)
	ctx, svc, log := setup(t, db)
	var file bytes.Buffer
	file.WriteString("Фамилия,Телефон\n")
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&file, "Иванов,+7916%07d\n", i)
	}
	for _, after := range []int{0, 1, 3} {
		ctx, cancel := context.WithCancel(ctx)
		batches := 0
		opt := importer.Options{BatchSize: 100, Progress: func(importer.Progress) {
			if batches++; batches == after {
				cancel()
			}
		}}
		if after == 0 {
			cancel()
		}
		// A hang here is caught by go test's own timeout.
		if _, err := importer.Run(ctx, svc, log, bytes.NewReader(file.Bytes()), opt); err == nil {
			t.Errorf("cancelled after %d batches: no error", after)
		}
		cancel()
	}
}

// An import that stops part-way keeps and counts exactly the rows of the
// transactions it committed: the report never counts a row that was rolled
// back, and nothing it counted is missing.
func TestImportStoppedKeepsWhatItCounted(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx, svc, log := setup(t, db)
		var file bytes.Buffer
		file.WriteString("Фамилия;Телефон\n")
		for i := 0; i < 5000; i++ {
			fmt.Fprintf(&file, "Петрова;+7903%07d\n", i)
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		commits := 0
		opt := importer.Options{BatchSize: 1000, Progress: func(importer.Progress) {
			if commits++; commits == 2 {
				cancel()
			}
		}}
		rep, err := importer.Run(ctx, svc, log, bytes.NewReader(file.Bytes()), opt)
		if err == nil {
			t.Fatal("no error from a cancelled import")
		}
		n, cerr := svc.Count(context.Background())
		if cerr != nil || rep.Created != 2000 || n != rep.Created {
			t.Errorf("report counts %d created, the base holds %d (%v); want 2000 in both", rep.Created, n, cerr)
		}
	})
}
