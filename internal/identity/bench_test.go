package identity

import "testing"

// Normalize runs on every incoming call and every import row; these figures
// go into bench/results/normalisation.md.
func BenchmarkNormalize(b *testing.B) {
	cases := []struct {
		name string
		kind Kind
		raw  string
	}{
		{"phone-ru-national", Phone, "8 (916) 123-45-67"},
		{"phone-ru-e164", Phone, "+79161234567"},
		{"phone-foreign", Phone, "+44 20 7946 0958"},
		{"phone-ru-extension", Phone, "+7 495 123-45-67 доб. 123"},
		{"email", Email, "Anna.Ivanova@Mail.RU"},
		{"email-display-name", Email, "Анна Иванова <anna@example.ru>"},
		{"telegram", Telegram, "https://t.me/Anna_K"},
		{"external", External, "1C:000123"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Normalize(c.kind, c.raw, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkGuess(b *testing.B) {
	for _, q := range []string{"8 916 123-45-67", "anna@mail.ru", "Иванова Анна"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Guess(q, Options{})
			}
		})
	}
}
