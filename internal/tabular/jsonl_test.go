package tabular

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestJSONLines(t *testing.T) {
	input := "\ufeff{\"family_name\":\"Иванова\",\"id\":12345678901234567890}\n" +
		"\n" +
		"{\"family_name\": \"Smith\", \"phones\": [\"+44 20 7946 0958\"]}\r\n" +
		"[1,2]\n" +
		"{\"broken\": \n" +
		"{\"a\":1} {\"b\":2}\n" +
		"\"text\"\n" +
		"{\"bad\":\"\xff\"}\n" +
		"{\"last\":true}"
	r := NewJSONLines(strings.NewReader(input))
	var got []string
	for i := 0; ; i++ {
		if i > 100 {
			t.Fatal("Next does not end")
		}
		obj, err := r.Next()
		var lerr *LineError
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.As(err, &lerr) {
			got = append(got, fmt.Sprintf("%d!%s", lerr.Line, lerr.Reason))
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(obj.Values)
		got = append(got, fmt.Sprintf("%d:%s", obj.Line, b))
	}
	want := []string{
		`1:{"family_name":"Иванова","id":12345678901234567890}`,
		`3:{"family_name":"Smith","phones":["+44 20 7946 0958"]}`,
		"4!not a JSON object (a line must start with {)",
		"5!not valid JSON: the object is not closed",
		"6!text after the JSON object",
		"7!not a JSON object (a line must start with {)",
		"8!the text is not valid UTF-8",
		`9:{"last":true}`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestJSONLinesNumbersKeepDigits(t *testing.T) {
	obj, err := NewJSONLines(strings.NewReader(`{"id": 12345678901234567890}`)).Next()
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := obj.Values["id"].(json.Number); !ok || n.String() != "12345678901234567890" {
		t.Errorf("id = %#v; want json.Number 12345678901234567890", obj.Values["id"])
	}
}
