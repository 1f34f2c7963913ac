package identity

import (
	"errors"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/vernost/vernost"
)

// normalizePhone returns the E.164 form of s, with ";ext=N" appended when the
// text carried an extension ("доб. 123", "ext 5"): an office switchboard is
// shared by many people, so the extension is part of whose number it is.
//
// libphonenumber's parser is regexp-heavy (about 10 µs a number); most
// numbers in a Russian contact centre are Russian numbers typed with simple
// punctuation, so those take a fast path that extracts the digits itself and
// only asks libphonenumber whether the number is valid. A fuzz test checks
// the fast path agrees with the full parser wherever it answers.
func normalizePhone(field, s, region string) (string, error) {
	if nsn, ok := fastNationalNumber(s, region); ok {
		if n, ok := validRussian(nsn); ok {
			return "+7" + n, nil
		}
	}
	return parsePhone(field, s, region)
}

// parsePhone is the full libphonenumber path.
func parsePhone(field, s, region string) (string, error) {
	num, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", vernost.Invalid(field, "%s", parseReason(err, region))
	}
	if !phonenumbers.IsValidNumber(num) {
		numRegion := phonenumbers.GetRegionCodeForCountryCode(int(num.GetCountryCode()))
		switch phonenumbers.IsPossibleNumberWithReason(num) {
		case phonenumbers.TOO_SHORT:
			return "", vernost.Invalid(field, "too few digits for a number in region %s", numRegion)
		case phonenumbers.TOO_LONG:
			return "", vernost.Invalid(field, "too many digits for a number in region %s", numRegion)
		case phonenumbers.INVALID_LENGTH:
			return "", vernost.Invalid(field, "wrong number of digits for a number in region %s", numRegion)
		}
		return "", vernost.Invalid(field, "not a valid number for region %s", numRegion)
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	if ext := num.GetExtension(); ext != "" {
		e164 += ";ext=" + ext
	}
	return e164, nil
}

func parseReason(err error, region string) string {
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		if region == "" || phonenumbers.GetCountryCodeForRegion(region) == 0 {
			return "no country code, and the default region " + region + " is unknown"
		}
		return "unknown country code"
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return "too few digits for a phone number"
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return "too long for a phone number"
	}
	return "not a phone number"
}

// fastNationalNumber recognises the everyday shapes of a Russian number
// written with digits and the punctuation " -().": "+7 916 123-45-67",
// "8 (916) 123-45-67", "79161234567" and, when the default region is RU,
// "9161234567". It returns the 10-digit national number, or false to send
// the text to the full parser.
func fastNationalNumber(s, region string) (string, bool) {
	var buf [11]byte
	n := 0
	plus := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(buf) {
				return "", false
			}
			buf[n] = c
			n++
		case c == '+' && i == 0:
			plus = true
		case c == ' ' || c == '-' || c == '(' || c == ')' || c == '.':
		default:
			return "", false
		}
	}
	switch {
	case plus && n == 11 && buf[0] == '7':
		return string(buf[1:11]), true
	case plus || region != "RU":
		return "", false
	case n == 11 && (buf[0] == '7' || buf[0] == '8'):
		return string(buf[1:11]), true
	case n == 10:
		return string(buf[:10]), true
	}
	return "", false
}

// validRussian asks libphonenumber whether +7 nsn is a valid number.
func validRussian(nsn string) (string, bool) {
	if nsn[0] == '0' {
		return "", false // leading zeros need the parser's bookkeeping
	}
	var v uint64
	for i := 0; i < len(nsn); i++ {
		v = v*10 + uint64(nsn[i]-'0')
	}
	cc := int32(7)
	num := &phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &v}
	return nsn, phonenumbers.IsValidNumber(num)
}

// normalizeWhatsApp accepts a phone number or a wa.me link. Numbers in links
// are international without "+", so we add it back.
func normalizeWhatsApp(s, region string) (string, error) {
	lower := strings.ToLower(s)
	rest := trimScheme(lower)
	for _, host := range whatsAppHosts {
		if strings.HasPrefix(rest, host) {
			num := strings.TrimPrefix(rest, host)
			if i := strings.IndexAny(num, "?&/#"); i >= 0 {
				num = num[:i]
			}
			if num == "" {
				return "", vernost.Invalid(string(WhatsApp), "the link has no phone number")
			}
			if num[0] != '+' {
				num = "+" + num
			}
			return normalizePhone(string(WhatsApp), num, region)
		}
	}
	return normalizePhone(string(WhatsApp), s, region)
}

var whatsAppHosts = []string{"wa.me/", "api.whatsapp.com/send?phone=", "whatsapp.com/send?phone="}
