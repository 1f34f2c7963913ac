package web

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
)

// sessionCookie holds the session token issued by auth.Login.
const sessionCookie = "vernost_session"

// identity is who sent the request, once authenticated.
type identity struct {
	user    auth.User
	session *auth.Session // set for a browser session
	token   *auth.Token   // set for an API token
	raw     string        // the session token, to sign out
}

type identityKey struct{}

// identityFrom returns the request's identity, or nil when anonymous.
func identityFrom(ctx context.Context) *identity {
	id, _ := ctx.Value(identityKey{}).(*identity)
	return id
}

// wrap applies to one route everything the route table says about it. The
// order matters: headers and recovery first so that every answer has them;
// the body limit before anything reads the body; CSRF after authentication
// because it needs the session.
func (s *Server) wrap(rt route) http.Handler {
	name := rt.Method + " " + rt.Pattern
	if rt.Method == "" {
		name = "unmatched"
	}
	limit := s.cfg.MaxBodyBytes
	if rt.MaxBody > 0 {
		limit = rt.MaxBody
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("handler panicked", "route", name, "panic", p, "stack", string(debug.Stack()))
				s.fail(rec, r, vernost.Internal(fmt.Errorf("panic: %v", p)))
			}
			took := time.Since(start)
			// A complete answer leaves before the request is logged: a
			// phone system waiting to route a call need not wait for the
			// log line too.
			if rec.Header().Get("Content-Length") != "" {
				_ = http.NewResponseController(rec).Flush()
			}
			s.observe(rec, r, name, took)
		}()
		securityHeaders(rec.Header(), s.cfg.SecureCookies)
		if r.ContentLength > limit {
			s.fail(rec, r, tooLarge(limit))
			return
		}
		r.Body = http.MaxBytesReader(rec, r.Body, limit)
		r, err := s.authenticate(rec, r, rt)
		if err == nil {
			err = authorize(r, rt)
		}
		if err == nil {
			err = s.checkCSRF(r)
		}
		if err == nil {
			err = rt.Handler(rec, r)
		}
		if err != nil {
			s.fail(rec, r, err)
		}
	})
}

// authenticate finds who is calling: an API token (API routes only), the
// metrics token (the metrics route only) or a session cookie. An anonymous
// request is not an error here; authorize decides whether it may pass.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, rt route) (*http.Request, error) {
	ctx := r.Context()
	actor := vernost.Actor{IP: clientIP(r)}
	var id *identity
	bearer, hasBearer := bearerToken(r)
	switch {
	case hasBearer && rt.API:
		// An explicit token decides alone; a cookie sent along is ignored.
		tok, u, err := s.auth.AuthenticateToken(ctx, bearer)
		if err != nil {
			if isCredentialError(err) {
				return r, vernost.Errorf(vernost.EUnauthorized, "the API token is invalid or revoked")
			}
			return r, err
		}
		id = &identity{user: u, token: &tok}
	case hasBearer && rt.Scrape && s.cfg.MetricsToken != "" &&
		subtle.ConstantTimeCompare([]byte(bearer), []byte(s.cfg.MetricsToken)) == 1:
		id = &identity{user: auth.User{Login: "metrics", Role: vernost.RoleAdmin, Active: true}}
	default:
		// Pages know only sessions; a bearer token here counts for nothing.
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			break
		}
		sess, u, err := s.auth.Authenticate(ctx, c.Value)
		switch {
		case err == nil:
			id = &identity{user: u, session: &sess, raw: c.Value}
		case isCredentialError(err):
			s.clearSessionCookie(w)
		default:
			return r, err
		}
	}
	if id != nil && !id.user.Active {
		id = nil
	}
	if id != nil {
		actor = id.user.Actor(actor.IP)
		if id.token != nil {
			actor.TokenID = id.token.ID
			actor.Name = "token:" + id.token.Name
		}
		ctx = context.WithValue(ctx, identityKey{}, id)
	}
	return r.WithContext(vernost.WithActor(ctx, actor)), nil
}

