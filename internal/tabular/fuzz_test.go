package tabular

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzReader checks the promises the importer relies on: Open and Next
// never panic, Next always ends, line numbers only grow, every record has
// the header's field count, and — for files without quotes, where lines and
// records coincide — every non-blank line comes back as exactly one record
// or one line error.
func FuzzReader(f *testing.F) {
	seeds := []string{
		"Фамилия;Имя\nИванова;Анна\n",
		"a,b\n\"x\"y,1\n\"ok\",2\n",
		"a,b\n\"x,1\n\"y\",2\nz,3\n",
		"a,b\r1,2\r",
		"a|b\n1|2|3\n\n||\n",
		"\xef\xbb\xbfa\tb\n1\t2\n",
		"\xff\xfea\x00,\x00b\x00\n\x001\x00,\x002\x00",
		"\xd4\xe0\xec\xe8\xeb\xe8\xff;\xc8\xec\xff\n\xc8\xe2\xe0\xed\xee\xe2\xe0;\xc0\xed\xed\xe0\n",
		"a,b\n\"multi\nline\",1\n",
		"\"",
	}
	for _, s := range seeds {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, noHeader bool) {
		r, err := Open(bytes.NewReader(data), Options{NoHeader: noHeader, MaxRecordLines: 4, MaxRecordBytes: 256})
		if err != nil {
			return
		}
		total := bytes.Count(data, []byte{'\n'}) + bytes.Count(data, []byte{'\r'}) + 1
		want := len(r.Header())
		seen := map[int]bool{}
		last := 0
		for i := 0; ; i++ {
			if i > total+1 {
				t.Fatalf("Next returned %d results from at most %d lines", i, total)
			}
			rec, err := r.Next()
			var lerr *LineError
			line := rec.Line
			switch {
			case errors.Is(err, io.EOF):
				checkCoverage(t, data, r, seen)
				return
			case errors.As(err, &lerr):
				line = lerr.Line
			case err != nil:
				t.Fatalf("Next: %v", err)
			default:
				if want == 0 {
					want = len(rec.Fields)
				}
				if len(rec.Fields) != want {
					t.Fatalf("record at line %d has %d fields; want %d", rec.Line, len(rec.Fields), want)
				}
			}
			if line <= last || line > total {
				t.Fatalf("result at line %d after line %d (the input has at most %d lines)", line, last, total)
			}
			last = line
			seen[line] = true
		}
	})
}

// checkCoverage compares the lines the reader reported (records and errors,
// plus the header) with the non-blank lines of a quote-free input.
func checkCoverage(t *testing.T, data []byte, r *Reader, seen map[int]bool) {
	t.Helper()
	if bytes.IndexByte(data, '"') >= 0 || r.Encoding() == UTF16LE || r.Encoding() == UTF16BE || bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}) {
		return
	}
	eol := byte('\n')
	if bytes.IndexByte(data, '\n') < 0 && bytes.IndexByte(data, '\r') >= 0 {
		eol = '\r'
	}
	headerPending := r.Header() != nil
	for i, line := range bytes.Split(data, []byte{eol}) {
		line = bytes.TrimSuffix(line, []byte{'\r'})
		blank := len(bytes.TrimSpace(bytes.ReplaceAll(line, []byte{byte(r.Delimiter())}, nil))) == 0
		if len(line) > 256 {
			blank = false // reported as too long
		}
		if headerPending && !blank {
			headerPending = false
			continue
		}
		if seen[i+1] == blank {
			t.Fatalf("line %d (%q): reported %v; want %v", i+1, line, seen[i+1], !blank)
		}
	}
}

// FuzzJSONLines: no panic, the reader ends, line numbers only grow.
func FuzzJSONLines(f *testing.F) {
	for _, s := range []string{"{\"a\":1}\n\n[1]\n{\"b\":\n{\"c\":\"\xff\"}\n{} {}\n", "\ufeff{\"x\":12345678901234567890}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewJSONLines(bytes.NewReader(data))
		total := bytes.Count(data, []byte{'\n'}) + 1
		last := 0
		for i := 0; ; i++ {
			if i > total {
				t.Fatalf("Next returned %d results from %d lines", i, total)
			}
			obj, err := r.Next()
			var lerr *LineError
			line := obj.Line
			switch {
			case errors.Is(err, io.EOF):
				return
			case errors.As(err, &lerr):
				line = lerr.Line
			case err != nil:
				t.Fatalf("Next: %v", err)
			case obj.Values == nil:
				t.Fatalf("line %d: an object without values", obj.Line)
			}
			if line <= last || line > total {
				t.Fatalf("result at line %d after line %d (of %d)", line, last, total)
			}
			last = line
		}
	})
}
