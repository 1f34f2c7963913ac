package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
	"github.com/vernost/vernost/internal/web/webtest"
)

// apiImportJob is the part of an import job the tests read.
type apiImportJob struct {
	ID       string `json:"id"`
	FileName string `json:"file_name"`
	Status   string `json:"status"`
	Progress struct {
		Rows, Created, Updated, Unchanged, Rejected int
		Bytes, Size                                 int64
	} `json:"progress"`
	Report *struct {
		Encoding string            `json:"encoding"`
		Columns  map[string]string `json:"columns"`
		Rejects  []struct {
			Line   int    `json:"line"`
			Reason string `json:"reason"`
		} `json:"rejects"`
	} `json:"report"`
	Error      string `json:"error"`
	RejectsURL string `json:"rejects_url"`
	Actor      string `json:"actor"`
}

// clientsCSV is an old system's export: Windows-1251, semicolons, Russian
// headers; line 4 has a bad phone, line 5 repeats line 2's person, line 6
// has no contact.
const clientsCSV = `ФИО;Телефон;E-mail
Иванова Анна Сергеевна;8 (916) 123-45-67;anna@example.ru
Петров Пётр;+7 903 111-22-33;
Сидоров Иван;12;
Иванова Анна;+7 916 123 45 67;a.ivanova@example.ru
Без Контактов;;
`

// TestCustomersAPIImport: a file posted as the body is imported in the
// background; its status, report and rejected rows can be fetched, and the
// same file again changes nothing.
func TestCustomersAPIImport(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newAPIEnv(t, db)
		file, err := charmap.Windows1251.NewEncoder().Bytes([]byte(clientsCSV))
		if err != nil {
			t.Fatal(err)
		}
		post := func(c *webtest.Client, query string, body []byte, contentType string) webtest.Response {
			return c.Do(t, webtest.NewRequest(t, "POST", "/api/v1/imports?"+query, contentType, bytes.NewReader(body)))
		}
		wantStatus(t, "agent importing", post(e.agent, "file_name=clients.csv", file, "text/csv"), http.StatusForbidden)

		run := func() apiImportJob {
			res := post(e.supervisor, "file_name=clients.csv", file, "text/csv")
			started := decodeAPI[apiImportJob](t, "start import", res, http.StatusAccepted)
			if started.Status != "running" || started.FileName != "clients.csv" || started.Progress.Size != int64(len(file)) ||
				res.Header.Get("Location") != "/api/v1/imports/"+started.ID {
				t.Errorf("started %+v (Location %q)", started, res.Header.Get("Location"))
			}
			e.srv.Imports.Wait(started.ID)
			return decodeAPI[apiImportJob](t, "import status", e.supervisor.Get(t, "/api/v1/imports/"+started.ID), http.StatusOK)
		}
		job := run()
		p := job.Progress
		if job.Status != "done" || p.Rows != 5 || p.Created != 2 || p.Updated != 1 || p.Rejected != 2 || job.Actor != "token:test-supervisor" {
			t.Errorf("job %+v, want done: 5 rows, 2 created, 1 updated, 2 rejected, by token:test-supervisor", job)
		}
		if job.Report == nil || job.Report.Encoding != "windows-1251" || len(job.Report.Rejects) != 2 || job.Report.Rejects[0].Line != 4 {
			t.Errorf("report %+v, want windows-1251 with rejects at lines 4 and 6", job.Report)
		}
		if _, err := e.srv.Customers.Lookup(context.Background(), "email", "a.ivanova@example.ru"); err != nil {
			t.Errorf("line 5's email did not reach Ivanova's card: %v", err)
		}

		res := e.supervisor.Get(t, job.RejectsURL)
		if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("rejects: %d %q %q", res.Status, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
		}
		rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
		if err != nil || len(rows) != 3 || rows[1][0] != "4" || rows[1][2] != "Сидоров Иван" || rows[2][0] != "6" {
			t.Errorf("reject CSV %q (%v), want the header and lines 4 and 6 as read", rows, err)
		}

		again := run()
		if p := again.Progress; again.Status != "done" || p.Created != 0 || p.Updated != 0 || p.Unchanged != 3 || p.Rejected != 2 {
			t.Errorf("re-run %+v, want done with 3 unchanged and 2 rejected", again)
		}
		list := decodeAPI[struct {
			Jobs []apiImportJob `json:"jobs"`
		}](t, "list imports", e.supervisor.Get(t, "/api/v1/imports"), http.StatusOK)
		if len(list.Jobs) != 2 || list.Jobs[0].ID != again.ID || list.Jobs[1].ID != job.ID {
			t.Errorf("imports %+v, want the two, newest first", list.Jobs)
		}

		jsonl := []byte(`{"family_name":"Smith","email":"john@example.com"}` + "\n")
		byExt := decodeAPI[apiImportJob](t, "jsonl", post(e.supervisor, "file_name=crm.jsonl", jsonl, "application/x-ndjson"), http.StatusAccepted)
		e.srv.Imports.Wait(byExt.ID)
		if got := decodeAPI[apiImportJob](t, "jsonl status", e.supervisor.Get(t, "/api/v1/imports/"+byExt.ID), http.StatusOK); got.Progress.Created != 1 {
			t.Errorf("JSON Lines job %+v, want one created", got)
		}

		for _, tc := range []struct {
			name, query string
			body        []byte
			contentType string
			status      int
			code, field string
		}{
			{"empty file", "file_name=a.csv", nil, "text/csv", 400, "invalid", "file"},
			{"nothing known", "file_name=a.csv", []byte("foo;bar\n1;2\n"), "text/csv", 400, "invalid", "file"},
			{"bad mapping", "map=" + url.QueryEscape("Телефон=shoe"), file, "text/csv", 400, "invalid", "map"},
			{"bad overwrite", "overwrite=maybe", file, "text/csv", 400, "invalid", "overwrite"},
			{"bad delimiter", "delimiter=" + url.QueryEscape(";;"), file, "text/csv", 400, "invalid", "delimiter"},
			{"bad format", "format=xlsx", file, "text/csv", 400, "invalid", "format"},
			{"a form", "", []byte("a=1"), "application/x-www-form-urlencoded", 400, "invalid", "body"},
		} {
			wantAPIError(t, tc.name, post(e.supervisor, tc.query, tc.body, tc.contentType), tc.status, tc.code, tc.field)
		}
		wantAPIError(t, "unknown job", e.supervisor.Get(t, "/api/v1/imports/nosuchjob"), 404, "not_found", "")
		wantAPIError(t, "rejects of an unknown job", e.supervisor.Get(t, "/api/v1/imports/nosuchjob/rejects"), 404, "not_found", "")
		list = decodeAPI[struct {
			Jobs []apiImportJob `json:"jobs"`
		}](t, "list imports", e.supervisor.Get(t, "/api/v1/imports?limit=10"), http.StatusOK)
		if len(list.Jobs) != 3 {
			t.Errorf("%d jobs after refused uploads, want 3", len(list.Jobs))
		}
	})
}
