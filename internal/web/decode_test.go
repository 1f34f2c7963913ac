package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vernost/vernost"
)

type decodeTarget struct {
	Name   string   `json:"name"`
	Age    int      `json:"age"`
	Phones []string `json:"phones"`
	Inner  struct {
		Active bool `json:"active"`
	} `json:"inner"`
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name, body, contentType string
		limit                   int64 // 0: no limit
		wantCode, wantField     string
		wantMsg                 string // substring
	}{
		{name: "valid", body: `{"name":"Анна","age":30,"phones":["+79001234567"]}`},
		{name: "valid with trailing space", body: "{\"name\":\"a\"} \n\t"},
		{name: "valid json+ type", body: `{"name":"a"}`, contentType: "application/merge-patch+json"},
		{name: "unknown field named", body: `{"name":"a","nmae":"b"}`, wantCode: vernost.EInvalid, wantField: "nmae", wantMsg: "unknown field"},
		// encoding/json names only the key, not its path, for unknown fields.
		{name: "unknown nested field", body: `{"inner":{"activ":true}}`, wantCode: vernost.EInvalid, wantField: "activ", wantMsg: "unknown field"},
		{name: "wrong type names field", body: `{"age":"thirty"}`, wantCode: vernost.EInvalid, wantField: "age", wantMsg: "expected an integer"},
		{name: "wrong nested type", body: `{"inner":{"active":"yes"}}`, wantCode: vernost.EInvalid, wantField: "inner.active", wantMsg: "true or false"},
		{name: "array element type", body: `{"phones":[1]}`, wantCode: vernost.EInvalid, wantField: "phones", wantMsg: "a string"},
		{name: "not an object", body: `[1,2]`, wantCode: vernost.EInvalid, wantField: "body", wantMsg: "expected an object"},
		{name: "trailing value", body: `{"name":"a"}{"name":"b"}`, wantCode: vernost.EInvalid, wantField: "body", wantMsg: "after the JSON value"},
		{name: "trailing garbage", body: `{"name":"a"} x`, wantCode: vernost.EInvalid, wantField: "body", wantMsg: "after the JSON value"},
		{name: "empty", body: ``, wantCode: vernost.EInvalid, wantField: "body", wantMsg: "empty"},
		{name: "truncated", body: `{"name":"a"`, wantCode: vernost.EInvalid, wantField: "body", wantMsg: "ends too early"},
		{name: "malformed", body: `{"name":}`, wantCode: vernost.EInvalid, wantField: "body", wantMsg: "malformed JSON at byte"},
		{name: "wrong content type", body: `{"name":"a"}`, contentType: "text/plain", wantCode: vernost.EInvalid, wantField: "body", wantMsg: "application/json"},
		{name: "over the limit", body: `{"name":"` + strings.Repeat("x", 200) + `"}`, limit: 100, wantCode: vernost.ETooLarge, wantMsg: "100 bytes"},
		{name: "trailing data over the limit", body: `{"name":"a"}` + strings.Repeat(" ", 200) + "x", limit: 100, wantCode: vernost.ETooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(tt.body))
			ct := tt.contentType
			if ct == "" {
				ct = "application/json; charset=utf-8"
			}
			r.Header.Set("Content-Type", ct)
			if tt.limit > 0 {
				r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, tt.limit)
			}
			var v decodeTarget
			err := decodeJSON(r, &v)
			e := asError(err)
			if err == nil {
				e.Code = ""
			}
			if e.Code != tt.wantCode {
				t.Fatalf("code = %q (%v), want %q", e.Code, err, tt.wantCode)
			}
			if err == nil {
				return
			}
			if tt.wantField != "" && e.Field != tt.wantField {
				t.Errorf("field = %q, want %q", e.Field, tt.wantField)
			}
			if !strings.Contains(e.Message, tt.wantMsg) {
				t.Errorf("message = %q, want it to contain %q", e.Message, tt.wantMsg)
			}
		})
	}
}

func TestDecodeJSONFills(t *testing.T) {
	var v decodeTarget
	if err := decodeJSONFrom(strings.NewReader(`{"name":"Пётр","age":41,"phones":["a","b"],"inner":{"active":true}}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.Name != "Пётр" || v.Age != 41 || len(v.Phones) != 2 || !v.Inner.Active {
		t.Errorf("decoded %+v", v)
	}
}

// FuzzDecodeJSON: whatever arrives, the decoder answers nil or an invalid /
// too-large error, never a panic or an internal error.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"name":"a"}`, `{"age":1e400}`, `{"phones":[null]}`, `{"inner":{}}`, `"x"`, `{}{}`, "\xff", `{"a":`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var v decodeTarget
		r := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(strings.NewReader(body)), 256)
		err := decodeJSONFrom(r, &v)
		if err == nil {
			return
		}
		switch code := asError(err).Code; code {
		case vernost.EInvalid, vernost.ETooLarge:
		default:
			t.Fatalf("decode %q: code %q (%v), want invalid or too_large", body, code, err)
		}
		if asError(err).Field == "" && asError(err).Code == vernost.EInvalid {
			t.Fatalf("decode %q: invalid without a field: %v", body, err)
		}
	})
}
