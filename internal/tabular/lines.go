package tabular

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// lineReader splits a byte stream into physical lines (without "\n" or
// "\r\n"; or without "\r" for files from old Macs, where eol is '\r') and
// numbers them from 1. A line longer than max is cut off and
// flagged, and the rest of it skipped, so one giant line can neither exhaust
// memory nor hide the lines after it.
type lineReader struct {
	src *bufio.Reader
	eol byte
	max int
	no  int // number of the last line returned
}

// next appends the next line to buf and returns the extended buffer, the
// line's number, and whether the line (without its end) was longer than
// max and so cut. At the end of input it returns io.EOF; a final line
// without an end is still a line.
func (lr *lineReader) next(buf []byte) (_ []byte, no int, tooLong bool, err error) {
	start := len(buf)
	keep := lr.max + 2 // room for the line end ("\r\n") on a line of max bytes
	for {
		chunk, err := lr.src.ReadSlice(lr.eol)
		if room := keep - (len(buf) - start); len(chunk) > room {
			buf = append(buf, chunk[:room]...)
			tooLong = true
		} else {
			buf = append(buf, chunk...)
		}
		switch {
		case err == nil:
			lr.no++
			return lr.finish(buf, start, tooLong)
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(buf) == start && !tooLong {
				return buf, lr.no, false, io.EOF
			}
			lr.no++
			return lr.finish(buf, start, tooLong)
		default:
			return buf[:start], lr.no, false, err
		}
	}
}

// finish drops the line's end (eol, and a "\r" before a "\n") and cuts a
// line longer than max.
func (lr *lineReader) finish(buf []byte, start int, cut bool) ([]byte, int, bool, error) {
	line := buf[start:]
	if !cut {
		line = bytes.TrimSuffix(line, []byte{lr.eol})
		line = bytes.TrimSuffix(line, []byte{'\r'})
	}
	if len(line) > lr.max {
		line, cut = line[:lr.max], true
	}
	return buf[:start+len(line)], lr.no, cut, nil
}
