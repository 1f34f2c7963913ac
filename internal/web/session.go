package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
)

// home sends every user to the customer search, where the work of a
// contact center starts.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	return redirect(w, r, "/customers")
}

// loginView is the sign-in form.
type loginView struct {
	Login string
	Next  string
	Error string // catalogue key
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.URL.Query().Get("next"))
	if identityFrom(r.Context()) != nil {
		return redirect(w, r, next)
	}
	return s.render(w, r, http.StatusOK, "login", loginView{Next: next})
}

// login checks the password and starts a session. Failures come back to the
// form with a message; a locked-out login is told to wait (429).
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := loginView{Login: strings.TrimSpace(r.PostFormValue("login")), Next: localPath(r.PostFormValue("next"))}
	password := r.PostFormValue("password")
	if v.Login == "" || password == "" {
		v.Error = "login.missing"
		return s.render(w, r, statusOf(vernost.EInvalid), "login", v)
	}
	token, sess, _, err := s.auth.Login(r.Context(), v.Login, password, clientIP(r), r.UserAgent())
	switch code := vernost.ErrorCode(err); code {
	case "":
	case vernost.ERateLimited:
		v.Error = "login.rate_limited"
		if at, ok := auth.RetryAt(err); ok {
			w.Header().Set("Retry-After", retryAfter(at, s.clock.Now()))
		}
		return s.render(w, r, statusOf(code), "login", v)
	case vernost.EUnauthorized, vernost.ENotFound, vernost.EInvalid:
		v.Error = "login.failed"
		return s.render(w, r, statusOf(vernost.EUnauthorized), "login", v)
	default:
		return err
	}
	s.setSessionCookie(w, token, sess)
	// The choice made on the sign-in page was for the anonymous visitor;
	// from now on the user's own setting applies.
	http.SetCookie(w, &http.Cookie{Name: langCookie, Path: "/", MaxAge: -1})
	return redirect(w, r, v.Next)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	id := identityFrom(r.Context())
	if err := s.auth.Logout(r.Context(), id.raw); err != nil && !isCredentialError(err) {
		return err
	}
	s.clearSessionCookie(w)
	return redirect(w, r, "/login?ok=signed_out")
}

// switchLanguage stores the chosen language: in the user's settings when
// signed in, in a cookie otherwise.
func (s *Server) switchLanguage(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	lang := r.PostFormValue("lang")
	if !supported(lang) {
		return vernost.Invalid("lang", "choose one of %s", strings.Join(languages, ", "))
	}
	if id := identityFrom(r.Context()); id != nil && id.session != nil {
		if id.user.Locale != lang {
			if _, err := s.auth.UpdateUser(r.Context(), id.user.PublicID, auth.UserUpdate{Locale: &lang}); err != nil {
				return err
			}
		}
	} else {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies})
	}
	return redirect(w, r, localPath(r.PostFormValue("next")))
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string, sess auth.Session) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/",
		MaxAge:   max(1, int(sess.ExpiresAt.Sub(s.clock.Now())/time.Second)),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies,
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies})
}

// localPath returns p if it is a path on this site, "/" otherwise, so that
// "?next=" cannot send a user who just signed in to another site.
func localPath(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") ||
		strings.ContainsAny(p, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return u.RequestURI()
}
