package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// clients is a small 1C-style export: Windows-1251, semicolons. Lines 3
// and 5 share a phone (one customer), line 4 has a bad phone and line 6
// no contact at all.
const clients = `ФИО;Телефон;E-mail;Код 1С
Иванова Анна Сергеевна;8 (916) 123-45-67;anna@example.ru;000123
Петров Пётр;+7 903 111-22-33;;000124
Сидоров Иван;12;;
Кузнецов Алексей;+7 916 123 45 67;alexey@example.ru;
Без Контактов;;;
`

type jobEnv struct {
	ctx   context.Context
	db    *sqldb.DB
	svc   *customer.Service
	log   *audit.Log
	clock *vernost.FixedClock
}

func newJobEnv(t *testing.T, db *sqldb.DB) jobEnv {
	t.Helper()
	ctx := vernost.WithActor(context.Background(), vernost.Actor{Name: "anna.supervisor", Role: vernost.RoleSupervisor})
	clock := vernost.NewFixedClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	log, err := audit.New(ctx, db, clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(log.Close)
	svc, err := customer.New(ctx, db, clock, log, customer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	return jobEnv{ctx: ctx, db: db, svc: svc, log: log, clock: clock}
}

func (e jobEnv) jobs(t *testing.T, store Store) *Jobs {
	t.Helper()
	j, err := NewJobs(e.ctx, e.db, store, e.log, e.clock)
	if err != nil {
		t.Fatalf("NewJobs: %v", err)
	}
	t.Cleanup(j.Close)
	return j
}

func windows1251(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestJobImportsInBackground: a job outlives the request that started it,
// runs as that request's actor, ends done with its report and a
// downloadable reject file, and the same file again changes nothing.
func TestJobImportsInBackground(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newJobEnv(t, db)
		jobs := e.jobs(t, e.svc)
		file := windows1251(t, clients)

		// The request ends (its context is cancelled) as soon as Start returns.
		reqCtx, endRequest := context.WithCancel(e.ctx)
		st, err := jobs.Start(reqCtx, `C:\fakepath\clients.csv`, bytes.NewReader(file), Options{ExternalSystem: "1c"})
		endRequest()
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		if st.Status != StatusRunning || st.FileName != "clients.csv" || st.Actor != "anna.supervisor" || st.Progress.Size != int64(len(file)) {
			t.Errorf("started %+v, want running clients.csv by anna.supervisor of %d bytes", st, len(file))
		}
		jobs.Wait(st.ID)
		got, err := jobs.Status(e.ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		p := got.Progress
		if got.Status != StatusDone || got.Error != "" || got.FinishedAt == nil {
			t.Fatalf("status %q error %q finished %v, want done", got.Status, got.Error, got.FinishedAt)
		}
		if p.Rows != 5 || p.Created != 2 || p.Updated != 1 || p.Rejected != 2 || p.Bytes != int64(len(file)) {
			t.Errorf("progress %+v, want 5 rows: 2 created, 1 updated, 2 rejected, all %d bytes read", p, len(file))
		}
		if got.Report == nil || got.Report.Encoding != "windows-1251" || got.Report.Columns["Телефон"] != "phone" {
			t.Errorf("report %+v, want windows-1251 with Телефон → phone", got.Report)
		}
		entries, err := e.log.List(e.ctx, audit.Filter{Action: "customer.import"})
		if err != nil || len(entries) != 1 || entries[0].ActorName != "anna.supervisor" || entries[0].ObjectID != "clients.csv" {
			t.Errorf("audit %+v (%v), want one import of clients.csv by anna.supervisor", entries, err)
		}

		var rejects bytes.Buffer
		if err := jobs.Rejects(e.ctx, st.ID, &rejects); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&rejects).ReadAll()
		if err != nil {
			t.Fatalf("reject file is not CSV: %v", err)
		}
		wantLines := []string{"line", "4", "6"}
		if len(rows) != len(wantLines) {
			t.Fatalf("reject file has %d rows, want %d: %q", len(rows), len(wantLines), rows)
		}
		for i, want := range wantLines {
			if rows[i][0] != want {
				t.Errorf("reject row %d starts %q, want %q", i, rows[i][0], want)
			}
		}
		if !strings.Contains(rows[1][1], "identities[0].value") || rows[1][2] != "Сидоров Иван" {
			t.Errorf("reject %q, want the bad phone's field and the row as read", rows[1])
		}

		again, err := jobs.Start(e.ctx, "clients.csv", bytes.NewReader(file), Options{ExternalSystem: "1c"})
		if err != nil {
			t.Fatal(err)
		}
		jobs.Wait(again.ID)
		got, err = jobs.Status(e.ctx, again.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p := got.Progress; got.Status != StatusDone || p.Created != 0 || p.Updated != 0 || p.Unchanged != 3 || p.Rejected != 2 {
			t.Errorf("re-run %s %+v, want done with 3 unchanged and 2 rejected", got.Status, p)
		}

		list, err := jobs.List(e.ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != again.ID || list[1].ID != st.ID {
			t.Fatalf("list %+v, want the two jobs newest first", list)
		}
		if list[1].Report != nil || list[1].Progress.Created != 2 || list[1].Status != StatusDone {
			t.Errorf("listed %+v, want counts without the report", list[1])
		}
	})
}

// TestJobJSONLinesByExtension: the format follows the file name.
func TestJobJSONLinesByExtension(t *testing.T) {
	e := newJobEnv(t, sqldbtest.SQLite(t))
	jobs := e.jobs(t, e.svc)
	body := `{"family_name":"Smith","email":"john@example.com"}` + "\n"
	st, err := jobs.Start(e.ctx, "crm.jsonl", strings.NewReader(body), Options{})
	if err != nil {
		t.Fatal(err)
	}
	jobs.Wait(st.ID)
	got, err := jobs.Status(e.ctx, st.ID)
	if err != nil || got.Status != StatusDone || got.Progress.Created != 1 {
		t.Errorf("status %+v (%v), want done with one created", got, err)
	}
}

// TestJobRefusesUnusableFiles: what cannot be imported at all is refused
// by Start, before any job exists.
func TestJobRefusesUnusableFiles(t *testing.T) {
	e := newJobEnv(t, sqldbtest.SQLite(t))
	jobs := e.jobs(t, e.svc)
	for _, tc := range []struct {
		name, fileName, body string
		opt                  Options
		field                string
	}{
		{"empty file", "a.csv", "", Options{}, "file"},
		{"no known column", "a.csv", "foo,bar\n1,2\n", Options{}, "file"},
		{"unknown format", "a.csv", "Телефон\n+79161234567\n", Options{Format: "xml"}, "format"},
		{"mapping names a missing column", "a.csv", "Телефон\n+79161234567\n", Options{Mapping: map[string]string{"Фамилия": "family_name"}}, "mapping"},
		{"file name too long", strings.Repeat("я", 201) + ".csv", "Телефон\n+79161234567\n", Options{}, "file_name"},
		{"file name not UTF-8", "\xff.csv", "Телефон\n+79161234567\n", Options{}, "file_name"},
	} {
		_, err := jobs.Start(e.ctx, tc.fileName, strings.NewReader(tc.body), tc.opt)
		if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != tc.field {
			t.Errorf("%s: err %v (field %q), want invalid %s", tc.name, err, vernost.ErrorField(err), tc.field)
		}
	}
	list, err := jobs.List(e.ctx, 10)
	if err != nil || len(list) != 0 {
		t.Errorf("jobs %+v (%v), want none", list, err)
	}
}

// blockingStore holds every import at its start until the job is
// cancelled, standing in for an import that is still running.
type blockingStore struct {
	Store
	entered chan struct{}
}

func (b blockingStore) NewValidator(ctx context.Context) (*customer.Validator, error) {
	b.entered <- struct{}{}
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestRunningJobs: while a job runs, Status shows it running, its rejects
// are not ready, no more than MaxRunning run at once, and Close stops them
// as failed with a message saying to run them again.
func TestRunningJobs(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newJobEnv(t, db)
		store := blockingStore{Store: e.svc, entered: make(chan struct{}, MaxRunning)}
		jobs := e.jobs(t, store) // closed below; Close again at cleanup is harmless
		var ids []string
		for i := range MaxRunning {
			st, err := jobs.Start(e.ctx, fmt.Sprintf("part%d.csv", i), strings.NewReader("Телефон\n+7916000000"+fmt.Sprint(i)+"\n"), Options{})
			if err != nil {
				t.Fatalf("job %d: %v", i, err)
			}
			ids = append(ids, st.ID)
			<-store.entered
		}
		_, err := jobs.Start(e.ctx, "one-too-many.csv", strings.NewReader("Телефон\n+79160000009\n"), Options{})
		if vernost.ErrorCode(err) != vernost.ERateLimited {
			t.Errorf("job %d: err %v, want rate_limited", MaxRunning+1, err)
		}
		st, err := jobs.Status(e.ctx, ids[0])
		if err != nil || st.Status != StatusRunning {
			t.Errorf("status %+v (%v), want running", st, err)
		}
		if err := jobs.Rejects(e.ctx, ids[0], &bytes.Buffer{}); vernost.ErrorCode(err) != vernost.EConflict {
			t.Errorf("rejects while running: %v, want conflict", err)
		}
		if _, err := jobs.Status(e.ctx, "nosuchjob"); vernost.ErrorCode(err) != vernost.ENotFound {
			t.Errorf("unknown job: %v, want not_found", err)
		}

		jobs.Close()
		if _, err := jobs.Start(e.ctx, "late.csv", strings.NewReader("Телефон\n+79160000009\n"), Options{}); vernost.ErrorCode(err) != vernost.EUnavailable {
			t.Errorf("start after Close: %v, want unavailable", err)
		}
		after := e.jobs(t, e.svc)
		for _, id := range ids {
			st, err := after.Status(e.ctx, id)
			if err != nil || st.Status != StatusFailed || st.Error != interrupted || st.FinishedAt == nil {
				t.Errorf("after Close: %+v (%v), want failed: %s", st, err, interrupted)
			}
		}
	})
}

// TestJobsOfDeadProcesses: a job left running with a stale heartbeat is
// failed by NewJobs; one with a fresh heartbeat belongs to a live node and
// is left running until its heartbeat goes stale too.
func TestJobsOfDeadProcesses(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newJobEnv(t, db)
		now := e.clock.Now()
		insert := func(id, status string, beat time.Time) {
			_, err := db.W.Exec(`INSERT INTO import_jobs (public_id, file_name, status, actor_name, created_at, heartbeat_at)
				VALUES ($1, 'x.csv', $2, 'someone', $3, $4)`, id, status, now.Add(-time.Hour), beat)
			if err != nil {
				t.Fatal(err)
			}
		}
		insert("crashed", StatusRunning, now.Add(-10*time.Minute))
		insert("elsewhere", StatusRunning, now.Add(-10*time.Second))
		insert("finished", StatusDone, now.Add(-50*time.Minute))
		stored := func(id string) string {
			var status string
			if err := db.R.QueryRow(`SELECT status FROM import_jobs WHERE public_id = $1`, id).Scan(&status); err != nil {
				t.Fatal(err)
			}
			return status
		}
		jobs := e.jobs(t, e.svc)
		for id, want := range map[string]string{"crashed": StatusFailed, "elsewhere": StatusRunning, "finished": StatusDone} {
			if got := stored(id); got != want {
				t.Errorf("%s stored as %s after NewJobs, want %s", id, got, want)
			}
			st, err := jobs.Status(e.ctx, id)
			if err != nil || st.Status != want {
				t.Errorf("%s: %+v (%v), want %s", id, st, err, want)
			}
		}
		e.clock.Advance(staleAfter)
		list, err := jobs.List(e.ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range list {
			if st.ID == "elsewhere" && (st.Status != StatusFailed || st.Error != interrupted) {
				t.Errorf("elsewhere after its heartbeat stopped: %+v, want failed", st)
			}
		}
		if got := stored("elsewhere"); got != StatusFailed {
			t.Errorf("elsewhere stored as %s once stale, want failed", got)
		}
	})
}

// TestRejectBufferKeepsWholeRows: over its limit the reject list is cut
// after a whole row (quoted line breaks included) and says so.
func TestRejectBufferKeepsWholeRows(t *testing.T) {
	for _, tc := range []struct {
		name     string
		limit    int
		rows     int
		wantKept int // data rows kept
		wantNote bool
	}{
		{"under the limit", 1 << 20, 50, 50, false},
		{"cut", 1000, 200, -1, true},
		{"limit inside the header", 10, 5, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &rejectBuffer{limit: tc.limit}
			w := csv.NewWriter(b)
			_ = w.Write([]string{"line", "reason", "ФИО", "Примечание"})
			for i := range tc.rows {
				_ = w.Write([]string{fmt.Sprint(i + 2), "phone: bad", "Иванова, Анна", "две\nстроки \"в кавычках\""})
			}
			w.Flush()
			r := csv.NewReader(strings.NewReader(b.CSV()))
			r.FieldsPerRecord = -1
			rows, err := r.ReadAll()
			if err != nil {
				t.Fatalf("not CSV: %v", err)
			}
			note := len(rows) > 0 && rows[len(rows)-1][0] == ""
			if note != tc.wantNote {
				t.Errorf("note row %v, want %v", note, tc.wantNote)
			}
			data := rows
			if note {
				data = rows[:len(rows)-1]
			}
			for i, r := range data[min(1, len(data)):] {
				if len(r) != 4 || r[0] != fmt.Sprint(i+2) || r[3] != "две\nстроки \"в кавычках\"" {
					t.Errorf("row %d = %q, want whole", i, r)
				}
			}
			kept := max(len(data)-1, 0)
			switch {
			case tc.wantKept >= 0 && kept != tc.wantKept:
				t.Errorf("kept %d rows, want %d", kept, tc.wantKept)
			case tc.wantKept < 0 && (kept == 0 || kept >= tc.rows):
				t.Errorf("kept %d of %d rows, want some but not all", kept, tc.rows)
			}
			if tc.wantNote && !strings.Contains(rows[len(rows)-1][1], fmt.Sprintf("first %d rejected rows", kept)) {
				t.Errorf("note %q, want it to say %d rows are listed", rows[len(rows)-1][1], kept)
			}
		})
	}
}

