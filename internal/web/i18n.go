package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The interface speaks these languages; the first is the default.
var languages = []string{"ru", "en"}

const (
	defaultLang = "ru"
	langCookie  = "vernost_lang" // the choice of someone not signed in
)

//go:embed i18n/*.json
var catalogFiles embed.FS

// catalog holds every interface text: language → key → text.
type catalog map[string]map[string]string

// loadCatalog reads one JSON object per language and insists that all
// languages have the same keys, so no page is half translated.
func loadCatalog() (catalog, error) {
	c := catalog{}
	for _, lang := range languages {
		b, err := catalogFiles.ReadFile("i18n/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("web: catalogue %s: %w", lang, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("web: catalogue %s: %w", lang, err)
		}
		c[lang] = m
	}
	base := c[languages[0]]
	for _, lang := range languages[1:] {
		if missing := missingKeys(base, c[lang]); len(missing) > 0 {
			return nil, fmt.Errorf("web: catalogue %s lacks %s", lang, strings.Join(missing, ", "))
		}
		if extra := missingKeys(c[lang], base); len(extra) > 0 {
			return nil, fmt.Errorf("web: catalogue %s lacks %s", languages[0], strings.Join(extra, ", "))
		}
	}
	return c, nil
}

// missingKeys lists the keys of want that have no non-empty text in have.
func missingKeys(want, have map[string]string) []string {
	var out []string
	for k := range want {
		if strings.TrimSpace(have[k]) == "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// T returns the text for key in lang, formatted with args when given. An
// unknown key comes back as itself, visible on the page rather than blank
// (a test keeps templates and catalogue in step).
func (c catalog) T(lang, key string, args ...any) string {
	text, ok := c[lang][key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(text, args...)
	}
	return text
}

func supported(lang string) bool { return slices.Contains(languages, lang) }

// lang picks the language of a request: the signed-in user's setting, then
// the choice made on the sign-in page, then the browser's Accept-Language,
// then Russian.
func (s *Server) lang(r *http.Request) string {
	if id := identityFrom(r.Context()); id != nil && supported(id.user.Locale) {
		return id.user.Locale
	}
	if c, err := r.Cookie(langCookie); err == nil && supported(c.Value) {
		return c.Value
	}
	if l := negotiate(r.Header.Get("Accept-Language")); l != "" {
		return l
	}
	return defaultLang
}

// negotiate returns the supported language the Accept-Language header
// prefers most, or "" when it names none of them. "en-GB;q=0.8" counts as
// "en"; a language with q=0 is refused.
func negotiate(header string) string {
	best, bestQ := "", 0.0
	for part := range strings.SplitSeq(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if !supported(primary) {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		if q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}
