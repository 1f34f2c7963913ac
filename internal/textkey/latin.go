package textkey

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Latin letters with diacritics fold to their base letters (é→e, ł→l) so that
// "Müller" and "Muller", "Renée" and "Renee" meet. The table covers Latin-1,
// Latin Extended-A/B and Latin Extended Additional (Vietnamese), built once
// from the Unicode decompositions; letters that do not decompose are listed.
var (
	latinLow  [0x250 - 0xc0]string    // U+00C0..U+024F
	latinHigh [0x1f00 - 0x1e00]string // U+1E00..U+1EFF
)

// Letters whose base is not given by canonical decomposition.
var latinSpecial = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d",
	'þ': "th", 'ł': "l", 'ı': "i", 'ħ': "h", 'ŧ': "t", 'ŀ': "l", 'ƒ': "f",
}

func init() {
	fill := func(r rune) string {
		if t, ok := latinSpecial[r]; ok {
			return t
		}
		base := make([]rune, 0, 2)
		for _, d := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, d) {
				base = append(base, d)
			}
		}
		if len(base) == 1 && base[0] < 0x80 && unicode.IsLetter(base[0]) {
			return string(unicode.ToLower(base[0]))
		}
		return ""
	}
	for i := range latinLow {
		latinLow[i] = fill(rune(0xc0 + i))
	}
	for i := range latinHigh {
		latinHigh[i] = fill(rune(0x1e00 + i))
	}
}

// latinBase returns the ASCII base of a lower-case Latin letter with a
// diacritic, or "" for any other rune.
func latinBase(r rune) string {
	switch {
	case r >= 0xc0 && r < 0x250:
		return latinLow[r-0xc0]
	case r >= 0x1e00 && r < 0x1f00:
		return latinHigh[r-0x1e00]
	}
	return ""
}
