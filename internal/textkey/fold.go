// Package textkey makes the search key for people's names: one folded,
// lower-case spelling per word (plus a Latin transliteration of Cyrillic), so
// that "ив серг", "IVANOVA" and "Иванова Анна Сергеевна" meet in one index.
//
// SQLite's lower() folds ASCII only, so the folding happens here, in Go, and
// the database stores and compares the folded words as plain text.
package textkey

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s lower-cased, with ё as е, Latin diacritics removed (é→e,
// ß→ss), apostrophes dropped (O'Neil→oneil), other punctuation and
// whitespace collapsed to single spaces, and hyphens kept only between
// letters ("Римский - Корсаков" → "римский корсаков", "Римский-Корсаков" →
// "римский-корсаков"). Й stays distinct from и: they are different letters.
//
// Fold is idempotent and its result is valid UTF-8 with no upper-case letters.
func Fold(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	out, ok := fold(s, false)
	if !ok {
		// A combining mark: compose first so that и + ̆ becomes й (kept) and
		// е + ̈ becomes ё (then е); marks left over are dropped.
		out, _ = fold(norm.NFC.String(s), true)
	}
	return out
}

// separator states between two runs of letters.
const (
	sepNone = iota
	sepHyphen
	sepSpace
)

// fold does the work in one pass. Unless s is already composed, it reports
// false, doing nothing, at the first combining mark.
func fold(s string, composed bool) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	sep := sepNone
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII fast path
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			case c == '-':
				if sep == sepNone {
					sep = sepHyphen
				}
				continue
			case c == '\'' || c == '`':
				continue
			default:
				sep = sepSpace
				continue
			}
			writeSep(&b, sep)
			sep = sepNone
			b.WriteByte(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r >= 'А' && r <= 'я' || r == 'ё' || r == 'Ё' { // Russian letters, the common case
			writeSep(&b, sep)
			sep = sepNone
			switch {
			case r == 'ё' || r == 'Ё':
				r = 'е'
			case r <= 'Я':
				r += 'а' - 'А'
			}
			b.WriteRune(r)
			continue
		}
		switch class(r) {
		case classLetter:
			folded, base, ok := foldLetter(r)
			if !ok {
				continue
			}
			writeSep(&b, sep)
			sep = sepNone
			if base != "" {
				b.WriteString(base)
			} else {
				b.WriteRune(folded)
			}
		case classHyphen:
			if sep == sepNone {
				sep = sepHyphen
			}
		case classMark:
			if !composed {
				return "", false
			}
		case classJoin:
		default:
			sep = sepSpace
		}
	}
	return b.String(), true
}

func writeSep(b *strings.Builder, sep int) {
	if b.Len() == 0 {
		return
	}
	switch sep {
	case sepHyphen:
		b.WriteByte('-')
	case sepSpace:
		b.WriteByte(' ')
	}
}

// Classes of non-ASCII runes.
const (
	classBreak  = iota // separates words
	classLetter        // a letter or digit, kept
	classHyphen        // joins the parts of a double name
	classJoin          // dropped without separating: apostrophes, soft hyphens, zero-width characters
	classMark          // a combining mark
)

func class(r rune) int {
	switch r {
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2212', '\ufe63', '\uff0d':
		return classHyphen
	case '\u2019', '\u2018', '\u02bc', '\u02bb', '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return classJoin
	}
	switch {
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return classLetter
	case unicode.Is(unicode.M, r):
		return classMark
	}
	return classBreak
}

// foldLetter folds one non-ASCII letter to a rune, or to an ASCII base
// for a Latin letter with a diacritic. It reports false for a letter to drop.
func foldLetter(r rune) (folded rune, base string, ok bool) {
	if r >= 0xff21 && r <= 0xff5a { // full-width Latin, as pasted from PDFs
		r -= 0xff21 - 'A'
	}
	r = unicode.ToLower(r)
	switch {
	case r == 'ё':
		return 'е', "", true
	case r < utf8.RuneSelf:
		return r, "", true
	case unicode.IsUpper(r):
		// An upper-case letter without a lower-case form (rare symbols):
		// take its non-capital folding partner if it has one, else drop it.
		if f := unicode.SimpleFold(r); f != r && !unicode.IsUpper(f) {
			return f, "", true
		}
		return 0, "", false
	}
	return r, latinBase(r), true
}