func TestCleanFileName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"clients.csv", "clients.csv"},
		{`C:\fakepath\клиенты.csv`, "клиенты.csv"},
		{"../../etc/passwd", "passwd"},
		{" a\tb\x00.csv ", "ab.csv"},
		{"", "import.csv"},
		{"dir/", "import.csv"},
	} {
		got, err := cleanFileName(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("cleanFileName(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// FuzzRejectBuffer: whatever the rows and the limit, the kept list is
// valid CSV whose rows are the first rows written, whole.
func FuzzRejectBuffer(f *testing.F) {
	f.Add("a,b\n\"c\nd\",e", 7, uint16(40))
	f.Add("line\x00reason\x00\"quoted\"\x00", 3, uint16(5))
	f.Add("Иванова, Анна\r\nтекст", 50, uint16(200))
	f.Fuzz(func(t *testing.T, cell string, rows int, limit uint16) {
		if rows < 0 || rows > 200 || len(cell) > 1000 {
			return
		}
		written := make([][]string, rows)
		b := &rejectBuffer{limit: int(limit)}
		w := csv.NewWriter(b)
		for i := range written {
			written[i] = []string{fmt.Sprint(i), cell, strings.Repeat(cell, i%3)}
			if err := w.Write(written[i]); err != nil {
				return // not writable as CSV at all (invalid UTF-8 is fine; the writer refuses nothing else)
			}
		}
		w.Flush()
		r := csv.NewReader(strings.NewReader(b.CSV()))
		r.FieldsPerRecord = -1
		got, err := r.ReadAll()
		if err != nil {
			t.Fatalf("kept list is not CSV: %v\n%q", err, b.CSV())
		}
		if b.dropped && len(got) > 0 {
			got = got[:len(got)-1] // the note
		}
		if len(got) > len(written) {
			t.Fatalf("%d rows kept of %d written", len(got), len(written))
		}
		for i, row := range got {
			want := written[i]
			// The reader turns \r\n inside quotes into \n, as any reader would.
			for j := range want {
				want[j] = strings.ReplaceAll(want[j], "\r\n", "\n")
			}
			if !slices.Equal(row, want) {
				t.Fatalf("row %d = %q, want %q", i, row, want)
			}
		}
		if !b.dropped && len(got) != len(written) {
			t.Fatalf("nothing dropped but %d of %d rows kept", len(got), len(written))
		}
	})
}
