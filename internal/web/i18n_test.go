package web

import (
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
)

func TestCatalogueLanguagesAgree(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range languages {
		if len(c[lang]) == 0 {
			t.Fatalf("catalogue %s is empty", lang)
		}
		for _, other := range languages {
			if missing := missingKeys(c[lang], c[other]); len(missing) > 0 {
				t.Errorf("%s lacks keys that %s has: %v", other, lang, missing)
			}
		}
	}
	if c.T("ru", "nav.users") == c.T("en", "nav.users") {
		t.Errorf("nav.users is the same in ru and en (%q): not translated", c.T("en", "nav.users"))
	}
}

func TestMissingKeys(t *testing.T) {
	got := missingKeys(map[string]string{"a": "x", "b": "y", "c": "z"}, map[string]string{"a": "x", "b": "  "})
	if strings.Join(got, ",") != "b,c" {
		t.Errorf("missingKeys = %v, want [b c] (blank counts as missing)", got)
	}
}

// literalKey finds {{T "key"}} and (T "key" …) in templates.
var literalKey = regexp.MustCompile(`\bT "([^"]+)"`)

// TestTemplateKeysExist reads every template and checks that each literal
// key, and each key built from a known family (roles, languages, error
// codes, scopes), has a text in every language.
func TestTemplateKeysExist(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{} // key → where used
	err = fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFiles, p)
		if err != nil {
			return err
		}
		for _, m := range literalKey.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = p
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 20 {
		t.Fatalf("found only %d literal keys in templates; the pattern is broken", len(keys))
	}
	for _, r := range roles {
		keys["role."+string(r)] = "role family"
	}
	for _, l := range languages {
		keys["lang."+l] = "language family"
	}
	for _, code := range []string{vernost.EInvalid, vernost.ENotFound, vernost.EConflict, vernost.EUnauthorized, vernost.EForbidden,
		vernost.ETooLarge, vernost.ERateLimited, vernost.EUnavailable, vernost.EInternal} {
		keys["error."+code] = "error family"
	}
	for _, sc := range auth.Scopes {
		keys["scope."+sc] = "scope family"
	}
	for _, n := range navigation {
		keys[n.Key] = "navigation"
	}
	for key, where := range keys {
		for _, lang := range languages {
			if _, ok := c[lang][key]; !ok {
				t.Errorf("%s: key %q has no %s text", where, key, lang)
			}
		}
	}
}

// TestCodeKeysExist checks the catalogue keys that Go code names: notices
// (?ok=…) and the login form's messages.
func TestCodeKeysExist(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	notice := regexp.MustCompile(`\?ok=([a-z_]+)`)
	quoted := regexp.MustCompile(`"((?:login|error)\.[a-z_.]+)"`)
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, m := range notice.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, "notice."+m[1])
		}
		for _, m := range quoted.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
		for _, key := range keys {
			found++
			for _, lang := range languages {
				if _, ok := c[lang][key]; !ok {
					t.Errorf("%s: key %q has no %s text", f, key, lang)
				}
			}
		}
	}
	if found < 5 {
		t.Errorf("found only %d keys in code; the patterns are broken", found)
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct{ header, want string }{
		{"", ""},
		{"ru", "ru"},
		{"en-US,en;q=0.9", "en"},
		{"de-DE,de;q=0.9,en;q=0.5,ru;q=0.4", "en"},
		{"de-DE,de;q=0.9,en;q=0.4,ru;q=0.5", "ru"},
		{"EN-gb", "en"},
		{"fr, de", ""},
		{"en;q=0, ru;q=0.1", "ru"},
		{"en;q=0", ""},
		{"en;q=abc, ru;q=0.2", "ru"},
		{"en;q=1.5", ""},
		{"en;q=NaN", ""},
		{"ru;q=0.8, en;q=0.8", "ru"}, // a tie keeps the first named
		{" en ; q=0.7 ", "en"},
		{"*", ""},
	}
	for _, tt := range tests {
		if got := negotiate(tt.header); got != tt.want {
			t.Errorf("negotiate(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{"en-US,en;q=0.9", "ru;q=0.1,en;q=0.2", ";;,,q=", "en;q=1e309"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		if got := negotiate(header); got != "" && !supported(got) {
			t.Fatalf("negotiate(%q) = %q, not a supported language", header, got)
		}
	})
}

func TestLocalPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "/"},
		{"/admin/users", "/admin/users"},
		{"/admin/audit?action=user.create&before=10", "/admin/audit?action=user.create&before=10"},
		{"//evil.example/x", "/"},
		{"/\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"admin/users", "/"},
		{"/a\r\nLocation: x", "/"},
		{"/%2F%2Fevil.example", "/%2F%2Fevil.example"}, // stays a local path
	}
	for _, tt := range tests {
		if got := localPath(tt.in); got != tt.want {
			t.Errorf("localPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzLocalPath: whatever "next" says, the redirect stays on this site.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/x", "//x", "/\\x", "http://x", "/x?y=//z", "/\t/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := localPath(in)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/\\") {
			t.Fatalf("localPath(%q) = %q, not a local path", in, got)
		}
		u, err := url.Parse("https://vernost.example" + got)
		if err != nil || u.Host != "vernost.example" {
			t.Fatalf("localPath(%q) = %q resolves off-site: %v %v", in, got, u, err)
		}
	})
}
