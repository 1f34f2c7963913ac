package clv

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vernost/vernost"
)

func TestReadTransactionsCSV(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	tests := []struct {
		name, in string
		want     []Transaction
	}{
		{"canonical header, both date forms", "customer_id,date,amount\nc1,2024-01-05,10.5\nc2,20240106,3\n",
			[]Transaction{{"c1", day("2024-01-05"), 10.5, 2}, {"c2", day("2024-01-06"), 3, 3}}},
		{"variant names, other order, BOM, CRLF", "\ufeffRevenue,Order Date,Customer ID\r\n7,2024-02-01,42\r\n",
			[]Transaction{{"42", day("2024-02-01"), 7, 2}}},
		{"timestamps keep the day", "customer,timestamp,value\na,2024-03-01T23:59:59Z,1\na,2024-03-02 00:00:01,2\n",
			[]Transaction{{"a", day("2024-03-01"), 1, 2}, {"a", day("2024-03-02"), 2, 3}}},
		{"blank lines and extra columns", "id,date,amount,channel\n\nb,2024-01-01,0,web\n",
			[]Transaction{{"b", day("2024-01-01"), 0, 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadTransactions(strings.NewReader(tt.in), FormatCSV)
			if err != nil {
				t.Fatalf("ReadTransactions: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d transactions %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("row %d: got %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestReadTransactionsReportsBadRows(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		in     string
		want   []string // substrings of the error
	}{
		{"bad date", FormatCSV, "customer_id,date,amount\na,2024-01-01,1\nb,2024-13-01,1\n", []string{"line 3", "date", "not a calendar date"}},
		{"date layout", FormatCSV, "customer_id,date,amount\na,01/02/2024,1\n", []string{"line 2", "YYYY-MM-DD or YYYYMMDD"}},
		{"amount", FormatCSV, "customer_id,date,amount\na,2024-01-01,ten\n", []string{"line 2", "amount", "not a number"}},
		{"negative amount", FormatCSV, "customer_id,date,amount\na,2024-01-01,-5\n", []string{"line 2", "negative"}},
		{"NaN amount", FormatCSV, "customer_id,date,amount\na,2024-01-01,NaN\n", []string{"line 2", "not a finite number"}},
		{"empty id", FormatCSV, "customer_id,date,amount\n ,2024-01-01,1\n", []string{"line 2", "customer id is empty"}},
		{"short row", FormatCSV, "customer_id,date,amount\na,2024-01-01\n", []string{"line 2", "want at least 3 fields"}},
		{"missing column", FormatCSV, "customer_id,when,amount\n", []string{"line 1", "lacks a column for date"}},
		{"empty file", FormatCSV, "", []string{"line 1", "empty file"}},
		{"several bad rows", FormatCSV, "customer_id,date,amount\na,x,1\nb,y,1\nc,2024-01-01,1\nd,z,1\n", []string{"line 2", "line 3", "line 5"}},
		{"cdnow field count", FormatCDNOWMaster, "00001 19970101 1 11.77\n00002 19970112 1\n", []string{"line 2", "want 4 whitespace-separated fields, got 3"}},
		{"cdnow date", FormatCDNOWSample, "00004 0001 19971301 2 29.33\n", []string{"line 1", "date"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadTransactions(strings.NewReader(tt.in), tt.format)
			if err == nil {
				t.Fatal("got no error")
			}
			if code := vernost.ErrorCode(err); code != vernost.EInvalid {
				t.Errorf("code %q, want %q", code, vernost.EInvalid)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestReadTransactionsLimitsListedErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("customer_id,date,amount\n")
	for range 25 {
		b.WriteString("a,bad,1\n")
	}
	_, err := ReadTransactions(strings.NewReader(b.String()), FormatCSV)
	if err == nil || !strings.Contains(err.Error(), "and 15 more bad rows") {
		t.Fatalf("got %v, want the first %d rows listed and 15 more counted", err, maxLineErrors)
	}
}

func TestReadCDNOWFiles(t *testing.T) {
	tests := []struct {
		file   string
		format Format
		rows   int // data lines in the file
		first  Transaction
	}{
		// The master file has a header line and 69,659 rows; the sample 6,919.
		{"cdnow/CDNOW_master.txt", FormatCDNOWMaster, 69659, Transaction{CustomerID: "1", Amount: 11.77, Line: 2}},
		{"cdnow/CDNOW_sample.txt", FormatCDNOWSample, 6919, Transaction{CustomerID: "1", Amount: 29.33, Line: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(sharedData(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			txs, err := ReadTransactions(bytes.NewReader(data), tt.format)
			if err != nil {
				t.Fatal(err)
			}
			if len(txs) != tt.rows {
				t.Errorf("got %d rows, want %d", len(txs), tt.rows)
			}
			got := txs[0]
			if got.CustomerID != tt.first.CustomerID || got.Amount != tt.first.Amount || got.Line != tt.first.Line ||
				got.Date.Format("2006-01-02") != "1997-01-01" {
				t.Errorf("first row %+v, want %+v on 1997-01-01", got, tt.first)
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"csv": FormatCSV, " CDNOW-Master ": FormatCDNOWMaster, "cdnow-sample": FormatCDNOWSample} {
		if got, err := ParseFormat(in); got != want || err != nil {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseFormat("xlsx"); vernost.ErrorField(err) != "format" {
		t.Errorf("ParseFormat(xlsx) error %v, want one naming the format field", err)
	}
}

// FuzzReadTransactions checks that no input panics the CSV reader and that
// everything it accepts is usable by Summarize.
func FuzzReadTransactions(f *testing.F) {
	f.Add("customer_id,date,amount\na,2024-01-01,1.5\n")
	f.Add("id,date,value\n\"a,b\",20240101,0\n")
	f.Add("customer_id,date,amount\na,2024-02-30,1\n")
	f.Add("x\n\"unterminated\n")
	f.Fuzz(func(t *testing.T, in string) {
		for _, format := range []Format{FormatCSV, FormatCDNOWMaster} {
			txs, err := ReadTransactions(strings.NewReader(in), format)
			if err != nil {
				if vernost.ErrorCode(err) != vernost.EInvalid {
					t.Fatalf("error %v has code %q, want invalid", err, vernost.ErrorCode(err))
				}
				continue
			}
			for _, tx := range txs {
				if tx.CustomerID == "" || !(tx.Amount >= 0) || tx.Line < 1 {
					t.Fatalf("accepted an unusable row %+v", tx)
				}
			}
			if len(txs) > 0 {
				if _, err := Summarize(txs, SummaryOptions{}); err != nil {
					t.Fatalf("Summarize rejected accepted rows: %v", err)
				}
			}
		}
	})
}
