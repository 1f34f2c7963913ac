package textkey

import "testing"

func BenchmarkFold(b *testing.B) {
	for _, c := range []struct{ name, s string }{
		{"cyrillic", "Иванова Анна Сергеевна"},
		{"latin", "Smith John"},
		{"diacritics", "Renée Müller-Łukasiewicz"},
		{"decomposed", "Фе\u0308доров Пётр Сергеи\u0306"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.s)))
			for b.Loop() {
				Fold(c.s)
			}
		})
	}
}

func BenchmarkIndexWords(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		IndexWords("Иванова", "Анна", "Сергеевна")
	}
}
