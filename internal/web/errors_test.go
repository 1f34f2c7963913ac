package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

func TestStatusOf(t *testing.T) {
	tests := []struct {
		code string
		want int
	}{
		{vernost.EInvalid, 400},
		{vernost.EUnauthorized, 401},
		{vernost.EForbidden, 403},
		{vernost.ENotFound, 404},
		{vernost.EConflict, 409},
		{vernost.ETooLarge, 413},
		{vernost.ERateLimited, 429},
		{vernost.EInternal, 500},
		{vernost.EUnavailable, 503},
		{"no_such_code", 500},
		{"", 500},
	}
	for _, tt := range tests {
		if got := statusOf(tt.code); got != tt.want {
			t.Errorf("statusOf(%q) = %d, want %d", tt.code, got, tt.want)
		}
	}
}

func TestAsError(t *testing.T) {
	tooBig := &http.MaxBytesError{Limit: 1 << 20}
	tests := []struct {
		name     string
		err      error
		wantCode string
		wantMsg  string // substring of the safe message
	}{
		{"vernost error passes", vernost.Invalid("phones[0]", "not a phone number"), vernost.EInvalid, "not a phone number"},
		{"body limit", fmt.Errorf("read form: %w", tooBig), vernost.ETooLarge, "1 MiB"},
		{"body limit wrapped as internal", vernost.Internal(fmt.Errorf("import: %w", tooBig)), vernost.ETooLarge, "1 MiB"},
		{"cancelled", fmt.Errorf("query: %w", context.Canceled), vernost.EUnavailable, "cancelled"},
		{"anything else", errors.New("pq: relation does not exist"), vernost.EInternal, "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := asError(tt.err)
			if e.Code != tt.wantCode {
				t.Errorf("code = %q, want %q", e.Code, tt.wantCode)
			}
			if msg := vernost.ErrorMessage(e); !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("message = %q, want it to contain %q", msg, tt.wantMsg)
			}
		})
	}
}

func TestByteSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{1 << 20, "1 MiB"}, {64 << 20, "64 MiB"}, {512 << 10, "512 KiB"}, {1000, "1000 bytes"}, {1536 << 10, "1536 KiB"},
	}
	for _, tt := range tests {
		if got := byteSize(tt.n); got != tt.want {
			t.Errorf("byteSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

// TestFail checks the shape of an error answer on both faces: the API gets
// JSON with code, message and field; a page gets HTML in the reader's
// language; an internal cause is never shown on either.
func TestFail(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	secret := errors.New("dial tcp 10.0.0.7:5432: connection refused")
	tests := []struct {
		name, path, acceptLang string
		err                    error
		wantStatus             int
		wantBody               []string
	}{
		{"api invalid names the field", "/api/v1/users", "", vernost.Invalid("phones[0]", "not a phone number"),
			400, []string{`"code":"invalid"`, `"field":"phones[0]"`, `"message":"not a phone number"`}},
		{"api internal hides the cause", "/api/v1/users", "", vernost.Internal(secret),
			500, []string{`"code":"internal"`, `"message":"internal error"`}},
		{"page not found in Russian", "/admin/nothing", "ru", vernost.Errorf(vernost.ENotFound, "no such user"),
			404, []string{`lang="ru"`, "Не найдено", "no such user"}},
		{"page internal in English hides the cause", "/admin/users", "en-GB,en;q=0.9", vernost.Internal(secret),
			500, []string{`lang="en"`, "Internal error", "Something went wrong on our side"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", tt.path, nil)
			r.Header.Set("Accept-Language", tt.acceptLang)
			w := httptest.NewRecorder()
			s.fail(w, r, tt.err)
			if w.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			body := w.Body.String()
			for _, want := range tt.wantBody {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q:\n%s", want, body)
				}
			}
			if strings.Contains(body, "10.0.0.7") {
				t.Errorf("body leaks the internal cause:\n%s", body)
			}
		})
	}
}

func TestFailAPIUnauthorizedAsksForBearer(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	w := httptest.NewRecorder()
	s.fail(w, httptest.NewRequest("GET", "/api/v1/me", nil), vernost.Errorf(vernost.EUnauthorized, "sign in"))
	if w.Code != 401 {
		t.Errorf("status = %d, want 401", w.Code)
	}
	if got := w.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
		t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", got)
	}
	var body errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error.Code != vernost.EUnauthorized {
		t.Errorf("body = %s (%v), want code unauthorized", w.Body, err)
	}
}

// TestPanicIsRecovered runs a panicking handler through the real middleware:
// the client gets a 500 page without the panic value, and the server lives.
func TestPanicIsRecovered(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	h := s.wrap(route{Method: "GET", Pattern: "/boom", Perm: Public, Summary: "panics", Handler: func(w http.ResponseWriter, r *http.Request) error {
		panic("secret panic value")
	}})
	for i := range 2 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/boom", nil))
		if w.Code != 500 {
			t.Errorf("request %d: status = %d, want 500", i, w.Code)
		}
		if strings.Contains(w.Body.String(), "secret panic value") {
			t.Errorf("request %d: body shows the panic value", i)
		}
		if w.Header().Get("X-Frame-Options") != "DENY" {
			t.Errorf("request %d: security headers missing after a panic", i)
		}
	}
}

