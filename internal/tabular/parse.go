package tabular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// We parse records ourselves rather than with encoding/csv: after a bad
// quote encoding/csv cannot say where the next good line starts, and we must
// resume exactly at the line after the bad one. Records are parsed from a
// queue of physical lines; a record that fails gives up only its first line,
// and the lines after it are parsed again. Every step consumes at least one
// line, so the reader always ends.

// parse reads one record starting at pending[0] into fieldBuf/fieldEnds.
// It returns the number of physical lines the record spans, or a reason
// why the first line is malformed. err is only for read failures.
func (r *Reader) parse() (used int, reason string, err error) {
	r.fieldBuf = r.fieldBuf[:0]
	r.fieldEnds = r.fieldEnds[:0]
	k := 0
	if r.pending[0].tooLong {
		return 1, fmt.Sprintf("the line is longer than %d bytes", r.maxBytes), nil
	}
	line := r.line(0)
	if len(line) == 0 {
		return 1, "", nil // blank: no fields, no text
	}
	pos := 0
	for {
		if pos < len(line) && line[pos] == '"' {
			pos++
			for {
				i := bytes.IndexByte(line[pos:], '"')
				if i < 0 {
					// The field goes on past the end of this line.
					r.fieldBuf = append(r.fieldBuf, line[pos:]...)
					k++
					if k >= r.maxLines {
						return k, fmt.Sprintf("field %d: a quoted field is not closed within %d lines", len(r.fieldEnds)+1, r.maxLines), nil
					}
					if err := r.fill(k); err != nil {
						if errors.Is(err, io.EOF) {
							return k, fmt.Sprintf("field %d: a quoted field is not closed before the end of the file", len(r.fieldEnds)+1), nil
						}
						return 0, "", err
					}
					if r.pending[k].tooLong || len(r.fieldBuf) > r.maxBytes {
						return k + 1, fmt.Sprintf("field %d: a quoted field runs on for more than %d bytes", len(r.fieldEnds)+1, r.maxBytes), nil
					}
					r.fieldBuf = append(r.fieldBuf, '\n')
					line, pos = r.line(k), 0
					continue
				}
				r.fieldBuf = append(r.fieldBuf, line[pos:pos+i]...)
				pos += i + 1
				if pos < len(line) && line[pos] == '"' { // "" is a quote
					r.fieldBuf = append(r.fieldBuf, '"')
					pos++
					continue
				}
				break
			}
			// Spaces after a closing quote are forgiven; other text is not.
			for pos < len(line) && line[pos] == ' ' && r.delim != ' ' {
				pos++
			}
			r.fieldEnds = append(r.fieldEnds, len(r.fieldBuf))
			if pos == len(line) {
				return k + 1, "", nil
			}
			if line[pos] != r.delim {
				return k + 1, fmt.Sprintf("field %d: text after the closing quote", len(r.fieldEnds)), nil
			}
			pos++ // a delimiter at the very end leaves one more, empty, field
			continue
		}
		// An unquoted field runs to the next delimiter. A quote inside it
		// (ООО "Ромашка") is kept as text: old exports do that a lot.
		i := bytes.IndexByte(line[pos:], r.delim)
		if i < 0 {
			r.fieldBuf = append(r.fieldBuf, line[pos:]...)
			r.fieldEnds = append(r.fieldEnds, len(r.fieldBuf))
			return k + 1, "", nil
		}
		r.fieldBuf = append(r.fieldBuf, line[pos:pos+i]...)
		r.fieldEnds = append(r.fieldEnds, len(r.fieldBuf))
		pos += i + 1
	}
}

// line returns the bytes of pending line k.
func (r *Reader) line(k int) []byte {
	p := r.pending[k]
	return r.arena[p.start:p.end]
}

// fill makes sure pending has at least k+1 lines, reading more as needed.
// It returns io.EOF when the input ends first.
func (r *Reader) fill(k int) error {
	for len(r.pending) <= k {
		if r.linesEOF {
			return io.EOF
		}
		start := len(r.arena)
		arena, no, tooLong, err := r.lines.next(r.arena)
		if errors.Is(err, io.EOF) {
			r.linesEOF = true
			return io.EOF
		}
		if err != nil {
			r.err = fmt.Errorf("read line %d: %w", r.lines.no+1, err)
			return r.err
		}
		r.arena = arena
		r.pending = append(r.pending, physLine{no: no, start: start, end: len(arena), tooLong: tooLong})
	}
	return nil
}

// drop removes the first n pending lines, reclaiming arena space once
// nothing refers to it.
func (r *Reader) drop(n int) {
	r.pending = r.pending[:copy(r.pending, r.pending[n:])]
	switch {
	case len(r.pending) == 0:
		r.arena = r.arena[:0]
	case r.pending[0].start > sniffSize && r.pending[0].start > len(r.arena)/2:
		// A long run of backed-off lines: move the rest down.
		shift := r.pending[0].start
		r.arena = r.arena[:copy(r.arena, r.arena[shift:])]
		for i := range r.pending {
			r.pending[i].start -= shift
			r.pending[i].end -= shift
		}
	}
}

// decodeSingleByte appends the UTF-8 form of text in a single-byte encoding.
func decodeSingleByte(dst, text []byte, t *[256]rune) []byte {
	for _, c := range text {
		if c < utf8.RuneSelf {
			dst = append(dst, c)
		} else {
			dst = utf8.AppendRune(dst, t[c])
		}
	}
	return dst
}

// isUTF8 is utf8.Valid with a fast path for ASCII, the bulk of most files.
func isUTF8(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return utf8.Valid(b)
		}
	}
	return true
}
