package tabular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/vernost/vernost"
)

// result is everything a reader returned, in order, as text: "2:[a b]" for
// a record at line 2, "3!reason" for a line error at line 3.
func readAll(t *testing.T, input []byte, opt Options) (*Reader, []string) {
	t.Helper()
	r, err := Open(bytes.NewReader(input), opt)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	var got []string
	for i := 0; ; i++ {
		if i > 10000 {
			t.Fatal("Next does not end")
		}
		rec, err := r.Next()
		var lerr *LineError
		switch {
		case errors.Is(err, io.EOF):
			return r, got
		case errors.As(err, &lerr):
			got = append(got, fmt.Sprintf("%d!%s", lerr.Line, lerr.Reason))
		case err != nil:
			t.Fatalf("Next: %v", err)
		default:
			got = append(got, fmt.Sprintf("%d:%q", rec.Line, rec.Fields))
		}
	}
}

func encode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

const russianCSV = "Фамилия;Имя;Отчество;Телефон\r\n" +
	"Иванова;Анна;Сергеевна;8 916 123-45-67\r\n" +
	"Королёв;Пётр;Ильич;+7 903 000-11-22\r\n"

var russianRecords = []string{
	`2:["Иванова" "Анна" "Сергеевна" "8 916 123-45-67"]`,
	`3:["Королёв" "Пётр" "Ильич" "+7 903 000-11-22"]`,
}

func TestOpenDetectsEncoding(t *testing.T) {
	tests := []struct {
		name  string
		input []byte
		want  string
	}{
		{"utf-8", []byte(russianCSV), UTF8},
		{"utf-8 with BOM", append([]byte{0xef, 0xbb, 0xbf}, russianCSV...), UTF8},
		{"windows-1251", encode(t, charmap.Windows1251, russianCSV), Windows1251},
		{"koi8-r", encode(t, charmap.KOI8R, russianCSV), KOI8R},
		{"ibm866", encode(t, charmap.CodePage866, russianCSV), IBM866},
		{"utf-16le", encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), russianCSV), UTF16LE},
		{"utf-16be", encode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), russianCSV), UTF16BE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, got := readAll(t, tt.input, Options{})
			if r.Encoding() != tt.want {
				t.Errorf("Encoding() = %q; want %q", r.Encoding(), tt.want)
			}
			if h := r.Header(); !slices.Equal(h, []string{"Фамилия", "Имя", "Отчество", "Телефон"}) {
				t.Errorf("Header() = %q; want the four Russian titles", h)
			}
			if !slices.Equal(got, russianRecords) {
				t.Errorf("records = %q; want %q", got, russianRecords)
			}
		})
	}
}

// A Windows-1251 file whose first 64 KiB are plain ASCII is seen as UTF-8;
// its Cyrillic lines later are then reported rather than read as garbage.
func TestLateNonUTF8IsReported(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("name,phone\n")
	for b.Len() < sniffSize+100 {
		b.WriteString("Smith John,+44 20 7946 0958\n")
	}
	lines := strings.Count(b.String(), "\n")
	b.Write(encode(t, charmap.Windows1251, "Иванова Анна,8 916 123-45-67\n"))
	b.WriteString("Brown Ann,+44 20 7946 0959\n")
	_, got := readAll(t, b.Bytes(), Options{})
	wantErr := fmt.Sprintf("%d!the text is not valid UTF-8 (the file was detected as UTF-8 from its start)", lines+1)
	if got[len(got)-2] != wantErr || !strings.HasPrefix(got[len(got)-1], fmt.Sprintf("%d:", lines+2)) {
		t.Errorf("last results = %q; want %q then the record of line %d", got[len(got)-2:], wantErr, lines+2)
	}
}

func TestOpenDetectsDelimiter(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  rune
	}{
		{"comma", "a,b,c\n1,2,3\n", ','},
		{"semicolon", "a;b;c\n1;2;3\n", ';'},
		{"tab", "a\tb\tc\n1\t2\t3\n", '\t'},
		{"pipe", "a|b|c\n1|2|3\n", '|'},
		// Commas inside names would fool a count of commas; quotes and
		// consistency decide.
		{"semicolon with commas in text", "ФИО;Телефон\nИванова, Анна;1\nПетров Пётр;2\nСидоров, Иван, мл.;3\n", ';'},
		{"comma with quoted semicolons", "name,note\n\"Smith\",\"a;b;c\"\n\"Brown\",\"d\"\n", ','},
		{"one column", "name\nSmith\nBrown\n", ','},
		{"header only", "Фамилия;Имя\n", ';'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(strings.NewReader(tt.input), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Delimiter() != tt.want {
				t.Errorf("Delimiter() = %q; want %q", r.Delimiter(), tt.want)
			}
		})
	}
}

