package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
)

// statusOf is the one place where an error code becomes an HTTP status.
func statusOf(code string) int {
	switch code {
	case vernost.EInvalid:
		return http.StatusBadRequest
	case vernost.EUnauthorized:
		return http.StatusUnauthorized
	case vernost.EForbidden:
		return http.StatusForbidden
	case vernost.ENotFound:
		return http.StatusNotFound
	case vernost.EConflict:
		return http.StatusConflict
	case vernost.ETooLarge:
		return http.StatusRequestEntityTooLarge
	case vernost.ERateLimited:
		return http.StatusTooManyRequests
	case vernost.EUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// asError turns any error into a vernost error. A body over its limit is
// recognised wherever it surfaced (a form, a JSON decoder, an import
// reader), even when a caller wrapped it as internal.
func asError(err error) *vernost.Error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return tooLarge(mb.Limit)
	}
	var e *vernost.Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &vernost.Error{Code: vernost.EUnavailable, Message: "the request was cancelled or took too long", Err: err}
	}
	return vernost.Internal(err)
}

func tooLarge(limit int64) *vernost.Error {
	return vernost.Errorf(vernost.ETooLarge, "the request body is larger than the limit of %s", byteSize(limit))
}

func isTooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}

// byteSize formats n as "1 MiB", "512 KiB" or "100 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// fail answers a request with err: JSON for the API, a page in the user's
// language otherwise, and for a page that needs a session, a redirect to the
// sign-in form. Internal causes are logged, never shown.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := asError(err)
	status := statusOf(e.Code)
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "code", e.Code, "err", err)
	}
	if rec, ok := w.(*recorder); ok && rec.written() {
		if status < 500 {
			s.log.WarnContext(r.Context(), "error after the answer began", "path", r.URL.Path, "err", err)
		}
		return
	}
	if at, ok := auth.RetryAt(err); ok && status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", retryAfter(at, s.clock.Now()))
	}
	msg := vernost.ErrorMessage(e)
	if isAPIPath(r.URL.Path) {
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="vernost"`)
		}
		writeJSON(w, status, errorBody{Error: errorDetail{Code: e.Code, Message: msg, Field: e.Field}})
		return
	}
	if e.Code == vernost.EUnauthorized {
		s.clearSessionCookie(w)
		http.Redirect(w, r, loginURL(r), http.StatusSeeOther)
		return
	}
	lang := s.lang(r)
	data := errorView{Code: e.Code, Status: status, Message: msg, Field: e.Field}
	if e.Code == vernost.EInternal {
		data.Message = s.catalog.T(lang, "error.internal.detail")
	}
	if rerr := s.render(w, r, status, "error", data); rerr != nil {
		s.log.ErrorContext(r.Context(), "render error page", "err", rerr)
		http.Error(w, msg, status)
	}
}

// errorView is what the error page shows.
type errorView struct {
	Code    string
	Status  int
	Message string
	Field   string
}

// errorBody is the JSON shape of every API error.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code" enum:"invalid|not_found|conflict|unauthorized|forbidden|too_large|rate_limited|unavailable|internal"`
	Message string `json:"message" doc:"safe to show to a person"`
	Field   string `json:"field,omitempty" doc:"the offending input field, e.g. phones[0]"`
}

// retryAfter is the Retry-After header value: whole seconds, at least one.
func retryAfter(at, now time.Time) string {
	return strconv.Itoa(max(1, int(math.Ceil(at.Sub(now).Seconds()))))
}

func isAPIPath(p string) bool { return strings.HasPrefix(p, "/api/") }

// loginURL sends the user to sign in and, for a page they were reading,
// back to it afterwards.
func loginURL(r *http.Request) string {
	if r.Method != http.MethodGet || r.URL.Path == "/" {
		return "/login"
	}
	return "/login?next=" + url.QueryEscape(r.URL.RequestURI())
}

// writeJSON writes v with status. Encoding errors are programming errors in
// the response types; they are reported as a broken body the client sees.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"internal error"}}`)
	}
	b = append(b, '\n')
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
