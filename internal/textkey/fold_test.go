package textkey

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Иванова Анна Сергеевна", "иванова анна сергеевна"},
		{"ИВАНОВА  анна\tСЕРГЕЕВНА\n", "иванова анна сергеевна"},
		{"Фёдоров Пётр", "федоров петр"},
		{"ЁЛКИН", "елкин"},
		{"Сергей Йошкин", "сергей йошкин"}, // й is a letter of its own
		{"Сергеи\u0306", "сергей"},         // decomposed й composes, stays й
		{"Фе\u0308доров", "федоров"},       // decomposed ё folds to е
		{"за\u0301мок", "замок"},           // a stress mark is dropped
		{"Renée Müller-Łukasiewicz", "renee muller-lukasiewicz"},
		{"Straße Æsir Øst", "strasse aesir ost"},
		{"Nguyễn Thị Minh", "nguyen thi minh"},
		{"O'Neil D’Artagnan", "oneil dartagnan"},
		{"Римский-Корсаков", "римский-корсаков"},
		{"Римский - Корсаков", "римский корсаков"},
		{"Петров–Водкин", "петров-водкин"}, // an en dash between letters is a hyphen
		{"--Анна--Мария--", "анна-мария"},
		{"Smith, John J.", "smith john j"},
		{"Иванов И.И.", "иванов и и"},
		{"  ", ""},
		{"«Ромашка» (ООО)", "ромашка ооо"},
		{"ＩＶＡＮＯＶ", "ivanov"}, // full-width Latin
		{"Ivanov\xffPetr", "ivanov petr"},
		{"Agent 007", "agent 007"},
		{"Σίσυφος", "σίσυφος"}, // other scripts are lower-cased, not stripped
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Иванова Анна-Мария", []string{"иванова", "анна", "мария"}},
		{"  ", nil},
		{"O'Neil", []string{"oneil"}},
	}
	for _, tt := range tests {
		if got := Words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Words(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestTranslit(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Иванова", "Ivanova"},
		{"Щукин Жорж", "Shchukin Zhorzh"},
		{"ЩУКИН", "SHCHUKIN"},
		{"ЖЖ", "ZHZH"},
		{"Юлия Сергеевна", "Iuliia Sergeevna"},
		{"Сергей", "Sergei"},
		{"Королёв", "Korolev"},
		{"Подъячев", "Podieiachev"},
		{"Ильич", "Ilich"},
		{"Хрущёв Цой", "Khrushchev Tsoi"},
		{"Эльдар Ыгыатта", "Eldar Ygyatta"},
		{"Ющенко Ґалаґан Їжакевич", "Iushchenko Galagan Izhakevich"},
		{"Smith", "Smith"},
		{"Анна Smith 2", "Anna Smith 2"},
	}
	for _, tt := range tests {
		if got := Translit(tt.in); got != tt.want {
			t.Errorf("Translit(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestQueryWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"ив серг", []string{"ив", "серг"}},
		{"  Иванова   ИВАНОВА ", []string{"иванова"}},
		{"ivanova", []string{"ivanova"}},
		{"a b c d e f g h i j", []string{"a", "b", "c", "d", "e", "f", "g", "h"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := QueryWords(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("QueryWords(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestIndexWords(t *testing.T) {
	got := IndexWords("Иванова", "Анна-Мария", "Сергеевна", "Анна")
	want := []string{"иванова", "ivanova", "анна", "anna", "мария", "mariia", "сергеевна", "sergeevna"}
	if !slices.Equal(got, want) {
		t.Errorf("IndexWords = %q; want %q", got, want)
	}
	if got := IndexWords("John", "Smith"); !slices.Equal(got, []string{"john", "smith"}) {
		t.Errorf("IndexWords(John, Smith) = %q; want [john smith]", got)
	}
}

// TestSearchScenarios checks the promises of the search box: every query
// word is a prefix of some indexed word of the person it should find, and
// not of the person it should not.
func TestSearchScenarios(t *testing.T) {
	tests := []struct {
		query string
		name  []string
		found bool
	}{
		{"ив серг", []string{"Иванова", "Анна", "Сергеевна"}, true},
		{"серг ив", []string{"Иванова", "Анна", "Сергеевна"}, true},
		{"ИВАНОВА", []string{"Иванова", "Анна", "Сергеевна"}, true},
		{"ivanova anna", []string{"Иванова", "Анна", "Сергеевна"}, true},
		{"федоров", []string{"Фёдоров", "Пётр"}, true},
		{"Фёдоров", []string{"Федоров", "Петр"}, true},
		{"петров водкин", []string{"Петров-Водкин", "Кузьма"}, true},
		{"muller", []string{"Müller", "Hans"}, true},
		{"smith", []string{"Smith", "John"}, true},
		{"иванов", []string{"Ивашов", "Анна"}, false},
		{"йошкин", []string{"Иошкин", "Илья"}, false}, // й is not и
		{"ив петр", []string{"Иванова", "Анна", "Сергеевна"}, false},
	}
	for _, tt := range tests {
		index := IndexWords(tt.name...)
		found := true
		for _, q := range QueryWords(tt.query) {
			if !slices.ContainsFunc(index, func(w string) bool { return strings.HasPrefix(w, q) }) {
				found = false
			}
		}
		if found != tt.found {
			t.Errorf("query %q over %q (index %q): found %v; want %v", tt.query, tt.name, index, found, tt.found)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{
		"Иванова Анна Сергеевна", "Фе\u0308доров", "Сергеи\u0306", "Renée Müller-Łukasiewicz",
		"--a--", "O'Neil", "ϒ", "\xff\xfe", "ẞ", "ǅ", "a\u0301\u0301", "İstanbul", "ＩＶＡＮＯＶ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Fold(%q) = %q: not valid UTF-8", s, got)
		}
		if again := Fold(got); again != got {
			t.Fatalf("Fold(%q) = %q, but Fold of that = %q; want idempotent", s, got, again)
		}
		for _, r := range got {
			if r == 'ё' || unicode.IsUpper(r) {
				t.Fatalf("Fold(%q) = %q has %q", s, got, r)
			}
		}
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
			t.Fatalf("Fold(%q) = %q: spaces not collapsed", s, got)
		}
		for _, w := range IndexWords(s) {
			if w == "" || Fold(w) != w {
				t.Fatalf("IndexWords(%q) has %q, which is not a folded word", s, w)
			}
		}
	})
}
