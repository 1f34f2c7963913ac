package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/web/webtest"
)

// TestBrowserAdminCreatesAgent drives a real Chromium: an admin signs in,
// adds an agent, switches the interface to English and finds the creation
// in the audit log.
func TestBrowserAdminCreatesAgent(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	srv := webtest.StartServer(t)
	srv.CreateUser(t, "admin", webtest.Password, vernost.RoleAdmin)
	ctx := webtest.NewBrowser(t)
	srv.Login(t, ctx, "admin", webtest.Password)

	webtest.Do(t, ctx,
		chromedp.Navigate(srv.URL+"/admin/users"),
		chromedp.WaitVisible(chromedp.CSS("#new-user")),
		chromedp.SendKeys(chromedp.CSS("#new-login"), "agent1"),
		chromedp.SendKeys(chromedp.CSS("#new-name"), "Анна Агентова"),
		chromedp.SendKeys(chromedp.CSS("#new-password"), "agent-password-1"),
		chromedp.SetValue(chromedp.CSS("#new-role"), "agent"),
		chromedp.Click(chromedp.CSS("#new-user-submit")),
		chromedp.WaitVisible(chromedp.CSS(".notice")),
	)
	if got := webtest.Text(t, ctx, ".notice"); got != "Пользователь создан." {
		t.Errorf("notice %q, want the Russian confirmation", got)
	}
	if table := webtest.Text(t, ctx, "#users-table"); !strings.Contains(table, "agent1") || !strings.Contains(table, "Анна Агентова") {
		t.Errorf("user table lacks the new agent:\n%s", table)
	}
	agent, err := srv.Auth.UserByLogin(t.Context(), "agent1")
	if err != nil || agent.Role != vernost.RoleAgent {
		t.Fatalf("stored agent %+v (%v)", agent, err)
	}

	webtest.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#lang-en")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #users-table`)),
	)
	if nav := webtest.Text(t, ctx, ".main-nav"); !strings.Contains(nav, "Users") || !strings.Contains(nav, "Audit log") {
		t.Errorf("menu after switching to English: %q", nav)
	}

	webtest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`.main-nav a[href="/admin/audit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#audit-table")),
	)
	if h := webtest.Text(t, ctx, "h1"); h != "Audit log" {
		t.Errorf("audit heading %q, want Audit log", h)
	}
	var found bool
	for line := range strings.SplitSeq(webtest.Text(t, ctx, "#audit-table tbody"), "\n") {
		if strings.Contains(line, "user.create") && strings.Contains(line, agent.PublicID) && strings.Contains(line, "admin") {
			found = true
		}
	}
	if !found {
		t.Errorf("audit log lacks user.create of %s by admin:\n%s", agent.PublicID, webtest.Text(t, ctx, "#audit-table"))
	}
}
