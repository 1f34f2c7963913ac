package textkey

import (
	"strings"
	"unicode"
)

// Translit renders Cyrillic in Latin letters by the scheme of Russian
// international passports (ICAO Doc 9303, used by the MVD since 2014):
// Иванова → Ivanova, Щукин → Shchukin, Юлия → Iuliia, Сергей → Sergei.
// We chose it over GOST 7.79 because it is what customers see in their
// passports and tickets and so what they type in Latin; GOST's "shh" and
// "y'" are never typed. Other characters pass through unchanged.
//
// Case follows the source: a capital becomes a capitalised group ("Ж" →
// "Zh"), or all capitals inside an upper-case word ("ЖУК" → "ZHUK").
func Translit(s string) string {
	if !hasCyrillic(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	runes := []rune(s)
	for i, r := range runes {
		lower := unicode.ToLower(r)
		latin, ok := icaoLetter(lower)
		if !ok {
			b.WriteRune(r)
			continue
		}
		if lower == r || latin == "" {
			b.WriteString(latin)
			continue
		}
		if upperWord(runes, i) {
			b.WriteString(strings.ToUpper(latin))
		} else {
			b.WriteString(strings.ToUpper(latin[:1]) + latin[1:])
		}
	}
	return b.String()
}

// upperWord reports whether the capital at i sits in an all-caps word: the
// next letter is a capital too, or it is the last letter after a capital.
func upperWord(runes []rune, i int) bool {
	if i+1 < len(runes) && unicode.IsLetter(runes[i+1]) {
		return unicode.IsUpper(runes[i+1])
	}
	return i > 0 && unicode.IsUpper(runes[i-1])
}

func hasCyrillic(s string) bool {
	for _, r := range s {
		if r >= 0x400 && r < 0x530 {
			return true
		}
	}
	return false
}

// icaoLetter looks up a lower-case letter: the Russian alphabet by index,
// the rest in the map.
func icaoLetter(r rune) (string, bool) {
	if r >= 'а' && r <= 'я' {
		return icaoRussian[r-'а'], true
	}
	latin, ok := icao[r]
	return latin, ok
}

var icaoRussian = func() (t [32]string) {
	for r := 'а'; r <= 'я'; r++ {
		t[r-'а'] = icao[r]
	}
	return t
}()

// icao maps lower-case Cyrillic letters (Russian, plus the Ukrainian and
// Belarusian ones ICAO lists) to Latin.
var icao = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "ie", 'ы': "y", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia",
	'і': "i", 'ї': "i", 'є': "ie", 'ґ': "g", 'ў': "u",
}
