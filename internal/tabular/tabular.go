// Package tabular reads the CSV files older systems export — UTF-8 or
// Windows-1251, comma- or semicolon-separated, with a header in Russian or
// English — as a stream of numbered records, reporting each malformed line
// and carrying on with the next, so one bad line never costs the good ones.
//
// It also reads JSON Lines the same way, maps header columns to our fields
// by their names (GuessColumns) and splits a "ФИО" column (SplitFullName).
package tabular

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/vernost/vernost"
)

// sniffSize is how much of the file is looked at to detect its encoding
// and delimiter.
const sniffSize = 64 << 10

// Options override detection and set limits. The zero value detects
// everything and expects a header line.
type Options struct {
	Encoding  string // "" detects; else "utf-8", "windows-1251" ("cp1251"), "koi8-r", "ibm866", "utf-16le", "utf-16be"
	Delimiter rune   // 0 detects among ',', ';', tab and '|'
	NoHeader  bool   // the first line is data, not column names

	// A record longer than MaxRecordBytes (default 1 MiB), or a quoted
	// field still open after MaxRecordLines lines (default 100), is taken
	// for a broken quote and reported, and reading resumes after its
	// first line.
	MaxRecordBytes int
	MaxRecordLines int
}

// Record is one row of the file. Line is the number of its first physical
// line, counting from 1 (the header is line 1 in most files).
type Record struct {
	Line   int
	Fields []string
}

