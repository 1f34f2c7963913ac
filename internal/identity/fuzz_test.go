package identity

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vernost/vernost"
)

// The fuzz targets check what every caller relies on: no panic, refusals are
// invalid errors on the right field, and accepted values are canonical (a
// second Normalize leaves them unchanged).

func FuzzPhone(f *testing.F) {
	for _, s := range []string{
		"8 (916) 123-45-67", "+7 916 1234567", "9161234567", "79161234567",
		"+44 20 7946 0958", "8 10 44 20 7946 0958", "+7 495 123-45-67 доб. 123",
		"0161234567", "7(000)0000000", "+7 727 250 1234", "8-800-555-35-35", "89",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := Normalize(Phone, s, Options{})
		if err != nil {
			if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != "phone" {
				t.Fatalf("Normalize(%q) error %v; want invalid on field phone", s, err)
			}
		} else {
			number, _, _ := strings.Cut(id.Value, ";ext=")
			if len(number) < 3 || number[0] != '+' || !isDigits(number[1:]) {
				t.Fatalf("Normalize(%q) = %q; want E.164", s, id.Value)
			}
			again, err := Normalize(Phone, id.Value, Options{})
			if err != nil || again.Value != id.Value {
				t.Fatalf("Normalize(%q) = %q, %v; want %q unchanged", id.Value, again.Value, err, id.Value)
			}
		}
		// The fast path must agree with libphonenumber wherever it answers.
		if nsn, ok := fastNationalNumber(s, "RU"); ok {
			if _, valid := validRussian(nsn); valid {
				slow, err := parsePhone("phone", s, "RU")
				if err != nil || slow != "+7"+nsn {
					t.Fatalf("fast path gives +7%s for %q; full parser gives %q, %v", nsn, s, slow, err)
				}
			}
		}
	})
}

func FuzzEmail(f *testing.F) {
	for _, s := range []string{
		"Anna.Ivanova@Mail.RU", "mailto:a@b.co", "Анна <Anna@Example.com>", "Почта@Пример.РФ",
		"a@b", "a@@b.ru", `"a b"@c.ru`, "a@[10.0.0.1]", "İ@x.tr", "a@xn--p1ai.xn--p1ai",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := Normalize(Email, s, Options{})
		if err != nil {
			if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != "email" {
				t.Fatalf("Normalize(%q) error %v; want invalid on field email", s, err)
			}
			return
		}
		v := id.Value
		if !utf8.ValidString(v) || strings.ToLower(v) != v || strings.Count(v, "@") != 1 || len(v) > maxEmail {
			t.Fatalf("Normalize(%q) = %q; want valid lower-case text with one @ and at most %d bytes", s, v, maxEmail)
		}
		again, err := Normalize(Email, v, Options{})
		if err != nil || again.Value != v {
			t.Fatalf("Normalize(%q) = %q, %v; want it unchanged", v, again.Value, err)
		}
	})
}

func FuzzNormalize(f *testing.F) {
	seeds := []struct {
		kind byte
		s    string
	}{{2, "@Anna_K"}, {2, "t.me/x_y_z1"}, {3, "wa.me/79161234567"}, {4, "vk.com/id0123"}, {4, "Durov"}, {5, "1С : 000123"}, {5, "a:b:c"}}
	for _, s := range seeds {
		f.Add(s.kind, s.s)
	}
	f.Fuzz(func(t *testing.T, k byte, s string) {
		kind := Kinds[int(k)%len(Kinds)]
		id, err := Normalize(kind, s, Options{})
		if err != nil {
			if vernost.ErrorCode(err) != vernost.EInvalid {
				t.Fatalf("Normalize(%s, %q) error %v; want invalid", kind, s, err)
			}
			return
		}
		again, err := Normalize(kind, id.Value, Options{})
		if err != nil || again.Value != id.Value {
			t.Fatalf("Normalize(%s, %q) = %q, %v; want it unchanged", kind, id.Value, again.Value, err)
		}
		if g, ok := Guess(s, Options{}); ok {
			if _, err := Normalize(g.Kind, g.Value, Options{}); err != nil {
				t.Fatalf("Guess(%q) = %s %q, which does not normalise: %v", s, g.Kind, g.Value, err)
			}
		}
	})
}
