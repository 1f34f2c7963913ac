package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
)

// Templates and static files are compiled into the binary: a deployment is
// one file, and a template typo fails New, not a user's request.
var (
	//go:embed templates
	templateFiles embed.FS
	//go:embed static
	staticFiles embed.FS
)

// pageSet holds every page parsed once per language, so that T in a
// template is a plain function: language → page name → template.
type pageSet map[string]map[string]*template.Template

// parsePages parses templates/layout.html with each other template in
// templates/; a page file defines "title" and "content".
func (s *Server) parsePages() (pageSet, error) {
	const layout = "templates/layout.html"
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	set := pageSet{}
	for _, lang := range languages {
		base, err := template.New("layout.html").Funcs(s.templateFuncs(lang)).ParseFS(templateFiles, layout)
		if err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
		set[lang] = map[string]*template.Template{}
		for _, f := range files {
			if f == layout {
				continue
			}
			t, err := template.Must(base.Clone()).ParseFS(templateFiles, f)
			if err != nil {
				return nil, fmt.Errorf("web: %w", err)
			}
			set[lang][strings.TrimSuffix(path.Base(f), ".html")] = t
		}
	}
	return set, nil
}

func (s *Server) templateFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		"T": func(key string, args ...any) string { return s.catalog.T(lang, key, args...) },
		// asset gives a static file's URL with its content hash, so it can
		// be cached for a year and still change on upgrade.
		"asset": s.assets.url,
		"time": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2006-01-02 15:04")
		},
		// field names an input in the page's language, or as sent when
		// the catalogue does not know it.
		"field": func(name string) string {
			if text, ok := s.catalog[lang]["field."+name]; ok {
				return text
			}
			return name
		},
		"has": slices.Contains[[]string],
		"timep": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.UTC().Format("2006-01-02 15:04")
		},
	}
}

// view is what the layout receives; Data is the page's own content.
type view struct {
	Lang   string
	Langs  []string
	User   *auth.User // nil when not signed in
	CSRF   string
	Path   string // the current address, to come back to after a language switch
	Nav    []navLink
	Notice string // catalogue key of a confirmation to show
	Data   any
}

type navLink struct {
	Path, Key string
	Current   bool
}

// navigation is the header menu. An entry appears when its page is in the
// route table and the user's role reaches it, so areas added to the table
// show up by themselves.
var navigation = []struct{ Path, Key string }{
	{"/customers", "nav.customers"},
	{"/duplicates", "nav.duplicates"},
	{"/import", "nav.import"},
	{"/admin/users", "nav.users"},
	{"/admin/audit", "nav.audit"},
	{"/admin/tokens", "nav.tokens"},
}

func (s *Server) nav(r *http.Request, role vernost.Role) []navLink {
	var out []navLink
	for _, n := range navigation {
		perm, ok := s.perms["GET "+n.Path]
		if !ok || (perm != Public && !role.AtLeast(perm.Role())) {
			continue
		}
		cur := r.URL.Path == n.Path || strings.HasPrefix(r.URL.Path, n.Path+"/")
		out = append(out, navLink{Path: n.Path, Key: n.Key, Current: cur})
	}
	return out
}

// render writes page with status. The page is executed into a buffer first,
// so a template failure becomes a clean error page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) error {
	lang := s.lang(r)
	t := s.pages[lang][page]
	if t == nil {
		return vernost.Internal(fmt.Errorf("no template %q", page))
	}
	v := view{Lang: lang, Langs: languages, Path: r.URL.RequestURI(), Data: data}
	if id := identityFrom(r.Context()); id != nil && id.session != nil {
		v.User = &id.user
		v.CSRF = id.session.CSRFToken
		v.Nav = s.nav(r, id.user.Role)
	}
	if ok := r.URL.Query().Get("ok"); ok != "" {
		if _, known := s.catalog[lang]["notice."+ok]; known {
			v.Notice = "notice." + ok
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return vernost.Internal(fmt.Errorf("render %s: %w", page, err))
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store") // pages show personal data
	h.Set("Content-Language", lang)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// redirect answers a form post with "see other", the post/redirect/get
// pattern that keeps the back button and reload from posting twice.
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// assets are the embedded static files with a content hash for each.
type assets struct {
	fsys    fs.FS
	version map[string]string // "app.css" → first 10 hex digits of its SHA-256
}

func loadAssets() (*assets, error) {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, err
	}
	a := &assets{fsys: sub, version: map[string]string{}}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.version[p] = hex.EncodeToString(sum[:5])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	return a, nil
}

func (a *assets) url(name string) (string, error) {
	v, ok := a.version[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return "/static/" + name + "?v=" + v, nil
}

// static serves /static/. A versioned URL never changes content, so it may
// be cached for good; an unversioned one is revalidated.
func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	if _, ok := s.assets.version[name]; !ok {
		return vernost.Errorf(vernost.ENotFound, "no such file")
	}
	if r.URL.Query().Get("v") == s.assets.version[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	http.ServeFileFS(w, r, s.assets.fsys, name)
	return nil
}
