package identity

import (
	"errors"
	"strings"
	"testing"

	"github.com/vernost/vernost"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		kind    Kind
		raw     string
		region  string
		want    string // the Value, when no error is expected
		wantErr string // a part of the error message
	}{
		// Phones: the shapes operators and customers type.
		{Phone, "8 (916) 123-45-67", "", "+79161234567", ""},
		{Phone, "+7 916 1234567", "", "+79161234567", ""},
		{Phone, "9161234567", "", "+79161234567", ""},
		{Phone, "79161234567", "", "+79161234567", ""},
		{Phone, "  +7(916)123.45.67 ", "", "+79161234567", ""},
		{Phone, "8-800-555-35-35", "", "+78005553535", ""},
		{Phone, "+44 20 7946 0958", "", "+442079460958", ""},
		{Phone, "+44 20 7946 0958", "GB", "+442079460958", ""},
		{Phone, "020 7946 0958", "GB", "+442079460958", ""},
		{Phone, "＋７ ９１６ １２３４５６７", "", "+79161234567", ""}, // full-width digits from a PDF
		{Phone, "+7 495 123-45-67 доб. 123", "", "+74951234567;ext=123", ""},
		{Phone, "+7 727 250 1234", "", "+77272501234", ""}, // Almaty: +7 is shared with Kazakhstan
		{Phone, "8 10 44 20 7946 0958", "", "+442079460958", ""},
		{Phone, "123", "", "", "phone: too few digits"},
		{Phone, "+7 916 123 45 6", "", "", "phone: too few digits for a number in region RU"},
		{Phone, "+7 916 123 45 678", "", "", "phone: wrong number of digits for a number in region RU"},
		{Phone, "+7 916 123 45 6789 012", "", "", "phone: too many digits for a number in region RU"},
		{Phone, "+7 123 456 78 90", "", "", "phone: not a valid number for region RU"},
		{Phone, "anna", "", "", "phone: not a phone number"},
		{Phone, "", "", "", "phone: is empty"},
		{Phone, "9161234567", "ZZ", "", "phone: no country code, and the default region ZZ is unknown"},
		{Phone, strings.Repeat("9", 400), "", "", "phone: too long"},
		{Phone, "\xff916", "", "", "phone: not valid UTF-8"},

		// WhatsApp is a phone number, or a wa.me link.
		{WhatsApp, "8 916 123 45 67", "", "+79161234567", ""},
		{WhatsApp, "https://wa.me/79161234567", "", "+79161234567", ""},
		{WhatsApp, "wa.me/442079460958?text=hi", "", "+442079460958", ""},
		{WhatsApp, "wa.me/", "", "", "whatsapp: the link has no phone number"},
		{WhatsApp, "12", "", "", "whatsapp: too few digits"},

		// Emails.
		{Email, " Anna.Ivanova@Mail.RU ", "", "anna.ivanova@mail.ru", ""},
		{Email, "mailto:anna@example.com", "", "anna@example.com", ""},
		{Email, "Анна Иванова <Anna@Example.com>", "", "anna@example.com", ""},
		{Email, "Почта@Пример.РФ", "", "почта@пример.рф", ""},
		{Email, "o'brien+crm@example.co.uk", "", "o'brien+crm@example.co.uk", ""},
		{Email, "anna.example.com", "", "", "email: has no @"},
		{Email, "anna@@example.com", "", "", "email: has more than one @"},
		{Email, "anna@mail@example.com", "", "", "email: has more than one @"},
		{Email, "@example.com", "", "", "email: nothing before the @"},
		{Email, "anna@", "", "", "email: nothing after the @"},
		{Email, "anna@gmail", "", "", "email: the domain has no dot"},
		{Email, "anna@mail,ru", "", "", "email: the domain has no dot"},
		{Email, "anna@mail..ru", "", "", "email: the domain has an empty part"},
		{Email, "anna@mail.ru.", "", "", "email: the domain has an empty part"},
		{Email, "anna@-mail.ru", "", "", "starts or ends with a hyphen"},
		{Email, "anna@mail_box.ru", "", "", "not a letter, digit or hyphen"},
		{Email, "anna@10.0.0.1", "", "", "does not end in a name"},
		{Email, "an na@mail.ru", "", "", "email: not an email address"},
		{Email, "anna..k@mail.ru", "", "", "email: not an email address"},
		{Email, strings.Repeat("a", 65) + "@mail.ru", "", "", "longer than 64 bytes"},
		{Email, "a@" + strings.Repeat("b", 64) + ".ru", "", "", "longer than 63 bytes"},

		// Telegram.
		{Telegram, "@Anna_K", "", "anna_k", ""},
		{Telegram, "https://t.me/anna_k", "", "anna_k", ""},
		{Telegram, "t.me/Anna_K/", "", "anna_k", ""},
		{Telegram, "telegram.me/anna_k?start=1", "", "anna_k", ""},
		{Telegram, "anna_k", "", "anna_k", ""},
		{Telegram, "@ann", "", "", "telegram: a username has 5 to 32 characters, not 3"},
		{Telegram, "@" + strings.Repeat("a", 33), "", "", "not 33"},
		{Telegram, "@1anna", "", "", "starts with a Latin letter"},
		{Telegram, "@anna_", "", "", "cannot end with an underscore"},
		{Telegram, "@anna_кк", "", "", "only Latin letters"},
		{Telegram, "@anna-k", "", "", "only Latin letters"},

		// VK.
		{VK, "https://vk.com/id123", "", "id123", ""},
		{VK, "vk.com/ID0123?w=wall", "", "id123", ""},
		{VK, "id123", "", "id123", ""},
		{VK, "123", "", "id123", ""},
		{VK, "https://m.vk.com/Durov", "", "durov", ""},
		{VK, "@durov", "", "durov", ""},
		{VK, "vk.ru/anna.ivanova", "", "anna.ivanova", ""},
		{VK, "id0", "", "", "vk: not a VK user id"},
		{VK, "ab", "", "", "vk: a VK short name has 3 to 32 characters, not 2"},
		{VK, "vk.com/анна", "", "", "starts with a Latin letter"},
		{VK, "anna-k", "", "", "only Latin letters, digits, dots and underscores"},

		// External ids.
		{External, "1c:000123", "", "1c:000123", ""},
		{External, " 1C : 000123 ", "", "1c:000123", ""},
		{External, "1С:000123", "", "1c:000123", ""}, // Cyrillic С
		{External, "shop:AbC-9", "", "shop:AbC-9", ""},
		{External, "billing:a:b", "", "billing:a:b", ""},
		{External, "000123", "", "", `external: write an external id as "system:id"`},
		{External, ":000123", "", "", "external: the system before the colon is missing"},
		{External, "1c:", "", "", "external: the id after the colon is missing"},
		{External, "1c shop:1", "", "", "the system name has only letters"},
		{External, "1c:a\tb", "", "", "control character"},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.kind, tt.raw, Options{DefaultRegion: tt.region})
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Normalize(%s, %q) = %q, %v; want error containing %q", tt.kind, tt.raw, got.Value, err, tt.wantErr)
				continue
			}
			checkInvalid(t, tt.kind, tt.raw, err)
			continue
		}
		if err != nil {
			t.Errorf("Normalize(%s, %q) error: %v; want %q", tt.kind, tt.raw, err, tt.want)
			continue
		}
		if got.Value != tt.want || got.Raw != tt.raw || got.Kind != tt.kind {
			t.Errorf("Normalize(%s, %q) = %+v; want Value %q and Raw kept", tt.kind, tt.raw, got, tt.want)
		}
	}
}

