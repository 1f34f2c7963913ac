package webtest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// EnvChromium may name the Chromium binary; otherwise the usual places are
// tried.
const EnvChromium = "VERNOST_CHROMIUM"

// chromiumPath finds a Chromium to drive, or "" when none is installed.
func chromiumPath() string {
	if p := os.Getenv(EnvChromium); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// NewBrowser starts a headless Chromium with a fresh profile and returns a
// chromedp context for one tab. The test is skipped, not failed, only when
// no Chromium is installed; the browser ends with the test.
func NewBrowser(t testing.TB) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Skipf("no Chromium at /usr/bin/chromium (or $%s): browser test skipped", EnvChromium)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// Start the browser now, so a broken installation fails here, clearly.
	// This first call must not carry a timeout: the browser lives as long
	// as the context of the first call.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	return ctx
}

// StepTimeout bounds one Run, so that a page that never shows what a test
// waits for fails the test instead of hanging it.
const StepTimeout = 30 * time.Second

// Do runs steps in the browser. On failure it logs where the browser was
// and what the page said, then fails the test.
func Do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	if err := chromedp.Do(stepCtx, steps...); err != nil {
		t.Fatalf("browser: %v\n%s", err, whereAmI(ctx))
	}
}

// Text returns the text of the first element matching the CSS selector,
// waiting for it to be visible.
func Text(t testing.TB, ctx context.Context, css string) string {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	text, err := chromedp.Run(stepCtx, chromedp.Text(chromedp.CSS(css), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("browser: text of %s: %v\n%s", css, err, whereAmI(ctx))
	}
	return text
}

// whereAmI describes the page, for failure messages.
func whereAmI(ctx context.Context) string {
	diagCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(diagCtx, chromedp.Location())
	text, _ := chromedp.Run(diagCtx, chromedp.Text(chromedp.CSS("body")))
	return "at " + loc + "\npage text:\n" + text
}

// Login signs in through the sign-in form and waits for the signed-in page.
func (s *Server) Login(t testing.TB, ctx context.Context, login, password string) {
	t.Helper()
	Do(t, ctx,
		chromedp.Navigate(s.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), login),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("body[data-signed-in] #user-menu")),
	)
}
