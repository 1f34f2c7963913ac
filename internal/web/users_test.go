package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
	"github.com/vernost/vernost/internal/web"
	"github.com/vernost/vernost/internal/web/webtest"
)

func newUserForm(login, password string) url.Values {
	return url.Values{"login": {login}, "name": {"Анна Смирнова"}, "email": {login + "@example.com"},
		"password": {password}, "role": {"agent"}, "locale": {"ru"}}
}

func TestUserAdministration(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		srv := webtest.StartServerOn(t, db, web.Config{})
		me := srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
		admin := srv.SignIn(t, "admin", webtest.Password)
		ctx := context.Background()

		res := admin.PostForm(t, "/admin/users", newUserForm("anna", webtest.Password))
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/admin/users?ok=user_created" {
			t.Fatalf("create: %d to %q:\n%.1000s", res.Status, res.Header.Get("Location"), res.Body)
		}
		list := admin.Get(t, res.Header.Get("Location"))
		if !strings.Contains(list.Body, "Пользователь создан") || !strings.Contains(list.Body, ">anna</a>") {
			t.Errorf("list after create lacks the notice or the user")
		}
		anna, err := srv.Auth.UserByLogin(ctx, "anna")
		if err != nil || anna.Role != vernost.RoleAgent || anna.Email != "anna@example.com" {
			t.Fatalf("stored user %+v (%v)", anna, err)
		}

		// Mistakes come back to the form with the typed values, never the password.
		res = admin.PostForm(t, "/admin/users", newUserForm("boris", "short"))
		if res.Status != http.StatusBadRequest || !strings.Contains(res.Body, `value="boris"`) || strings.Contains(res.Body, `value="short"`) {
			t.Errorf("short password: %d, want 400 with the login kept and the password dropped", res.Status)
		}
		if !strings.Contains(res.Body, `class="error"`) {
			t.Errorf("short password: no error shown")
		}
		res = admin.PostForm(t, "/admin/users", newUserForm("anna", webtest.Password))
		if res.Status != http.StatusConflict {
			t.Errorf("taken login: %d, want 409", res.Status)
		}

		// Edit role, status and language.
		res = admin.PostForm(t, "/admin/users/"+anna.PublicID, url.Values{"name": {"Анна С."}, "email": {""},
			"role": {"supervisor"}, "locale": {"en"}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("update: %d:\n%.1000s", res.Status, res.Body)
		}
		anna, _ = srv.Auth.UserByPublicID(ctx, anna.PublicID)
		if anna.Name != "Анна С." || anna.Role != vernost.RoleSupervisor || anna.Locale != "en" || anna.Active {
			t.Errorf("after update %+v, want supervisor, en, inactive (box unticked)", anna)
		}

		// An admin cannot demote or deactivate themselves from the form.
		res = admin.PostForm(t, "/admin/users/"+me.PublicID, url.Values{"name": {"Me"}, "role": {"agent"}, "locale": {"ru"}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("self update: %d", res.Status)
		}
		if self, _ := srv.Auth.UserByPublicID(ctx, me.PublicID); self.Role != vernost.RoleAdmin || !self.Active || self.Name != "Me" {
			t.Errorf("self after update %+v, want still an active admin with the new name", self)
		}
		if page := admin.Get(t, "/admin/users/"+me.PublicID); !strings.Contains(page.Body, `name="role" disabled`) {
			t.Errorf("own page does not lock the role")
		}

		// Reset a password: the new one works.
		res = admin.PostForm(t, "/admin/users/"+anna.PublicID+"/password", url.Values{"password": {"another-long-password"}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("reset password: %d", res.Status)
		}
		if _, err := srv.Auth.UpdateUser(vernost.WithActor(ctx, vernost.System), anna.PublicID, auth.UserUpdate{Active: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		srv.SignIn(t, "anna", "another-long-password")

		if res := admin.Get(t, "/admin/users/nosuchuser00000"); res.Status != http.StatusNotFound {
			t.Errorf("unknown user page: %d, want 404", res.Status)
		}

		// Each change is in the audit log under the admin's name and address.
		entries, err := srv.Audit.List(ctx, audit.Filter{ObjectType: "user", ObjectID: anna.PublicID})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]bool{}
		for _, e := range entries {
			actions[e.Action] = true
			if e.Action != "user.update" || e.ActorName != "admin" {
				continue
			}
			if e.IP != "127.0.0.1" {
				t.Errorf("%s recorded from %q, want 127.0.0.1", e.Action, e.IP)
			}
		}
		for _, a := range []string{"user.create", "user.update", "user.password"} {
			if !actions[a] {
				t.Errorf("audit lacks %s for anna: %v", a, actions)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestUserTextIsEscaped: names typed by one user are shown to others, so
// they must never become markup.
func TestUserTextIsEscaped(t *testing.T) {
	srv := webtest.StartServer(t)
	srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
	admin := srv.SignIn(t, "admin", webtest.Password)
	form := newUserForm("mallory", webtest.Password)
	form.Set("name", `<script>alert(1)</script><img src=x onerror=alert(2)>`)
	if res := admin.PostForm(t, "/admin/users", form); res.Status != http.StatusSeeOther {
		t.Fatalf("create: %d", res.Status)
	}
	for _, page := range []string{"/admin/users", "/admin/audit"} {
		body := admin.Get(t, page).Body
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s shows the name as markup", page)
		}
		if page == "/admin/users" && !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the name as text", page)
		}
	}
}

func TestUsersAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		srv := webtest.StartServerOn(t, db, web.Config{})
		admin := srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
		token := srv.CreateToken(t, admin, auth.ScopeAdmin)

		res := token.SendJSON(t, "POST", "/api/v1/users", `{"login":"ivan","name":"Иван","password":"`+webtest.Password+`","role":"supervisor"}`)
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		var created struct {
			ID, Login, Role, Locale string
			Active                  bool
		}
		if err := json.Unmarshal([]byte(res.Body), &created); err != nil {
			t.Fatal(err)
		}
		if created.Login != "ivan" || created.Role != "supervisor" || created.Locale != "ru" || !created.Active || len(created.ID) != 16 {
			t.Errorf("created %+v", created)
		}
		loc := res.Header.Get("Location")
		if loc != "/api/v1/users/"+created.ID {
			t.Errorf("Location %q, want /api/v1/users/%s", loc, created.ID)
		}
		if got := token.Get(t, loc); got.Status != http.StatusOK || !strings.Contains(got.Body, `"login":"ivan"`) {
			t.Errorf("GET %s: %d %s", loc, got.Status, got.Body)
		}

		var list struct{ Users []struct{ Login string } }
		res = token.Get(t, "/api/v1/users")
		if err := json.Unmarshal([]byte(res.Body), &list); err != nil || len(list.Users) != 2 {
			t.Errorf("list: %d %s (%v), want 2 users", res.Status, res.Body, err)
		}
		if strings.Contains(res.Body, "password") {
			t.Errorf("the user list mentions passwords: %s", res.Body)
		}

		tests := []struct {
			body, wantCode, wantField string
			wantStatus                int
		}{
			{`{"login":"x","name":"X","password":"` + webtest.Password + `","role":"agent","admin":true}`, "invalid", "admin", 400},
			{`{"login":"xena","name":"X","password":"short","role":"agent"}`, "invalid", "password", 400},
			{`{"login":"xena","name":"X","password":"` + webtest.Password + `","role":"boss"}`, "invalid", "role", 400},
			{`{"login":"ivan","name":"X","password":"` + webtest.Password + `","role":"agent"}`, "conflict", "login", 409},
			{`{"login":"x"`, "invalid", "body", 400},
		}
		for _, tt := range tests {
			res := token.SendJSON(t, "POST", "/api/v1/users", tt.body)
			var e struct{ Error struct{ Code, Field string } }
			_ = json.Unmarshal([]byte(res.Body), &e)
			if res.Status != tt.wantStatus || e.Error.Code != tt.wantCode || e.Error.Field != tt.wantField {
				t.Errorf("POST %s: %d %s, want %d code %s field %q", tt.body, res.Status, res.Body, tt.wantStatus, tt.wantCode, tt.wantField)
			}
		}

		// The API acted as the token, which the audit log names.
		entries, err := srv.Audit.List(context.Background(), audit.Filter{Action: "user.create", ObjectType: "user", ObjectID: created.ID})
		if err != nil || len(entries) != 1 || entries[0].ActorName != "token:test-admin" {
			t.Errorf("audit of the API create: %+v (%v), want actor token:test-admin", entries, err)
		}
	})
}

func TestMe(t *testing.T) {
	srv := webtest.StartServer(t)
	u := srv.CreateUser(t, "anna", webtest.Password, vernost.RoleAgent)
	var me struct {
		User   struct{ ID, Login, Role string }
		Via    string
		Scopes []string
	}
	res := srv.SignIn(t, "anna", webtest.Password).Get(t, "/api/v1/me")
	if err := json.Unmarshal([]byte(res.Body), &me); err != nil || me.User.ID != u.PublicID || me.Via != "session" || me.User.Role != "agent" {
		t.Errorf("me by session: %d %s", res.Status, res.Body)
	}
	res = srv.CreateToken(t, u, auth.ScopeCustomersRead).Get(t, "/api/v1/me")
	me.Scopes = nil
	if err := json.Unmarshal([]byte(res.Body), &me); err != nil || me.Via != "token" || len(me.Scopes) != 1 || me.Scopes[0] != auth.ScopeCustomersRead {
		t.Errorf("me by token: %d %s", res.Status, res.Body)
	}
}