// LineError reports a malformed line. The reader carries on after it.
type LineError struct {
	Line   int
	Reason string
	// Text is the line as it was in the file (decoded to UTF-8, invalid
	// bytes replaced, cut at MaxRecordBytes), for the reject file.
	Text string
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// Reader streams the records of a delimited file.
type Reader struct {
	lines    lineReader
	linesEOF bool
	err      error // a read error, returned from then on

	encoding  string
	table     *[256]rune // nil when the stream is UTF-8
	delim     byte
	header    []string
	fields    int // expected fields per record; 0 until known
	maxBytes  int
	maxLines  int
	pending   []physLine // lines read but not yet consumed by a record
	arena     []byte     // the bytes of pending lines
	fieldBuf  []byte     // raw bytes of the record being parsed
	fieldEnds []int      // end offset in fieldBuf of each field
	text      []byte     // the record decoded to UTF-8
}

// physLine is one physical line, held in the reader's arena.
type physLine struct {
	no         int
	start, end int
	tooLong    bool
}

// Open detects the encoding and the delimiter from the start of r (unless
// opt sets them) and reads the header. Errors are *vernost.Error (invalid)
// for files that cannot be read as a table.
func Open(r io.Reader, opt Options) (*Reader, error) {
	if opt.MaxRecordBytes <= 0 {
		opt.MaxRecordBytes = 1 << 20
	}
	if opt.MaxRecordLines <= 0 {
		opt.MaxRecordLines = 100
	}
	enc := ""
	if opt.Encoding != "" {
		var ok bool
		if enc, ok = encodingAliases[strings.ToLower(strings.TrimSpace(opt.Encoding))]; !ok {
			return nil, vernost.Invalid("encoding", "unknown encoding %q (want utf-8, windows-1251, koi8-r, ibm866, utf-16le or utf-16be)", opt.Encoding)
		}
	}
	if opt.Delimiter != 0 && (opt.Delimiter >= 0x80 || strings.ContainsRune("\"\r\n", opt.Delimiter)) {
		return nil, vernost.Invalid("delimiter", "the delimiter must be one ASCII character other than a quote or a line break")
	}

	src := bufio.NewReaderSize(r, sniffSize)
	sample, atEOF, err := peek(src)
	if err != nil {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(sample, []byte{0xef, 0xbb, 0xbf}) && (enc == "" || enc == UTF8):
		enc = UTF8
		src.Discard(3)
		sample = sample[3:]
	case enc == UTF16LE || enc == UTF16BE || enc == "" && (bytes.HasPrefix(sample, []byte{0xff, 0xfe}) || bytes.HasPrefix(sample, []byte{0xfe, 0xff})):
		if enc == "" {
			enc = UTF16LE
			if sample[0] == 0xfe {
				enc = UTF16BE
			}
		}
		order := unicode.LittleEndian
		if enc == UTF16BE {
			order = unicode.BigEndian
		}
		utf8Stream := transform.NewReader(src, unicode.UTF16(order, unicode.UseBOM).NewDecoder())
		src = bufio.NewReaderSize(utf8Stream, sniffSize)
		if sample, atEOF, err = peek(src); err != nil {
			return nil, err
		}
	case enc == "" && validUTF8Prefix(sample, atEOF):
		enc = UTF8
	case enc == "":
		enc = detectSingleByte(sample)
	}

	eol := detectEOL(sample)
	delim := byte(opt.Delimiter)
	if delim == 0 {
		delim = detectDelimiter(sample, eol, atEOF)
	}
	rd := &Reader{
		lines:    lineReader{src: src, eol: eol, max: opt.MaxRecordBytes},
		encoding: enc,
		table:    singleByte[enc],
		delim:    delim,
		maxBytes: opt.MaxRecordBytes,
		maxLines: opt.MaxRecordLines,
	}
	if !opt.NoHeader {
		rec, err := rd.Next()
		var lerr *LineError
		switch {
		case errors.Is(err, io.EOF):
			return nil, vernost.Invalid("file", "is empty: there is no header line")
		case errors.As(err, &lerr):
			return nil, vernost.Invalid("header", "line %d: %s", lerr.Line, lerr.Reason)
		case err != nil:
			return nil, err
		}
		rd.header = rec.Fields
		for i, h := range rd.header {
			rd.header[i] = strings.TrimSpace(h)
		}
	}
	return rd, nil
}

// peek returns the sample the detection looks at and whether it is the
// whole input.
func peek(src *bufio.Reader) (sample []byte, atEOF bool, err error) {
	sample, err = src.Peek(sniffSize)
	switch {
	case err == nil:
		return sample, false, nil
	case errors.Is(err, io.EOF):
		return sample, true, nil
	}
	return nil, false, fmt.Errorf("read the start of the file: %w", err)
}

// Header returns the column names (trimmed), or nil with Options.NoHeader.
func (r *Reader) Header() []string { return r.header }

// Encoding returns the detected or given encoding: "utf-8", "windows-1251", …
func (r *Reader) Encoding() string { return r.encoding }

// Delimiter returns the detected or given field delimiter.
func (r *Reader) Delimiter() rune { return rune(r.delim) }

// Next returns the next record. A malformed line comes back as a
// *LineError, after which Next continues with the following line; at the
// end of input it returns io.EOF. Blank lines, and lines whose fields are
// all empty (";;;;" left by spreadsheets), are skipped.
//
// Every record has as many fields as the header (or the first record).
// Extra trailing fields are dropped if they are empty, since some exports
// end every data line, but not the header, with a delimiter.
func (r *Reader) Next() (Record, error) {
	for {
		if r.err != nil {
			return Record{}, r.err
		}
		if len(r.pending) == 0 {
			if err := r.fill(0); err != nil {
				if errors.Is(err, io.EOF) {
					return Record{}, io.EOF
				}
				return Record{}, err
			}
		}
		first := r.pending[0]
		used, reason, err := r.parse()
		if err != nil {
			return Record{}, err
		}
		if reason != "" {
			// Give up on the first line only: the lines after it are read
			// again, so a stray quote cannot swallow good rows.
			return Record{}, r.reject(1, reason)
		}
		if r.blank() {
			r.drop(used)
			continue
		}
		if reason := r.checkCount(); reason != "" {
			if used == 1 {
				return Record{}, r.reject(1, reason)
			}
			return Record{}, r.reject(1, reason+fmt.Sprintf(" (a quoted field here runs over %d lines: a quote may be missing)", used))
		}
		fields, ok := r.decode()
		if !ok {
			return Record{}, r.reject(used, "the text is not valid UTF-8 (the file was detected as UTF-8 from its start)")
		}
		r.drop(used)
		return Record{Line: first.no, Fields: fields}, nil
	}
}

// reject makes the error for the first pending line and drops n lines.
func (r *Reader) reject(n int, reason string) *LineError {
	first := r.pending[0]
	raw := r.line(0)
	var text string
	if r.table == nil {
		text = strings.ToValidUTF8(string(raw), "\uFFFD")
	} else {
		text = string(decodeSingleByte(nil, raw, r.table))
	}
	r.drop(n)
	return &LineError{Line: first.no, Reason: reason, Text: text}
}

// blank reports whether the parsed record has no text in any field.
func (r *Reader) blank() bool {
	return len(bytes.TrimSpace(r.fieldBuf)) == 0
}

// checkCount enforces the field count, learning it from the first record
// when there is no header.
func (r *Reader) checkCount() string {
	n := len(r.fieldEnds)
	if r.fields == 0 {
		r.fields = n
		return ""
	}
	if n > r.fields && r.fieldEnds[n-1] == r.fieldEnds[r.fields-1] {
		r.fieldEnds = r.fieldEnds[:r.fields] // only empty fields beyond the last column
		n = r.fields
	}
	if n != r.fields {
		what := "the header has"
		if r.header == nil {
			what = "the first record has"
		}
		return fmt.Sprintf("has %d fields, %s %d", n, what, r.fields)
	}
	return ""
}

// decode turns the parsed raw fields into strings sharing one allocation.
func (r *Reader) decode() ([]string, bool) {
	var s string
	ends := r.fieldEnds
	if r.table == nil {
		if !isUTF8(r.fieldBuf) {
			return nil, false
		}
		s = string(r.fieldBuf)
	} else {
		r.text = r.text[:0]
		prev := 0
		for i, end := range ends {
			r.text = decodeSingleByte(r.text, r.fieldBuf[prev:end], r.table)
			prev = end
			ends[i] = len(r.text)
		}
		s = string(r.text)
	}
	fields := make([]string, len(ends))
	prev := 0
	for i, end := range ends {
		fields[i] = s[prev:end]
		prev = end
	}
	return fields, true
}