// isCredentialError reports whether err only says the credentials are not
// good (as opposed to the database being down).
func isCredentialError(err error) bool {
	switch vernost.ErrorCode(err) {
	case vernost.EUnauthorized, vernost.ENotFound, vernost.EForbidden:
		return true
	}
	return false
}

// authorize applies the route's permission and, for API tokens, its scope.
func authorize(r *http.Request, rt route) error {
	if rt.Perm == Public {
		return nil
	}
	id := identityFrom(r.Context())
	if id == nil {
		return vernost.Errorf(vernost.EUnauthorized, "sign in to continue")
	}
	if !id.user.Role.AtLeast(rt.Perm.Role()) {
		return vernost.Errorf(vernost.EForbidden, "this needs the %s role", rt.Perm)
	}
	if id.token != nil && rt.Scope != "" && !id.token.HasScope(rt.Scope) {
		return vernost.Errorf(vernost.EForbidden, "the API token lacks the %s scope", rt.Scope)
	}
	return nil
}

// checkCSRF guards state-changing requests. A browser sending a request from
// another site is refused by its Origin / Sec-Fetch-Site headers; a request
// riding on a session must also carry the session's CSRF token, in the form
// field "csrf" or the X-CSRF-Token header. Bearer-token requests carry no
// ambient credentials, so there is nothing to forge.
func (s *Server) checkCSRF(r *http.Request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	id := identityFrom(r.Context())
	if id != nil && id.session == nil {
		return nil
	}
	if err := s.origin.Check(r); err != nil {
		return vernost.Errorf(vernost.EForbidden, "cross-site request refused")
	}
	if id == nil {
		return nil
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		if err := parseForm(r); err != nil {
			return err
		}
		got = r.PostFormValue("csrf")
	}
	if got == "" || !id.session.CheckCSRF(got) {
		return vernost.Errorf(vernost.EForbidden, "the form has expired; reload the page and try again")
	}
	return nil
}

// parseForm reads a urlencoded or multipart body, keeping the body limit's
// error so that it becomes 413 and not 400.
func parseForm(r *http.Request) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch ct {
	case "multipart/form-data":
		err = r.ParseMultipartForm(8 << 20)
	case "application/x-www-form-urlencoded":
		err = r.ParseForm()
	default:
		return nil
	}
	if err != nil {
		if isTooLarge(err) {
			return err
		}
		return vernost.Invalid("body", "the form cannot be read")
	}
	return nil
}

// bearerToken returns the token of an "Authorization: Bearer …" header.
func bearerToken(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// clientIP is the peer address. Forwarded headers are not trusted: anyone
// can send them, and the audit log must not record what the client claims.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// securityHeaders are set on every answer. The CSP forbids inline script and
// style, so all JavaScript and CSS lives in /static.
func securityHeaders(h http.Header, https bool) {
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if https {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
}

// observe logs the request and feeds the metrics, labelled by route pattern
// (not path, which would explode the label set).
func (s *Server) observe(rec *recorder, r *http.Request, route string, took time.Duration) {
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	s.metrics.observe(route, status, took)
	level := slog.LevelInfo
	switch {
	case status >= 500:
		level = slog.LevelError
	case strings.HasPrefix(route, "GET /static/"), route == "GET /healthz", route == "GET /metrics":
		level = slog.LevelDebug
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("route", route),
		slog.Int("status", status), slog.Int64("bytes", rec.bytes), slog.Duration("took", took),
	}
	if a := vernost.ActorFrom(r.Context()); a.Name != "" {
		attrs = append(attrs, slog.String("actor", a.Name))
	}
	s.log.LogAttrs(r.Context(), level, "request", attrs...)
}

// recorder remembers the status and size of the answer for the log, and
// whether anything was written (after which an error can only be logged).
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach Flush (server-sent events).
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *recorder) written() bool { return w.status != 0 }
