package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vernost/vernost/internal/repotest"

	"github.com/chromedp/chromedp"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/web/webtest"
)

// TestBrowserCustomerWork drives a real Chromium through an operator's day
// with one customer: find her by typing her name in lower case with "е" for
// "ё", open the card, add a fact and see it on the timeline, then merge her
// duplicate and see one card with both phones and the merge.
func TestBrowserCustomerWork(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	srv := webtest.StartServer(t)
	srv.CreateUser(t, "super", webtest.Password, vernost.RoleSupervisor)
	ctx := vernost.WithActor(context.Background(), vernost.System)
	for _, in := range []customer.Input{
		{FamilyName: ptr("Фёдорова"), GivenName: ptr("Алёна"), Patronymic: ptr("Сергеевна"), BirthDate: ptr("1985-03-08"),
			Pronunciation: ptr("ФЁдорова, АлЁна"), Persona: ptr("status"), PreferredChannel: ptr("telegram"),
			QuietFrom: ptr("21:00"), QuietTo: ptr("09:00"), Wish: ptr("Ранняя запись к одному мастеру"),
			Identities: []customer.IdentityInput{{Kind: "phone", Value: "+7 916 123-45-67"}, {Kind: "email", Value: "alena@example.ru"}},
			Tags:       []string{"vip"}, Facts: []customer.FactInput{{Kind: "family", Text: "дочь Маша, 7 лет", Pinned: true}}},
		{FamilyName: ptr("Федорова"), GivenName: ptr("Алена"), BirthDate: ptr("1985-03-08"),
			Identities: []customer.IdentityInput{{Kind: "phone", Value: "8 903 765-43-21"}}},
		{FamilyName: ptr("Фролов"), GivenName: ptr("Алексей")}, // on the list until the search narrows it
	} {
		if _, _, err := srv.Customers.Create(ctx, in); err != nil {
			t.Fatal(err)
		}
	}

	b := webtest.NewBrowser(t)
	srv.Login(t, b, "super", webtest.Password)

	// Home is the customer search. A marker on the window shows that the
	// results change without the page being reloaded.
	webtest.Do(t, b,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.Poll[chromedp.Void](`document.getElementById("customers-table").innerText.includes("Фролов")`),
		chromedp.Evaluate[chromedp.Void](`window.sameDocument = true`),
		chromedp.SendKeys(chromedp.CSS("#q"), "федорова ал"),
		chromedp.Poll[chromedp.Void](`(() => {
			const t = document.getElementById("customers-table").innerText;
			return t.includes("Фёдорова Алёна Сергеевна") && !t.includes("Фролов");
		})()`),
	)
	same, err := chromedp.Run(b, chromedp.Evaluate[bool](`window.sameDocument === true && location.search.includes("q=")`))
	if err != nil || !same {
		t.Errorf("the results came from a page load, not the search box (%v)", err)
	}

	webtest.Do(t, b,
		chromedp.Click(chromedp.Search(`//a[@class="customer-link" and text()="Фёдорова Алёна Сергеевна"]`)),
		chromedp.WaitVisible(chromedp.CSS("#customer-name")),
	)
	if got := webtest.Text(t, b, "#customer-name"); got != "Фёдорова Алёна Сергеевна" {
		t.Fatalf("card heading %q", got)
	}
	if got := webtest.Text(t, b, "#pronunciation"); !strings.Contains(got, "ФЁдорова, АлЁна") {
		t.Errorf("pronunciation %q", got)
	}
	if got := webtest.Text(t, b, "#persona"); !strings.Contains(got, "Обращайтесь по имени и отчеству") {
		t.Errorf("persona guidance %q", got)
	}

	webtest.Do(t, b,
		chromedp.SetValue(chromedp.CSS("#fact-kind"), "hobby"),
		chromedp.SendKeys(chromedp.CSS("#fact-text"), "любит рыбалку"),
		chromedp.Click(chromedp.CSS("#add-fact")),
		chromedp.WaitVisible(chromedp.CSS(".notice")),
	)
	if got := webtest.Text(t, b, "#facts"); !strings.Contains(got, "любит рыбалку") {
		t.Errorf("facts after adding one:\n%s", got)
	}
	first := webtest.Text(t, b, "#timeline-list li:first-child")
	if !strings.Contains(first, "Новый факт") || !strings.Contains(first, "Хобби: любит рыбалку") || !strings.Contains(first, "super") {
		t.Errorf("newest timeline entry %q, want the fact by super", first)
	}
	// The card as it first appears, on a 1366×768 screen.
	webtest.Do(t, b,
		chromedp.EmulateViewport(1366, 768),
		chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`),
	)
	screenshot(t, b, "customer-card.png")

	webtest.Do(t, b,
		chromedp.Click(chromedp.CSS(`.main-nav a[href="/duplicates"]`)),
		chromedp.WaitVisible(chromedp.CSS("#duplicates-table")),
		chromedp.Click(chromedp.CSS("#duplicates-table a.compare")),
		chromedp.WaitVisible(chromedp.CSS("#merge-form")),
	)
	screenshot(t, b, "customer-merge.png")
	webtest.Do(t, b,
		chromedp.Click(chromedp.CSS("#merge-submit")),
		chromedp.WaitVisible(chromedp.CSS("#merges")),
	)
	ids := webtest.Text(t, b, "#identities")
	for _, phone := range []string{"+7 916 123-45-67", "+7 903 765-43-21"} {
		if !strings.Contains(ids, phone) {
			t.Errorf("merged card's contacts lack %s:\n%s", phone, ids)
		}
	}
	if tl := webtest.Text(t, b, "#timeline-list"); !strings.Contains(tl, "Объединение карточек") || !strings.Contains(tl, "любит рыбалку") {
		t.Errorf("merged card's timeline lacks the merge or the fact:\n%s", tl)
	}
	if got := webtest.Text(t, b, "#merges"); !strings.Contains(got, "Отменить объединение") {
		t.Errorf("merges on the card: %q, want an undo button", got)
	}
	if n, err := srv.Customers.Count(context.Background()); err != nil || n != 2 {
		t.Errorf("live customers after the merge: %d (%v), want 2", n, err)
	}
}

// screenshot saves the browser's viewport (1366×768) in bench/out/ for a
// person to look at; the directory is not committed.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	out := repotest.File(t, "bench", "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", filepath.Join(out, name))
}
