package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
	"github.com/vernost/vernost/internal/web/webtest"
)

// postMultipart sends fields and, when name is set, a file part, as the
// browser's multipart form would.
func postMultipart(t *testing.T, c *webtest.Client, path string, fields [][2]string, fileField, fileName string, file []byte) webtest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("csrf", c.CSRF); err != nil {
		t.Fatal(err)
	}
	for _, f := range fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if fileField != "" {
		w, err := mw.CreateFormFile(fileField, fileName)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(file)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return c.Do(t, webtest.NewRequest(t, http.MethodPost, path, mw.FormDataContentType(), &body))
}

const importCSV = "ФИО;Телефон;Дата рождения;Примечание\n" +
	"Иванов Иван Иванович;+7 916 111-22-33;01.02.1980;звонить вечером\n" +
	"Петрова Мария;12;1990-05-05;\n" +
	"Сидоров Пётр;+7 903 444-55-66;31.02.1985;\n" +
	"Кузнецова Ольга;+7 926 777-88-99;;любит розы\n"

func TestImportPage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		cs := startCustomerSite(t, db)
		ctx := context.Background()
		file, err := charmap.Windows1251.NewEncoder().Bytes([]byte(importCSV))
		if err != nil {
			t.Fatal(err)
		}

		// The preview reads the start of the file as the import will.
		res := postMultipart(t, cs.super, "/import/preview", nil, "sample", "clients.csv", file)
		if res.Status != http.StatusOK {
			t.Fatalf("preview: %d:\n%s", res.Status, res.Body)
		}
		bodyHas(t, "preview", res.Body, "Кодировка: windows-1251 · разделитель: точка с запятой",
			`<option value="full_name" selected>`, `<option value="phone" selected>`, `<option value="birth_date" selected>`, `<option value="note" selected>`)
		bodyLacks(t, "preview", res.Body, "<html")

		// The person skips the notes column in the preview's selects.
		choices := [][2]string{}
		for _, col := range [][2]string{{"ФИО", "full_name"}, {"Телефон", "phone"}, {"Дата рождения", "birth_date"}, {"Примечание", "note"}} {
			chosen := col[1]
			if col[0] == "Примечание" {
				chosen = ""
			}
			choices = append(choices, [2]string{"map_title", col[0]}, [2]string{"map_guess", col[1]}, [2]string{"map_field", chosen})
		}
		res = postMultipart(t, cs.super, "/import", choices, "file", "clients.csv", file)
		if res.Status != http.StatusSeeOther {
			t.Fatalf("upload: %d:\n%.2000s", res.Status, res.Body)
		}
		jobURL := res.Header.Get("Location")
		id := strings.TrimPrefix(jobURL, "/import/")
		cs.srv.Imports.Wait(id)

		page := cs.super.Get(t, jobURL)
		if page.Status != http.StatusOK {
			t.Fatalf("job page: %d", page.Status)
		}
		bodyHas(t, "report", page.Body, "Готово", `id="count-created">2<`, `id="count-rejected">2<`, `value="100"`,
			"<td>3</td>", "<td>4</td>", "<td>ФИО</td><td>ФИО одной строкой</td>", "Пропущены колонки: Примечание", "Кодировка: windows-1251", `href="/import/`+id+`/rejects.csv"`)
		bodyLacks(t, "report of a finished job", page.Body, "data-poll")

		var st struct {
			Status           string
			Percent          int
			Rows, Rejected   int
			Created, Updated int
		}
		status := cs.super.Get(t, jobURL+"/status")
		if err := json.Unmarshal([]byte(status.Body), &st); err != nil || st.Status != "done" || st.Percent != 100 || st.Rows != 4 || st.Created != 2 || st.Rejected != 2 {
			t.Errorf("status: %+v (%v) from %s", st, err, status.Body)
		}

		csv := cs.super.Get(t, jobURL+"/rejects.csv")
		if csv.Status != http.StatusOK || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(csv.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("rejects download: %d %q %q", csv.Status, csv.Header.Get("Content-Type"), csv.Header.Get("Content-Disposition"))
		}
		if lines := strings.Split(strings.TrimSpace(csv.Body), "\n"); len(lines) < 2 || !strings.Contains(csv.Body, "Петрова Мария") || !strings.Contains(csv.Body, "Сидоров") {
			t.Errorf("rejects CSV:\n%s", csv.Body)
		}

		// The skipped column was not imported; the rest was.
		hits, err := cs.srv.Customers.Search(ctx, "Иванов", 5)
		if err != nil || len(hits) != 1 {
			t.Fatalf("imported customer: %+v (%v)", hits, err)
		}
		tl, err := cs.srv.Customers.Timeline(ctx, hits[0].PublicID, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range tl {
			if strings.Contains(e.Data.Text, "звонить вечером") {
				t.Errorf("the skipped notes column was imported: %+v", e)
			}
		}

		list := cs.super.Get(t, "/import")
		bodyHas(t, "recent imports", list.Body, "clients.csv", `href="/import/`+id+`"`, "отклонено: 2")
	})
}

func TestImportPageRefusals(t *testing.T) {
	cs := startCustomerSite(t, sqldbtest.SQLite(t))
	tests := []struct {
		name   string
		fields [][2]string
		file   string
		want   int
		text   string
	}{
		{"no file", nil, "", http.StatusBadRequest, "choose a file to import"},
		{"empty file", nil, " ", http.StatusBadRequest, ""},
		{"bad typed mapping", [][2]string{{"mapping", "Телефон=shoe_size"}}, importCSV, http.StatusBadRequest, "unknown field"},
		{"mapping to a missing column", [][2]string{{"mapping", "Факс=phone"}}, importCSV, http.StatusBadRequest, "no column"},
		{"unknown encoding", [][2]string{{"encoding", "ebcdic"}}, importCSV, http.StatusBadRequest, "unknown encoding"},
		{"no known column", nil, "a;b\n1;2\n", http.StatusBadRequest, "no column could be matched"},
	}
	for _, tt := range tests {
		field := ""
		if tt.file != "" {
			field = "file"
		}
		res := postMultipart(t, cs.super, "/import", tt.fields, field, "clients.csv", []byte(strings.TrimSpace(tt.file)+"\n"))
		if res.Status != tt.want || !strings.Contains(res.Body, tt.text) || !strings.Contains(res.Body, `id="import-form"`) {
			t.Errorf("%s: %d, want %d and the form with %q:\n%.800s", tt.name, res.Status, tt.want, tt.text, res.Body)
		}
		if tt.name == "bad typed mapping" && !regexp.MustCompile(`value="Телефон=shoe_size"`).MatchString(res.Body) {
			t.Errorf("%s: the typed mapping is not kept", tt.name)
		}
	}
	jobs, err := cs.srv.Imports.List(context.Background(), 10)
	if err != nil || len(jobs) != 0 {
		t.Errorf("refused uploads started jobs: %+v (%v)", jobs, err)
	}
	if res := cs.agent.Get(t, "/import"); res.Status != http.StatusForbidden {
		t.Errorf("agent on /import: %d, want 403", res.Status)
	}
	if res := cs.super.Get(t, "/import/nosuchjob"); res.Status != http.StatusNotFound {
		t.Errorf("unknown job: %d, want 404", res.Status)
	}
}
