package identity

import (
	"strings"
	"unicode"

	"github.com/vernost/vernost"
)

var (
	telegramHosts = []string{"t.me/", "telegram.me/", "telegram.dog/"}
	vkHosts       = []string{"vk.com/", "m.vk.com/", "vk.ru/", "m.vk.ru/", "vkontakte.ru/"}
)

// linkPath strips a scheme and one of hosts from a link and returns its first
// path segment; text that is not such a link comes back unchanged.
func linkPath(s string, hosts []string) string {
	rest := trimScheme(s)
	for _, h := range hosts {
		if strings.HasPrefix(rest, h) {
			rest = rest[len(h):]
			if i := strings.IndexAny(rest, "/?#"); i >= 0 {
				rest = rest[:i]
			}
			return rest
		}
	}
	return s
}

// normalizeTelegram accepts "@anna_k", "anna_k" and t.me links and returns
// the lower-case username: Telegram usernames are case-insensitive.
func normalizeTelegram(s string) (string, error) {
	u := strings.TrimPrefix(linkPath(strings.ToLower(s), telegramHosts), "@")
	if len(u) < 5 || len(u) > 32 {
		return "", vernost.Invalid(string(Telegram), "a username has 5 to 32 characters, not %d", len(u))
	}
	if u[0] < 'a' || u[0] > 'z' {
		return "", vernost.Invalid(string(Telegram), "a username starts with a Latin letter")
	}
	if u[len(u)-1] == '_' {
		return "", vernost.Invalid(string(Telegram), "a username cannot end with an underscore")
	}
	if !isHandle(u, "_") {
		return "", vernost.Invalid(string(Telegram), "a username has only Latin letters, digits and underscores")
	}
	return u, nil
}

// normalizeVK accepts "vk.com/id123", "id123", a bare numeric id, and short
// names ("vk.com/durov", "@durov"). Numeric ids become "id123" (no leading
// zeros); names are lower-case. VK now asks for 5 characters in a short
// name, but older pages have shorter ones, so 3 is the floor here.
func normalizeVK(s string) (string, error) {
	const field = string(VK)
	u := strings.TrimPrefix(linkPath(strings.ToLower(s), vkHosts), "@")
	if digits, ok := strings.CutPrefix(u, "id"); ok && digits != "" && isDigits(digits) {
		u = digits
	}
	if u != "" && isDigits(u) {
		u = strings.TrimLeft(u, "0")
		if u == "" || len(u) > 12 {
			return "", vernost.Invalid(field, "not a VK user id")
		}
		return "id" + u, nil
	}
	if len(u) < 3 || len(u) > 32 {
		return "", vernost.Invalid(field, "a VK short name has 3 to 32 characters, not %d", len(u))
	}
	if u[0] < 'a' || u[0] > 'z' {
		return "", vernost.Invalid(field, "a VK short name starts with a Latin letter")
	}
	if !isHandle(u, "_.") {
		return "", vernost.Invalid(field, "a VK short name has only Latin letters, digits, dots and underscores")
	}
	return u, nil
}

// normalizeExternal reads "system:id". The system is lower-cased ("1C" and
// "1c" are the same 1C); the id keeps its case, because other systems may
// distinguish it. The value is "system:id" so (Kind, Value) stays unique
// when two systems use the same ids.
func normalizeExternal(s string) (system, value string, err error) {
	const field = string(External)
	sys, id, ok := strings.Cut(s, ":")
	if !ok {
		return "", "", vernost.Invalid(field, `write an external id as "system:id", e.g. "1c:000123"`)
	}
	sys = strings.ToLower(strings.TrimSpace(sys))
	id = strings.TrimSpace(id)
	if sys == "1с" { // Cyrillic "с": how "1C" is usually typed on a Russian keyboard
		sys = "1c"
	}
	switch {
	case sys == "":
		return "", "", vernost.Invalid(field, "the system before the colon is missing")
	case len(sys) > 32:
		return "", "", vernost.Invalid(field, "the system name is longer than 32 bytes")
	case id == "":
		return "", "", vernost.Invalid(field, "the id after the colon is missing")
	case len(id) > 128:
		return "", "", vernost.Invalid(field, "the id is longer than 128 bytes")
	}
	for _, r := range sys {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-_.", r) {
			return "", "", vernost.Invalid(field, "the system name has only letters, digits, '-', '_' and '.'")
		}
	}
	for _, r := range id {
		if unicode.IsControl(r) {
			return "", "", vernost.Invalid(field, "the id has a control character")
		}
	}
	return sys, sys + ":" + id, nil
}

// isHandle reports whether s has only ASCII lower-case letters, digits and
// the given punctuation.
func isHandle(s, punct string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte(punct, c) >= 0) {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
