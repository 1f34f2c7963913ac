package tabular

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Object is one line of a JSON Lines file. Numbers are json.Number, so
// long ids keep every digit.
type Object struct {
	Line   int
	Values map[string]any
}

// JSONLinesReader streams the objects of a JSON Lines file (one JSON object
// per line, UTF-8). Like Reader, it reports a malformed line as a
// *LineError and carries on with the next.
type JSONLinesReader struct {
	lines lineReader
	buf   []byte
	err   error
}

// maxJSONLine bounds one line, as MaxRecordBytes does for CSV.
const maxJSONLine = 1 << 20

// NewJSONLines returns a reader of r.
func NewJSONLines(r io.Reader) *JSONLinesReader {
	return &JSONLinesReader{lines: lineReader{src: bufio.NewReaderSize(r, 64<<10), eol: '\n', max: maxJSONLine}}
}

// Next returns the next object; a *LineError for a line that is not a JSON
// object (the reader continues after it); io.EOF at the end. Blank lines
// are skipped.
func (j *JSONLinesReader) Next() (Object, error) {
	for {
		if j.err != nil {
			return Object{}, j.err
		}
		line, no, tooLong, err := j.lines.next(j.buf[:0])
		j.buf = line
		if errors.Is(err, io.EOF) {
			return Object{}, io.EOF
		}
		if err != nil {
			j.err = fmt.Errorf("read line %d: %w", j.lines.no+1, err)
			return Object{}, j.err
		}
		if no == 1 {
			line = bytes.TrimPrefix(line, []byte{0xef, 0xbb, 0xbf})
		}
		line = bytes.TrimSpace(line)
		switch {
		case tooLong:
			return Object{}, &LineError{Line: no, Reason: fmt.Sprintf("the line is longer than %d bytes", maxJSONLine)}
		case len(line) == 0:
			continue
		case line[0] != '{':
			return Object{}, &LineError{Line: no, Reason: "not a JSON object (a line must start with {)"}
		case !utf8.Valid(line):
			return Object{}, &LineError{Line: no, Reason: "the text is not valid UTF-8"}
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		var values map[string]any
		if err := dec.Decode(&values); err != nil {
			return Object{}, &LineError{Line: no, Reason: "not valid JSON: " + jsonReason(err)}
		}
		if dec.InputOffset() != int64(len(line)) {
			return Object{}, &LineError{Line: no, Reason: "text after the JSON object"}
		}
		return Object{Line: no, Values: values}, nil
	}
}

// jsonReason words a decoding error without Go type names.
func jsonReason(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("%s (at byte %d)", syn.Error(), syn.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "the object is not closed"
	}
	return err.Error()
}