func TestNextRecoversFromMalformedLines(t *testing.T) {
	tests := []struct {
		name  string
		input string
		opt   Options
		want  []string
	}{
		{
			name:  "wrong field count",
			input: "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n",
			want:  []string{`2:["1" "2" "3"]`, "3!has 2 fields, the header has 3", "4!has 4 fields, the header has 3", `5:["10" "11" "12"]`},
		},
		{
			name:  "text after a closing quote",
			input: "a,b\n\"x\"y,1\n\"ok\",2\n",
			want:  []string{"2!field 1: text after the closing quote", `3:["ok" "2"]`},
		},
		{
			// The quote opened on line 2 never closes properly; lines 3
			// and 4 must still be read.
			name:  "unclosed quote is not allowed to swallow the file",
			input: "a,b\n\"x,1\n\"y\",2\nz,3\n",
			want:  []string{"2!field 1: text after the closing quote", `3:["y" "2"]`, `4:["z" "3"]`},
		},
		{
			name:  "unclosed quote at the end of the file",
			input: "a,b\nx,1\n\"y,2\nz,3\n",
			want:  []string{`2:["x" "1"]`, "3!field 1: a quoted field is not closed before the end of the file", `4:["z" "3"]`},
		},
		{
			name:  "unclosed quote within the line limit",
			input: "a,b\n\"x,1\nq,2\nr,3\ns,4\n",
			opt:   Options{MaxRecordLines: 2},
			want:  []string{"2!field 1: a quoted field is not closed within 2 lines", `3:["q" "2"]`, `4:["r" "3"]`, `5:["s" "4"]`},
		},
		{
			name:  "a closed multi-line field with the wrong count backs off",
			input: "a,b\n\"x,1\ny\",2,3\nz,4\n",
			want: []string{
				"2!has 3 fields, the header has 2 (a quoted field here runs over 2 lines: a quote may be missing)",
				"3!has 3 fields, the header has 2", `4:["z" "4"]`,
			},
		},
		{
			name:  "a too long line",
			input: "a,b\n" + strings.Repeat("x", 40) + ",1\ny,2\n",
			opt:   Options{MaxRecordBytes: 30},
			want:  []string{"2!the line is longer than 30 bytes", `3:["y" "2"]`},
		},
		{
			name:  "line length limit excludes the line end",
			input: "a,b\r\n" + strings.Repeat("x", 28) + ",1\r\n" + strings.Repeat("y", 29) + ",2\r\nz,3",
			opt:   Options{MaxRecordBytes: 30},
			want:  []string{`2:["` + strings.Repeat("x", 28) + `" "1"]`, "3!the line is longer than 30 bytes", `4:["z" "3"]`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := readAll(t, []byte(tt.input), tt.opt)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestNextQuotingAndLayout(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{"quoted delimiter and quotes", "a,b\n\"Smith, John\",\"say \"\"hi\"\"\"\n", []string{`2:["Smith, John" "say \"hi\""]`}},
		{"multi-line field keeps its line", "a,b\n\"line one\r\nline two\",1\nc,2\n", []string{`2:["line one\nline two" "1"]`, `4:["c" "2"]`}},
		{"bare quote in unquoted field", "a;b\nООО \"Ромашка\";1\n", []string{`2:["ООО \"Ромашка\"" "1"]`}},
		{"spaces after closing quote", "a,b\n\"x\"  ,1\n", []string{`2:["x" "1"]`}},
		{"empty fields", "a,b,c\n,,x\n\"\",y,\n", []string{`2:["" "" "x"]`, `3:["" "y" ""]`}},
		{"blank and empty lines skipped", "a;b\n\n1;2\n;\n  ;  \n\r\n3;4", []string{`3:["1" "2"]`, `7:["3" "4"]`}},
		{"trailing empty fields dropped", "a;b\n1;2;\n3;4;;\n5;6;x\n", []string{`2:["1" "2"]`, `3:["3" "4"]`, "4!has 3 fields, the header has 2"}},
		{"CR line ends", "a,b\r1,2\r3,4\r", []string{`2:["1" "2"]`, `3:["3" "4"]`}},
		{"no newline at the end", "a,b\n1,2", []string{`2:["1" "2"]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := readAll(t, []byte(tt.input), Options{})
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestOptions(t *testing.T) {
	t.Run("no header", func(t *testing.T) {
		r, got := readAll(t, []byte("1;2\n3;4\n5\n"), Options{NoHeader: true})
		want := []string{`1:["1" "2"]`, `2:["3" "4"]`, "3!has 1 fields, the first record has 2"}
		if r.Header() != nil || !slices.Equal(got, want) {
			t.Errorf("Header() = %q, records %q; want nil, %q", r.Header(), got, want)
		}
	})
	t.Run("forced delimiter and encoding", func(t *testing.T) {
		input := encode(t, charmap.Windows1251, "Имя,Город\nАнна,Москва, центр\n")
		r, got := readAll(t, input, Options{Delimiter: ';', Encoding: "cp1251"})
		want := []string{`2:["Анна,Москва, центр"]`}
		if r.Delimiter() != ';' || r.Encoding() != Windows1251 || !slices.Equal(got, want) {
			t.Errorf("Delimiter %q, Encoding %q, records %q; want ';', windows-1251, %q", r.Delimiter(), r.Encoding(), got, want)
		}
	})
	bad := []struct {
		opt       Options
		wantField string
	}{
		{Options{Encoding: "latin-9"}, "encoding"},
		{Options{Delimiter: '"'}, "delimiter"},
		{Options{Delimiter: '№'}, "delimiter"},
	}
	for _, tt := range bad {
		_, err := Open(strings.NewReader("a,b\n"), tt.opt)
		if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != tt.wantField {
			t.Errorf("Open(%+v) error = %v; want invalid on field %q", tt.opt, err, tt.wantField)
		}
	}
}

func TestOpenRejectsUnreadableFiles(t *testing.T) {
	tests := []struct {
		input, wantField, wantMsg string
	}{
		{"", "file", "is empty"},
		{"\n\n\n", "file", "is empty"},
		{"\"a,b\n", "header", "line 1: field 1: a quoted field is not closed"},
	}
	for _, tt := range tests {
		_, err := Open(strings.NewReader(tt.input), Options{})
		if vernost.ErrorField(err) != tt.wantField || err == nil || !strings.Contains(err.Error(), tt.wantMsg) {
			t.Errorf("Open(%q) error = %v; want field %q and %q", tt.input, err, tt.wantField, tt.wantMsg)
		}
	}
}

type failingReader struct{ data io.Reader }

func (f failingReader) Read(p []byte) (int, error) {
	n, err := f.data.Read(p)
	if errors.Is(err, io.EOF) {
		return n, errors.New("disk on fire")
	}
	return n, err
}

func TestReadErrorIsReturned(t *testing.T) {
	_, err := Open(failingReader{strings.NewReader("a,b\n1,2\n")}, Options{})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("Open error = %v; want the read error", err)
	}

	// A failure after the sniffed start comes from Next, and stays.
	input := "a,b\n" + strings.Repeat("1,2\n", sniffSize)
	r, err := Open(failingReader{strings.NewReader(input)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; err == nil; i++ {
		if i > sniffSize+1 {
			t.Fatal("Next does not end")
		}
		_, err = r.Next()
	}
	if !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("Next error = %v; want the read error", err)
	}
	if _, again := r.Next(); again == nil || again.Error() != err.Error() {
		t.Errorf("Next after a read error = %v; want the same error", again)
	}
}

// A line error carries the line's text, decoded, for the reject file.
func TestLineErrorText(t *testing.T) {
	tests := []struct {
		name  string
		input []byte
		opt   Options
		want  string
	}{
		{"windows-1251", encode(t, charmap.Windows1251, "Фамилия;Имя\nИванова;Анна;лишнее\n"), Options{}, "Иванова;Анна;лишнее"},
		{"utf-8 with a bad byte", []byte("Фамилия;Имя\nИванова;Ан\xffна\n"), Options{Encoding: "utf-8"}, "Иванова;Ан\uFFFDна"},
		{"CRLF and a stray quote", []byte("a,b\r\n\"x\"y,1\r\n"), Options{}, "\"x\"y,1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(bytes.NewReader(tt.input), tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Next()
			var lerr *LineError
			if !errors.As(err, &lerr) || lerr.Line != 2 || lerr.Text != tt.want {
				t.Errorf("Next error = %#v; want a LineError at line 2 with text %q", err, tt.want)
			}
		})
	}
}
