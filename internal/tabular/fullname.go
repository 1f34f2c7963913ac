package tabular

import (
	"strings"
	"unicode"
)

// SplitFullName splits the text of a "ФИО" column into family name, given
// name and patronymic (for English names: the middle names).
//
// Russian order (Фамилия Имя Отчество) is assumed unless the words say
// otherwise: a patronymic (-вич, -вна, -ична, -ич, "оглы", "кызы") in the
// middle means "Имя Отчество Фамилия"; a family name after a given name
// ("Анна Иванова") is recognised by its ending. Latin names are read in
// English order ("John Fitzgerald Kennedy"), or "Smith, John" with a comma.
// Initials are kept as written: "Иванов И.И." gives "И." and "И.".
func SplitFullName(s string) (family, given, patronymic string) {
	if before, after, ok := strings.Cut(s, ","); ok {
		rest := nameWords(after)
		if len(rest) == 0 {
			return strings.Join(nameWords(before), " "), "", ""
		}
		return strings.Join(nameWords(before), " "), rest[0], strings.Join(rest[1:], " ")
	}
	w := nameWords(s)
	n := len(w)
	if n == 0 {
		return "", "", ""
	}
	if !hasCyrillic(s) { // English order
		switch n {
		case 1:
			return "", w[0], ""
		default:
			return w[n-1], w[0], strings.Join(w[1:n-1], " ")
		}
	}
	switch {
	case n == 1:
		if isPatronymic(w[0]) {
			return "", "", w[0]
		}
		if looksLikeFamilyName(w[0]) {
			return w[0], "", ""
		}
		return "", w[0], ""
	case n == 2:
		switch {
		case isPatronymic(w[1]):
			return "", w[0], w[1]
		case looksLikeFamilyName(w[1]) && !looksLikeFamilyName(w[0]) || isInitial(w[0]) && !isInitial(w[1]):
			return w[1], w[0], ""
		}
		return w[0], w[1], ""
	case isPatronymic(w[n-1]):
		return w[0], strings.Join(w[1:n-1], " "), w[n-1]
	case isPatronymic(w[1]) || isInitial(w[0]) && !isInitial(w[n-1]):
		return strings.Join(w[2:], " "), w[0], w[1]
	}
	return w[0], w[1], strings.Join(w[2:], " ")
}

// nameWords splits s at spaces, separates run-together initials ("И.И."),
// and joins a Turkic patronymic's "оглы"/"кызы" to the father's name.
func nameWords(s string) []string {
	var words []string
	for _, f := range strings.Fields(s) {
		if isInitials(f) {
			for part := range strings.SplitAfterSeq(f, ".") {
				if part != "" {
					words = append(words, part)
				}
			}
			continue
		}
		if n := len(words); n > 0 && turkicParticle(f) {
			words[n-1] += " " + f
			continue
		}
		words = append(words, f)
	}
	return words
}

// isInitials: "И.И." or "J.R.", letters each followed by a dot.
func isInitials(w string) bool {
	r := []rune(w)
	if len(r) < 4 || len(r)%2 != 0 {
		return false
	}
	for i := 0; i < len(r); i += 2 {
		if !unicode.IsLetter(r[i]) || r[i+1] != '.' {
			return false
		}
	}
	return true
}

// isInitial: one letter and a dot, "И.".
func isInitial(w string) bool {
	r := []rune(w)
	return len(r) == 2 && unicode.IsLetter(r[0]) && r[1] == '.'
}

func turkicParticle(w string) bool {
	switch strings.ToLower(w) {
	case "оглы", "кызы", "улы", "уулу", "гызы":
		return true
	}
	return false
}

// isPatronymic recognises Russian and Turkic patronymics by their endings.
func isPatronymic(w string) bool {
	l := strings.ToLower(w)
	if i := strings.LastIndexAny(l, " -"); i >= 0 && turkicParticle(l[i+1:]) {
		return true
	}
	for _, suffix := range []string{"вич", "вна", "ична", "ич"} {
		if strings.HasSuffix(l, suffix) && len([]rune(l)) > len([]rune(suffix))+2 {
			return true
		}
	}
	return false
}

// looksLikeFamilyName recognises the endings only family names have; -ин
// and -ина are left out because many given names share them (Марина,
// Валентин).
func looksLikeFamilyName(w string) bool {
	l := strings.ToLower(w)
	for _, suffix := range []string{"ов", "ова", "ев", "ева", "ёв", "ёва", "ский", "ская", "цкий", "цкая", "енко", "швили", "дзе", "ян", "ук", "юк", "ых", "их"} {
		if strings.HasSuffix(l, suffix) {
			return true
		}
	}
	return false
}

func hasCyrillic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}