// checkInvalid: every refusal is a *vernost.Error with code invalid naming
// the kind as the field, so the UI can point at the right input.
func checkInvalid(t *testing.T, kind Kind, raw string, err error) {
	t.Helper()
	var verr *vernost.Error
	if !errors.As(err, &verr) || verr.Code != vernost.EInvalid || verr.Field != string(kind) {
		t.Errorf("Normalize(%s, %q) error = %#v; want a vernost invalid error on field %q", kind, raw, err, kind)
	}
}

func TestNormalizeExternalSystem(t *testing.T) {
	got, err := Normalize(External, "Shop : S-17", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.System != "shop" || got.Value != "shop:S-17" {
		t.Errorf("System, Value = %q, %q; want %q, %q", got.System, got.Value, "shop", "shop:S-17")
	}
	phone, _ := Normalize(Phone, "9161234567", Options{})
	if phone.System != "" {
		t.Errorf("phone System = %q; want empty", phone.System)
	}
}

func TestNormalizeIsIdempotent(t *testing.T) {
	inputs := map[Kind][]string{
		Phone:    {"8 (916) 123-45-67", "+44 20 7946 0958", "+7 495 123-45-67 доб. 123"},
		WhatsApp: {"wa.me/79161234567"},
		Email:    {"Anna <A@B.ru>", "Почта@Пример.РФ"},
		Telegram: {"t.me/Anna_K"},
		VK:       {"vk.com/id0123", "vk.com/Durov"},
		External: {"1С : 000123"},
	}
	for kind, raws := range inputs {
		for _, raw := range raws {
			once, err := Normalize(kind, raw, Options{})
			if err != nil {
				t.Fatalf("Normalize(%s, %q): %v", kind, raw, err)
			}
			twice, err := Normalize(kind, once.Value, Options{})
			if err != nil || twice.Value != once.Value {
				t.Errorf("Normalize(%s, %q) = %q, %v; want the value unchanged", kind, once.Value, twice.Value, err)
			}
		}
	}
}

func TestNormalizeUnknownKind(t *testing.T) {
	_, err := Normalize(Kind("fax"), "123", Options{})
	if vernost.ErrorField(err) != "kind" {
		t.Errorf("Normalize(fax) error = %v; want an invalid error on field kind", err)
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range Kinds {
		got, err := ParseKind(" " + strings.ToUpper(string(k)) + " ")
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %q, %v; want %q", k, got, err, k)
		}
	}
	if _, err := ParseKind("fax"); vernost.ErrorCode(err) != vernost.EInvalid {
		t.Errorf("ParseKind(fax) error = %v; want invalid", err)
	}
}

func TestGuess(t *testing.T) {
	tests := []struct {
		raw      string
		wantKind Kind
		want     string // "" means Guess reports false
	}{
		{"8 916 123-45-67", Phone, "+79161234567"},
		{"+44 (20) 7946-0958", Phone, "+442079460958"},
		{"916/123 45 67", Phone, "+79161234567"},
		{"Anna@Mail.ru", Email, "anna@mail.ru"},
		{"@Anna_K", Telegram, "anna_k"},
		{"t.me/anna_k", Telegram, "anna_k"},
		{"https://vk.com/id42", VK, "id42"},
		{"wa.me/79161234567", WhatsApp, "+79161234567"},
		{"Иванова", "", ""},
		{"ив серг", "", ""},
		{"12-34", "", ""},       // too few digits for a phone: a house number, an order
		{"ivanov 1980", "", ""}, // letters with digits: not a phone
		{"anna@", "", ""},       // looks like an email but is not valid
		{"@ann", "", ""},
		{"   ", "", ""},
	}
	for _, tt := range tests {
		got, ok := Guess(tt.raw, Options{})
		if tt.want == "" {
			if ok {
				t.Errorf("Guess(%q) = %+v, true; want false", tt.raw, got)
			}
			continue
		}
		if !ok || got.Kind != tt.wantKind || got.Value != tt.want {
			t.Errorf("Guess(%q) = %s %q, %v; want %s %q", tt.raw, got.Kind, got.Value, ok, tt.wantKind, tt.want)
		}
	}
}
