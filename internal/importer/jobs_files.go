package importer

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vernost/vernost"
)

// The files of a job: the upload, spooled to disk so that the request can
// end, and the reject list, kept bounded in memory until the job ends.

// cleanFileName keeps the base name of what a browser or a client sent
// (browsers on Windows send "C:\fakepath\clients.csv"), without control
// characters, for display.
func cleanFileName(name string) (string, error) {
	if !utf8.ValidString(name) {
		return "", vernost.Invalid("file_name", "is not valid UTF-8 text")
	}
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name))
	switch {
	case name == "":
		return "import.csv", nil
	case utf8.RuneCountInString(name) > 200:
		return "", vernost.Invalid("file_name", "is longer than 200 characters")
	}
	return name, nil
}

// spool copies r to a temporary file and rewinds it.
func spool(r io.Reader, name string) (*os.File, int64, error) {
	f, err := os.CreateTemp("", "vernost-import-*")
	if err != nil {
		return nil, 0, fmt.Errorf("store %s: %w", name, err)
	}
	n, err := io.Copy(f, r)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		discard(f)
		return nil, 0, fmt.Errorf("receive %s: %w", name, err)
	}
	if n == 0 {
		discard(f)
		return nil, 0, vernost.Invalid("file", "%s is empty", name)
	}
	return f, n, nil
}

// precheck opens the file as the import will, so that a file nothing can
// be taken from is refused at once, then rewinds it.
func precheck(f *os.File, opt Options) error {
	if _, err := openSource(f, opt); err != nil {
		return err
	}
	_, err := f.Seek(0, io.SeekStart)
	return err
}

func discard(f *os.File) {
	f.Close()
	os.Remove(f.Name())
}

// rejectBuffer keeps the reject CSV in memory up to a limit, so that a file
// of nothing but bad rows cannot fill the database.
type rejectBuffer struct {
	buf     bytes.Buffer
	limit   int
	dropped bool
}

func (b *rejectBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.buf.Len(); len(p) > room {
		b.buf.Write(p[:max(room, 0)])
		b.dropped = true
		return len(p), nil
	}
	return b.buf.Write(p)
}

// CSV returns the whole records kept and, if some were left out, a last
// row saying so.
func (b *rejectBuffer) CSV() string {
	data := b.buf.Bytes()
	end, records := completeRecords(data)
	data = data[:end]
	if !b.dropped {
		return string(data)
	}
	var out bytes.Buffer
	out.Write(data)
	w := csv.NewWriter(&out)
	_ = w.Write([]string{"", fmt.Sprintf("only the first %d rejected rows are listed, to keep the list small; the report counts them all", max(records-1, 0))})
	w.Flush()
	return out.String()
}

// completeRecords returns the length of the longest prefix of data that
// ends a CSV record, and how many records it holds, so that a list cut at
// its limit has no half row.
func completeRecords(data []byte) (end, records int) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	for {
		if _, err := r.Read(); err != nil {
			return end, records
		}
		off := int(r.InputOffset())
		if off == 0 || data[off-1] != '\n' {
			return end, records
		}
		end, records = off, records+1
	}
}
