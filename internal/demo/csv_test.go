package demo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"testing"

	"github.com/vernost/vernost/internal/tabular"
)

// importFields is the field list the customer importer gives GuessColumns.
var importFields = []tabular.FieldSpec{
	{Name: "family_name", Synonyms: []string{"Фамилия", "last name", "surname"}},
	{Name: "given_name", Synonyms: []string{"Имя", "first name"}},
	{Name: "patronymic", Synonyms: []string{"Отчество", "middle name"}},
	{Name: "full_name", Synonyms: []string{"ФИО", "name", "Клиент"}},
	{Name: "birth_date", Synonyms: []string{"Дата рождения", "birthday", "date of birth"}},
	{Name: "phone", Synonyms: []string{"Телефон", "Мобильный", "phone"}, Multiple: true},
	{Name: "email", Synonyms: []string{"E-mail", "Почта"}, Multiple: true},
	{Name: "telegram", Synonyms: []string{"Telegram", "Телеграм"}},
	{Name: "external_id", Synonyms: []string{"Внешний ID", "external id", "Код"}},
}

// TestWriteCSVRoundTrip writes files in every shape and reads them back
// through the importer's reader: detection, column guessing and every cell
// must come back as generated.
func TestWriteCSVRoundTrip(t *testing.T) {
	tests := []CSVOptions{
		{},
		{CP1251: true, Delimiter: ';'},
		{English: true, Delimiter: '\t'},
		{FullName: true, CP1251: true, Delimiter: ';'},
		{FullName: true, English: true},
	}
	const n = 3000
	for _, opt := range tests {
		t.Run(fmt.Sprintf("%+v", opt), func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteCSV(&buf, n, 99, opt); err != nil {
				t.Fatal(err)
			}
			r, err := tabular.Open(&buf, tabular.Options{})
			if err != nil {
				t.Fatal(err)
			}
			wantEnc, wantDelim := tabular.UTF8, opt.Delimiter
			if opt.CP1251 {
				wantEnc = tabular.Windows1251
			}
			if wantDelim == 0 {
				wantDelim = ','
			}
			if r.Encoding() != wantEnc || r.Delimiter() != wantDelim {
				t.Errorf("detected %s %q; want %s %q", r.Encoding(), r.Delimiter(), wantEnc, wantDelim)
			}
			names := map[int]string{0: "family_name", 1: "given_name", 2: "patronymic"}
			next := 3
			if opt.FullName {
				names, next = map[int]string{0: "full_name"}, 1
			}
			want := maps.Clone(names)
			for i, f := range []string{"birth_date", "phone", "email", "telegram", "external_id"} {
				want[next+i] = f
			}
			columns := tabular.GuessColumns(r.Header(), importFields)
			if !maps.Equal(columns, want) {
				t.Fatalf("GuessColumns(%q) = %v; want %v", r.Header(), columns, want)
			}

			g := &Generator{Seed: 99}
			layout := "02.01.2006"
			if opt.English {
				layout = "2006-01-02"
			}
			rows := 0
			for {
				rec, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("row %d: %v", rows+1, err)
				}
				rows++
				p := g.Next()
				got := cells(rec.Fields, columns)
				if opt.FullName {
					got["family_name"], got["given_name"], got["patronymic"] = tabular.SplitFullName(got["full_name"])
				}
				wantCells := map[string]string{
					"family_name": p.FamilyName, "given_name": p.GivenName, "patronymic": p.Patronymic,
					"birth_date": p.BirthDate.Format(layout),
				}
				for _, id := range p.Identities {
					field := id.Kind
					if field == "external" {
						field = "external_id"
					}
					wantCells[field] = id.Raw
				}
				for field, w := range wantCells {
					if got[field] != w {
						t.Errorf("line %d, %s = %q; want %q", rec.Line, field, got[field], w)
					}
				}
				if rec.Line != rows+1 {
					t.Errorf("record %d at line %d; want line %d", rows, rec.Line, rows+1)
				}
			}
			if rows != n {
				t.Errorf("read %d rows; want %d", rows, n)
			}
		})
	}
}

func cells(fields []string, columns map[int]string) map[string]string {
	out := map[string]string{}
	for i, name := range columns {
		out[name] = fields[i]
	}
	return out
}

func TestWriteCSVRejectsBadDelimiter(t *testing.T) {
	if err := WriteCSV(io.Discard, 1, 1, CSVOptions{Delimiter: '"'}); err == nil {
		t.Error(`WriteCSV with delimiter '"' succeeded; want an error`)
	}
}
