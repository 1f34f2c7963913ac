package identity

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/vernost/vernost"
)

// Email length limits from RFC 5321 §4.5.3.1.
const (
	maxEmailLocal  = 64
	maxEmailDomain = 253
	maxEmail       = 254
	maxDomainLabel = 63
)

// normalizeEmail returns the address in NFC, lower-cased as a whole.
//
// The local part is lower-cased too, although RFC 5321 lets a server treat it
// as case-sensitive: operators retype addresses from calls and paper forms in
// any case, no mail provider our customers use distinguishes case, and one
// mailbox must give one lookup key.
//
// Internationalised domains stay in Unicode (lower-cased, NFC) rather than
// punycode: the key is for matching what people type, and keeping Unicode
// avoids a new dependency; a mail sender converts to ASCII when it sends.
func normalizeEmail(s string) (string, error) {
	const field = string(Email)
	if len(s) > 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
	}
	if strings.ContainsAny(s, "<>") {
		// "Анна <anna@example.ru>", pasted from a mail client.
		a, err := mail.ParseAddress(s)
		if err != nil {
			return "", vernost.Invalid(field, "not an email address")
		}
		s = a.Address
	}
	s = strings.ToLower(s)
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	at := strings.IndexByte(s, '@')
	if at < 0 {
		return "", vernost.Invalid(field, "has no @")
	}
	if strings.IndexByte(s[at+1:], '@') >= 0 {
		return "", vernost.Invalid(field, "has more than one @")
	}
	local, domain := s[:at], s[at+1:]
	switch {
	case local == "":
		return "", vernost.Invalid(field, "nothing before the @")
	case domain == "":
		return "", vernost.Invalid(field, "nothing after the @")
	case len(local) > maxEmailLocal:
		return "", vernost.Invalid(field, "the part before the @ is longer than %d bytes", maxEmailLocal)
	case len(domain) > maxEmailDomain:
		return "", vernost.Invalid(field, "the domain is longer than %d bytes", maxEmailDomain)
	case len(s) > maxEmail:
		return "", vernost.Invalid(field, "longer than %d bytes", maxEmail)
	}
	if reason := domainProblem(domain); reason != "" {
		return "", vernost.Invalid(field, "%s", reason)
	}
	// net/mail checks the local part's grammar (dot-atom, allowed symbols,
	// UTF-8 per RFC 6532); quoted local parts are refused above by the @ rule
	// or here, which is fine: no real customer has one.
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
		return "", vernost.Invalid(field, "not an email address")
	}
	return s, nil
}

// domainProblem says what is wrong with an email domain, or "". We want a
// host name with at least one dot, so typos like "mail,ru" or "gmail" are
// caught at entry rather than bouncing later.
func domainProblem(domain string) string {
	if !strings.Contains(domain, ".") {
		return "the domain has no dot"
	}
	labels := strings.Split(domain, ".")
	for _, l := range labels {
		switch {
		case l == "":
			return "the domain has an empty part (two dots, or a dot at an end)"
		case len(l) > maxDomainLabel:
			return "a part of the domain is longer than 63 bytes"
		case l[0] == '-' || l[len(l)-1] == '-':
			return "a part of the domain starts or ends with a hyphen"
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
				return "the domain has a character that is not a letter, digit or hyphen"
			}
		}
	}
	tld := labels[len(labels)-1]
	if r, _ := utf8.DecodeRuneInString(tld); !unicode.IsLetter(r) {
		return "the domain does not end in a name (" + tld + ")"
	}
	return ""
}