// TestErrorAfterWriteIsOnlyLogged: once a handler has started its answer, a
// later error must not append an error page to it.
func TestErrorAfterWriteIsOnlyLogged(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	h := s.wrap(route{Method: "GET", Pattern: "/half", Perm: Public, Summary: "fails late", Handler: func(w http.ResponseWriter, r *http.Request) error {
		_, _ = w.Write([]byte("id,at\n1,2026\n"))
		return vernost.Internal(errors.New("export broke"))
	}})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/half", nil))
	if w.Code != 200 || w.Body.String() != "id,at\n1,2026\n" {
		t.Errorf("got %d %q, want 200 and only the rows written", w.Code, w.Body.String())
	}
}

// flushProbe is a log handler that notes whether the answer had left when
// each line was logged.
type flushProbe struct {
	w     *httptest.ResponseRecorder
	lines []bool
}

func (p *flushProbe) Enabled(context.Context, slog.Level) bool { return true }
func (p *flushProbe) Handle(context.Context, slog.Record) error {
	p.lines = append(p.lines, p.w.Flushed)
	return nil
}
func (p *flushProbe) WithAttrs([]slog.Attr) slog.Handler { return p }
func (p *flushProbe) WithGroup(string) slog.Handler      { return p }

// A JSON answer and a page carry their length and leave before the request
// is logged: a phone system waiting for a lookup need not wait for the log.
func TestCompleteAnswersLeaveBeforeTheLogLine(t *testing.T) {
	probe := &flushProbe{}
	deps := testDeps(t, sqldbtest.SQLite(t), vernost.SystemClock{})
	deps.Logger = slog.New(probe)
	s, err := New(Config{}, deps)
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range []route{
		{Method: "GET", Pattern: "/json", Perm: Public, Summary: "json", Handler: func(w http.ResponseWriter, r *http.Request) error {
			writeJSON(w, http.StatusOK, map[string]string{"name": "Ёлкина"})
			return nil
		}},
		{Method: "GET", Pattern: "/login", Perm: Public, Summary: "page", Handler: s.loginPage},
	} {
		probe.w, probe.lines = httptest.NewRecorder(), nil
		s.wrap(rt).ServeHTTP(probe.w, httptest.NewRequest("GET", rt.Pattern, nil))
		res := probe.w.Result()
		if got, want := res.Header.Get("Content-Length"), fmt.Sprint(probe.w.Body.Len()); got != want || want == "0" {
			t.Errorf("%s: Content-Length %q for %s bytes", rt.Pattern, got, want)
		}
		if len(probe.lines) != 1 || !probe.lines[0] {
			t.Errorf("%s: flushed when logged: %v, want one line logged after the answer left", rt.Pattern, probe.lines)
		}
	}
}
