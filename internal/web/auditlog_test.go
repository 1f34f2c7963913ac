package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
	"github.com/vernost/vernost/internal/web"
	"github.com/vernost/vernost/internal/web/webtest"
)

// seedAudit writes n "customer.view" entries for customers c000…, as the
// system, and returns the admin session to read them with.
func seedAudit(t *testing.T, srv *webtest.Server, n int) *webtest.Client {
	t.Helper()
	srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
	ctx := vernost.WithActor(context.Background(), vernost.System)
	for i := range n {
		if err := srv.Audit.Record(ctx, nil, "customer.view", "customer", fmt.Sprintf("c%03d", i), ""); err != nil {
			t.Fatal(err)
		}
	}
	return srv.SignIn(t, "admin", webtest.Password)
}

var (
	auditRow  = regexp.MustCompile(`<td>customer <code>(c\d{3})</code></td>`)
	auditNext = regexp.MustCompile(`<a href="([^"]+)" id="audit-next">`)
)

// TestAuditPagination pages through 120 entries, newest first, 50 at a time,
// and checks that every entry is shown exactly once.
func TestAuditPagination(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		srv := webtest.StartServerOn(t, db, web.Config{})
		admin := seedAudit(t, srv, 120)
		seen := map[string]bool{}
		var sizes []int
		page := "/admin/audit?action=customer.view"
		for page != "" && len(sizes) < 10 {
			res := admin.Get(t, strings.ReplaceAll(page, "&amp;", "&"))
			if res.Status != http.StatusOK {
				t.Fatalf("%s: %d", page, res.Status)
			}
			rows := auditRow.FindAllStringSubmatch(res.Body, -1)
			sizes = append(sizes, len(rows))
			for _, r := range rows {
				if seen[r[1]] {
					t.Errorf("%s shown twice", r[1])
				}
				seen[r[1]] = true
			}
			if len(sizes) == 1 && (len(rows) == 0 || rows[0][1] != "c119") {
				t.Errorf("first row %v, want the newest, c119", rows[:min(1, len(rows))])
			}
			page = ""
			if m := auditNext.FindStringSubmatch(res.Body); m != nil {
				page = m[1]
			}
		}
		if fmt.Sprint(sizes) != "[50 50 20]" || len(seen) != 120 {
			t.Errorf("page sizes %v, %d distinct entries; want [50 50 20] and 120", sizes, len(seen))
		}
	})
}

func TestAuditFilters(t *testing.T) {
	srv := webtest.StartServer(t)
	admin := seedAudit(t, srv, 3)
	srv.CreateUser(t, "anna", webtest.Password, vernost.RoleAgent) // a user.create by the system
	tests := []struct {
		query      string
		wantStatus int
		wantRows   int    // customer.view rows shown
		wantText   string // must appear
	}{
		{"", 200, 3, "user.create"},
		{"?action=customer.view", 200, 3, ""},
		{"?action=user.create", 200, 0, "user.create"},
		{"?object_type=customer&object_id=c001", 200, 1, ""},
		{"?actor=anna", 200, 0, "Записей нет"},
		{"?from=2026-11-23&to=2026-11-23", 200, 3, ""},
		{"?from=2026-11-24", 200, 0, "Записей нет"},
		{"?to=2026-11-22", 200, 0, "Записей нет"},
		{"?actor=nobody", 400, 0, "no user has the login"},
		{"?from=23.11.2026", 400, 0, "not a date"},
		{"?before=-5", 400, 0, "whole number"},
		{"?object_id=c001", 400, 0, "is required with object_id"},
		{"?from=2026-11-24&to=2026-11-22", 400, 0, "must be after"},
	}
	for _, tt := range tests {
		res := admin.Get(t, "/admin/audit"+tt.query)
		rows := len(auditRow.FindAllString(res.Body, -1))
		if res.Status != tt.wantStatus || rows != tt.wantRows || !strings.Contains(res.Body, tt.wantText) {
			t.Errorf("%q: %d with %d rows, want %d with %d rows and %q", tt.query, res.Status, rows, tt.wantStatus, tt.wantRows, tt.wantText)
		}
	}
}

func TestAuditExport(t *testing.T) {
	srv := webtest.StartServer(t)
	admin := seedAudit(t, srv, 7)
	res := admin.Get(t, "/admin/audit.csv?action=customer.view")
	if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %s", res.Status, res.Header.Get("Content-Type"))
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="vernost-audit-20261123-0900`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	records, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 8 || records[0][0] != "id" || records[1][6] != "c006" || records[7][6] != "c000" {
		t.Errorf("export has %d lines starting %v, want a header and 7 rows newest first", len(records), records[:min(2, len(records))])
	}
	// The page links to the export with the same filter.
	page := admin.Get(t, "/admin/audit?action=customer.view&from=2026-11-01")
	if !strings.Contains(page.Body, `href="/admin/audit.csv?action=customer.view&amp;from=2026-11-01"`) {
		t.Errorf("the page's export link does not carry the filter")
	}
	// A refused filter is an error page, not a half-written download.
	res = admin.Get(t, "/admin/audit.csv?object_id=c001")
	if res.Status != http.StatusBadRequest || res.Header.Get("Content-Disposition") != "" {
		t.Errorf("bad export filter: %d, Content-Disposition %q; want 400 and no download", res.Status, res.Header.Get("Content-Disposition"))
	}
}

func TestAuditAPI(t *testing.T) {
	srv := webtest.StartServer(t)
	seedAudit(t, srv, 25)
	admin, err := srv.Auth.UserByLogin(context.Background(), "admin")
	if err != nil {
		t.Fatal(err)
	}
	token := srv.CreateToken(t, admin, auth.ScopeAdmin)
	var total []string
	next := "/api/v1/audit?action=customer.view&limit=10"
	for range 5 {
		res := token.Get(t, next)
		var page struct {
			Entries []struct {
				ID       int64  `json:"id"`
				ObjectID string `json:"object_id"`
				Actor    string `json:"actor"`
			}
			NextBefore int64 `json:"next_before"`
		}
		if err := json.Unmarshal([]byte(res.Body), &page); err != nil || res.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", next, res.Status, res.Body)
		}
		for _, e := range page.Entries {
			total = append(total, e.ObjectID)
			if e.Actor != "system" {
				t.Errorf("entry %d actor %q, want system", e.ID, e.Actor)
			}
		}
		if page.NextBefore == 0 {
			break
		}
		next = fmt.Sprintf("/api/v1/audit?action=customer.view&limit=10&before=%d", page.NextBefore)
	}
	if len(total) != 25 || total[0] != "c024" || total[24] != "c000" {
		t.Errorf("paged %d entries from %v, want 25 newest first", len(total), total)
	}
	res := token.Get(t, "/api/v1/audit?limit=5000")
	if res.Status != http.StatusBadRequest || !strings.Contains(res.Body, `"field":"limit"`) {
		t.Errorf("limit over the maximum: %d %s", res.Status, res.Body)
	}
}
