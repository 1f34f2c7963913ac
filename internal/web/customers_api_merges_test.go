package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
	"github.com/vernost/vernost/internal/web/webtest"
)

// TestCustomersAPIMerge: duplicates for supervisors, preview that changes
// nothing, merge, and undo.
func TestCustomersAPIMerge(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newAPIEnv(t, db)
		a := createCustomer(t, e.agent, `{"family_name":"Смирнова","given_name":"Ольга","birth_date":"1985-03-14","identities":[{"kind":"phone","value":"+79160000001"}]}`)
		b := createCustomer(t, e.agent, `{"family_name":"Смирнова","given_name":"Ольга","birth_date":"14.03.1985","wish":"без звонков","identities":[{"kind":"email","value":"olga@example.ru"}]}`)

		wantStatus(t, "agent's duplicates", e.agent.Get(t, "/api/v1/duplicates"), http.StatusForbidden)
		dups := decodeAPI[struct {
			Pairs []customer.DuplicatePair `json:"pairs"`
		}](t, "duplicates", e.supervisor.Get(t, "/api/v1/duplicates"), http.StatusOK)
		if len(dups.Pairs) != 1 || dups.Pairs[0].Reason != "name_and_birth_date" {
			t.Fatalf("duplicates %+v, want the Smirnova pair by name and birth date", dups.Pairs)
		}

		body := fmt.Sprintf(`{"survivor":%q,"absorbed":%q,"winners":{"wish":"absorbed"}}`, a.PublicID, b.PublicID)
		wantStatus(t, "agent's merge", e.agent.SendJSON(t, "POST", "/api/v1/merges", body), http.StatusForbidden)
		preview := decodeAPI[customer.Customer](t, "preview", e.supervisor.SendJSON(t, "POST", "/api/v1/merges/preview", body), http.StatusOK)
		if preview.PublicID != a.PublicID || preview.Wish != "без звонков" || len(preview.Identities) != 2 {
			t.Errorf("preview %+v, want a's card with b's wish and both identities", preview)
		}
		if got, _ := e.srv.Customers.Get(context.Background(), a.PublicID); got.Wish != "" || len(got.Identities) != 1 {
			t.Errorf("the preview changed the survivor: %+v", got)
		}

		rec := decodeAPI[customer.MergeRecord](t, "merge", e.supervisor.SendJSON(t, "POST", "/api/v1/merges", body), http.StatusCreated)
		if rec.ID == "" || rec.Survivor != a.PublicID || rec.Absorbed != b.PublicID {
			t.Errorf("merge record %+v", rec)
		}
		viaAbsorbed := decodeAPI[customer.Customer](t, "read absorbed", e.reader.Get(t, "/api/v1/customers/"+b.PublicID), http.StatusOK)
		if viaAbsorbed.PublicID != a.PublicID || viaAbsorbed.Wish != "без звонков" {
			t.Errorf("the absorbed id leads to %s (wish %q), want the survivor %s", viaAbsorbed.PublicID, viaAbsorbed.Wish, a.PublicID)
		}
		byEmail := decodeAPI[customer.Customer](t, "lookup after merge", e.reader.Get(t, "/api/v1/customers/lookup?email=olga@example.ru"), http.StatusOK)
		if byEmail.PublicID != a.PublicID {
			t.Errorf("b's email finds %s, want the survivor", byEmail.PublicID)
		}

		undone := decodeAPI[struct{ ID, Status string }](t, "undo", e.supervisor.SendJSON(t, "POST", "/api/v1/merges/"+rec.ID+"/undo", ""), http.StatusOK)
		if undone.ID != rec.ID || undone.Status != "undone" {
			t.Errorf("undo answered %+v", undone)
		}
		restored := decodeAPI[customer.Customer](t, "read restored", e.reader.Get(t, "/api/v1/customers/"+b.PublicID), http.StatusOK)
		if restored.PublicID != b.PublicID || len(restored.Identities) != 1 {
			t.Errorf("after undo b is %s with %+v, want b with its email back", restored.PublicID, restored.Identities)
		}
		for _, tc := range []struct {
			name, path, body string
			status           int
			code, field      string
		}{
			{"undo twice", "/api/v1/merges/" + rec.ID + "/undo", "{}", 409, "conflict", ""},
			{"undo of nothing", "/api/v1/merges/nosuchmerge/undo", "", 404, "not_found", ""},
			{"undo with a body", "/api/v1/merges/" + rec.ID + "/undo", `{"force":true}`, 400, "invalid", "force"},
			{"no survivor", "/api/v1/merges", fmt.Sprintf(`{"absorbed":%q}`, b.PublicID), 400, "invalid", "survivor"},
			{"self", "/api/v1/merges", fmt.Sprintf(`{"survivor":%q,"absorbed":%q}`, a.PublicID, a.PublicID), 400, "invalid", "absorbed"},
			{"bad winner", "/api/v1/merges/preview", fmt.Sprintf(`{"survivor":%q,"absorbed":%q,"winners":{"wish":"both"}}`, a.PublicID, b.PublicID), 400, "invalid", "winners.wish"},
			{"unknown winner field", "/api/v1/merges/preview", fmt.Sprintf(`{"survivor":%q,"absorbed":%q,"winners":{"shoe":"absorbed"}}`, a.PublicID, b.PublicID), 400, "invalid", "winners.shoe"},
		} {
			wantAPIError(t, tc.name, e.supervisor.SendJSON(t, "POST", tc.path, tc.body), tc.status, tc.code, tc.field)
		}
	})
}

