// Package identity turns what people type as a phone, an email, a messenger
// handle or an external id into one canonical lookup key, so that any way of
// writing an identity finds the same customer.
//
// Normalize never touches storage: it is pure, fast (it runs for every
// incoming call and every import row) and reports bad input as a
// *vernost.Error naming the kind ("phone", "email", …) and the reason.
package identity

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vernost/vernost"
)

// Kind is the sort of identity. Its string is also the field name used in
// errors, in CSV headers and in the database.
type Kind string

// The kinds of identity a customer can have.
const (
	Phone    Kind = "phone"
	Email    Kind = "email"
	Telegram Kind = "telegram"
	WhatsApp Kind = "whatsapp"
	VK       Kind = "vk"
	External Kind = "external" // an id in another system: 1C, a shop, billing
)

// Kinds lists every kind in a stable order (for forms and validation).
var Kinds = []Kind{Phone, Email, Telegram, WhatsApp, VK, External}

// ParseKind reads a kind name as written in an API call or a file, ignoring
// case and surrounding spaces.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range Kinds {
		if k == known {
			return k, nil
		}
	}
	return "", vernost.Invalid("kind", "unknown identity kind %q (want phone, email, telegram, whatsapp, vk or external)", s)
}

// Options tune normalisation.
type Options struct {
	// DefaultRegion is the ISO 3166 region assumed for phone numbers typed
	// without a country code; "" means "RU".
	DefaultRegion string
}

func (o Options) region() string {
	if o.DefaultRegion == "" {
		return "RU"
	}
	return strings.ToUpper(o.DefaultRegion)
}

// Identity is one normalised identity.
type Identity struct {
	Kind Kind
	// Value is the canonical form and the lookup key: (Kind, Value) is unique
	// across all customers. Phones are E.164 ("+79161234567", with
	// ";ext=123" when an extension was given), emails lower-case, handles
	// lower-case without "@", external ids "system:id".
	Value string
	// Raw is the text exactly as it was typed, kept for display and audit.
	Raw string
	// System names the other system of an External identity ("1c", "shop");
	// empty for other kinds.
	System string
}

// maxRaw bounds any input before we parse it: no real identity is longer,
// and the bound keeps the parsers' cost predictable on hostile input.
const maxRaw = 320

// Normalize checks raw as an identity of the given kind and returns its
// canonical form. Errors are *vernost.Error with Field set to the kind.
func Normalize(kind Kind, raw string, opt Options) (Identity, error) {
	field := string(kind)
	if !utf8.ValidString(raw) {
		return Identity{}, vernost.Invalid(field, "not valid UTF-8 text")
	}
	s := strings.TrimSpace(raw)
	if s == "" {
		return Identity{}, vernost.Invalid(field, "is empty")
	}
	if len(s) > maxRaw {
		return Identity{}, vernost.Invalid(field, "too long (%d bytes, at most %d)", len(s), maxRaw)
	}
	id := Identity{Kind: kind, Raw: raw}
	var err error
	switch kind {
	case Phone:
		id.Value, err = normalizePhone(field, s, opt.region())
	case WhatsApp:
		id.Value, err = normalizeWhatsApp(s, opt.region())
	case Email:
		id.Value, err = normalizeEmail(s)
	case Telegram:
		id.Value, err = normalizeTelegram(s)
	case VK:
		id.Value, err = normalizeVK(s)
	case External:
		id.System, id.Value, err = normalizeExternal(s)
	default:
		return Identity{}, vernost.Invalid("kind", "unknown identity kind %q", kind)
	}
	if err != nil {
		return Identity{}, err
	}
	return id, nil
}

// Guess classifies what was typed into a search box and normalises it. It
// reports false when the text is not recognisably an identity (a name, most
// likely), so the caller falls back to a name search. "@name" is taken for
// Telegram, by far the commoner messenger here; VK is recognised by its links.
func Guess(raw string, opt Options) (Identity, bool) {
	s := strings.TrimSpace(raw)
	if s == "" || len(s) > maxRaw {
		return Identity{}, false
	}
	lower := strings.ToLower(s)
	var kind Kind
	switch {
	case s[0] == '@':
		kind = Telegram
	case strings.Contains(s, "@"):
		kind = Email
	case hasAnyPrefix(trimScheme(lower), telegramHosts):
		kind = Telegram
	case hasAnyPrefix(trimScheme(lower), vkHosts):
		kind = VK
	case hasAnyPrefix(trimScheme(lower), whatsAppHosts):
		kind = WhatsApp
	case looksLikePhone(s):
		kind = Phone
	default:
		return Identity{}, false
	}
	id, err := Normalize(kind, raw, opt)
	return id, err == nil
}

// looksLikePhone: at least 7 digits and nothing but the punctuation people
// put in phone numbers. Letters (other than an extension word) mean a name.
func looksLikePhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' || r == '(' || r == ')' || r == '-' || r == '.' || r == '/' || unicode.IsSpace(r):
		default:
			return false
		}
	}
	return digits >= 7
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// trimScheme drops "https://", "http://" and "www." from a link.
func trimScheme(s string) string {
	s = strings.TrimPrefix(s, "https://")
	s = strings.TrimPrefix(s, "http://")
	return strings.TrimPrefix(s, "www.")
}
