package tabular

import (
	"cmp"
	"slices"
	"strings"

	"github.com/vernost/vernost/internal/textkey"
)

// FieldSpec describes one of our fields for GuessColumns.
type FieldSpec struct {
	Name     string   // our name, e.g. "family_name"; also matched, with "_" as a space
	Synonyms []string // column titles that mean this field, in any language: "Фамилия", "last name"
	Multiple bool     // several columns may fill it ("Телефон", "Телефон 2")
}

// Match strengths, strongest first.
const (
	matchExact  = 3 // same words, ignoring case, spaces and punctuation: "E-mail" = "email"
	matchWords  = 2 // the title contains the synonym's words: "Телефон 2", "E-mail адрес"
	matchPrefix = 1 // each synonym word begins with a title word: "Моб. тел." for "мобильный телефон"
)

// GuessColumns maps header columns (by index) to field names. Each column
// gets at most one field and each field one column unless it is Multiple;
// stronger matches win, then earlier columns. Columns that match nothing are
// left out, for the person importing to map or ignore.
func GuessColumns(header []string, fields []FieldSpec) map[int]string {
	// Each field's names as folded words, computed once.
	names := make([][][]string, len(fields))
	for f, spec := range fields {
		names[f] = append(names[f], textkey.Words(strings.ReplaceAll(spec.Name, "_", " ")))
		for _, syn := range spec.Synonyms {
			names[f] = append(names[f], textkey.Words(syn))
		}
	}
	type candidate struct{ col, field, score int }
	var cands []candidate
	for col, title := range header {
		words := textkey.Words(title)
		if len(words) == 0 {
			continue
		}
		for f := range fields {
			best := 0
			for _, syn := range names[f] {
				best = max(best, matchScore(words, syn))
			}
			if best > 0 {
				cands = append(cands, candidate{col, f, best})
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.col, b.col), cmp.Compare(a.field, b.field))
	})
	mapping := make(map[int]string)
	taken := make(map[int]bool) // fields already given a column
	for _, c := range cands {
		if _, done := mapping[c.col]; done || taken[c.field] && !fields[c.field].Multiple {
			continue
		}
		mapping[c.col] = fields[c.field].Name
		taken[c.field] = true
	}
	return mapping
}

// matchScore rates how well a column title names a synonym (both as
// folded words).
func matchScore(title, syn []string) int {
	if len(syn) == 0 {
		return 0
	}
	if strings.Join(title, "") == strings.Join(syn, "") {
		return matchExact
	}
	if containsAll(title, syn, func(t, s string) bool { return t == s }) {
		return matchWords
	}
	if len(title) == len(syn) && containsAll(title, syn, isAbbreviation) {
		return matchPrefix
	}
	return 0
}

// containsAll reports whether every synonym word is matched by some title
// word.
func containsAll(title, syn []string, match func(t, s string) bool) bool {
	for _, s := range syn {
		if !slices.ContainsFunc(title, func(t string) bool { return match(t, s) }) {
			return false
		}
	}
	return true
}

// isAbbreviation: "моб" for "мобильный", "тел" for "телефон"; three letters
// at least, so "e" does not stand for everything.
func isAbbreviation(t, s string) bool {
	return t == s || len([]rune(t)) >= 3 && strings.HasPrefix(s, t)
}