// TestCustomersAPIPersonalData: export and erasure are for admins with the
// admin scope, and both are audited.
func TestCustomersAPIPersonalData(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newAPIEnv(t, db)
		anna := createCustomer(t, e.agent, `{"family_name":"Иванова","given_name":"Анна","identities":[{"kind":"phone","value":"+79161234567"}],"facts":[{"kind":"hobby","text":"рыбалка"}]}`)
		export := "/api/v1/customers/" + anna.PublicID + "/export"
		erase := "/api/v1/customers/" + anna.PublicID + "/erase"
		for who, c := range map[string]*webtest.Client{"agent": e.agent, "supervisor": e.supervisor, "admin without the admin scope": e.adminWrite} {
			wantStatus(t, who+" exporting", c.Get(t, export), http.StatusForbidden)
			wantStatus(t, who+" erasing", c.SendJSON(t, "POST", erase, `{"reason":"просьба клиента"}`), http.StatusForbidden)
		}

		res := e.admin.Get(t, export)
		data := decodeAPI[customer.PersonalData](t, "export", res, http.StatusOK)
		if data.Customer == nil || data.Customer.FamilyName != "Иванова" || len(data.Timeline) == 0 {
			t.Errorf("export %+v, want the card and its timeline", data)
		}
		if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="customer-`+anna.PublicID+`.json"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		if n := len(auditActions(t, e.srv, "customer.export", anna.PublicID)); n != 1 {
			t.Errorf("%d exports audited, want 1", n)
		}

		wantAPIError(t, "erase without a reason", e.admin.SendJSON(t, "POST", erase, `{"reason":"  "}`), 400, "invalid", "reason")
		erased := decodeAPI[customer.Customer](t, "erase", e.admin.SendJSON(t, "POST", erase, `{"reason":"просьба клиента, заявление 17"}`), http.StatusOK)
		if !erased.Erased || erased.FamilyName != "" || len(erased.Identities) != 0 || len(erased.Facts) != 0 {
			t.Errorf("erased card %+v, want nothing personal left", erased)
		}
		wantAPIError(t, "lookup of the erased", e.reader.Get(t, "/api/v1/customers/lookup?phone=89161234567"), 404, "not_found", "")
		entries := auditActions(t, e.srv, "customer.erase", anna.PublicID)
		if len(entries) != 1 || entries[0].Detail != "просьба клиента, заявление 17" || entries[0].ActorName != "token:test-admin" {
			t.Errorf("erasure audited as %+v, want the reason and the admin's token", entries)
		}
		wantAPIError(t, "patch of the erased", e.agent.SendJSON(t, "PATCH", "/api/v1/customers/"+anna.PublicID, `{"family_name":"Снова"}`), 409, "conflict", "")
	})
}
