package customer

import (
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"
)

// The search rows a load writes are JSON that SQLite and PostgreSQL read
// back as the ids and words given, whatever the words hold.
func TestSearchRowsAreJSON(t *testing.T) {
	words := []string{"ёлкина алена elkina alena", `o"neil \ back`, "tab\there\x01", "", "中文 😀"}
	var r searchRows
	var want [][2]any
	for i, w := range words {
		r.add(int64(i*1000+1), w)
		want = append(want, [2]any{float64(i*1000 + 1), w})
	}
	var got [][2]any
	if err := json.Unmarshal([]byte(r.json()), &got); err != nil {
		t.Fatalf("%s: %v", r.json(), err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %q, want %q", got, want)
	}
}

func FuzzSearchRows(f *testing.F) {
	f.Add("иванов ivanov", `a"b\c`)
	f.Fuzz(func(t *testing.T, a, b string) {
		var r searchRows
		r.add(1, a)
		r.add(2, b)
		var got [][2]any
		if err := json.Unmarshal([]byte(r.json()), &got); err != nil {
			t.Fatalf("%s: %v", r.json(), err)
		}
		if len(got) != 2 || got[0][0] != float64(1) || got[1][0] != float64(2) {
			t.Fatalf("read back %q", got)
		}
		// Folded words are always valid UTF-8; encoding/json would replace
		// invalid bytes, so only valid words must come back as they were.
		for i, w := range []string{a, b} {
			if utf8.ValidString(w) && got[i][1] != w {
				t.Errorf("word %d read back %q, want %q", i, got[i][1], w)
			}
		}
	})
}
