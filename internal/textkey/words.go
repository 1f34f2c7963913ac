package textkey

import "strings"

// MaxQueryWords bounds how many words of a query are searched for: more
// only slow the query down without narrowing a name search further.
const MaxQueryWords = 8

// Words returns the folded words of s; hyphens split words, so a double
// name is found by either half.
func Words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return r == ' ' || r == '-' })
}

// QueryWords returns the folded words of what someone typed into a search
// box (each is matched as a prefix of an indexed word), at most
// MaxQueryWords of them, duplicates removed.
func QueryWords(q string) []string {
	words := dedupe(Words(q))
	if len(words) > MaxQueryWords {
		words = words[:MaxQueryWords]
	}
	return words
}

// IndexWords returns the words to index for a person's name parts: every
// folded word and, for Cyrillic words, its Latin transliteration, without
// duplicates, in order of first appearance.
func IndexWords(parts ...string) []string {
	var words []string
	for _, p := range parts {
		for _, w := range Words(p) {
			words = append(words, w)
			if t := Translit(w); t != w {
				// Fold again: the transliteration of a word mixing scripts
				// may still need it, and indexed words must be folded.
				words = append(words, Words(t)...)
			}
		}
	}
	return dedupe(words)
}

// dedupe removes repeated words in place, keeping first appearances. Names
// have a handful of words, so a linear scan beats a map; long texts get one.
func dedupe(words []string) []string {
	out := words[:0]
	if len(words) > 32 {
		seen := make(map[string]bool, len(words))
		for _, w := range words {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
		return out
	}
	for _, w := range words {
		seen := false
		for _, o := range out {
			if o == w {
				seen = true
				break
			}
		}
		if !seen {
			out = append(out, w)
		}
	}
	return out
}
