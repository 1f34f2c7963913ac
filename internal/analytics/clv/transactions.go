package clv

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vernost/vernost"
)

// Transaction is one purchase: who, on which day, for how much.
type Transaction struct {
	CustomerID string
	Date       time.Time // midnight UTC; the models work in whole days
	Amount     float64
	Line       int // line in the source file, for messages about this row
}

// Format names a transaction-log layout.
type Format string

const (
	FormatCSV         Format = "csv"          // header row naming customer id, date and amount columns
	FormatCDNOWMaster Format = "cdnow-master" // whitespace: id, yyyymmdd, number of CDs, dollars
	FormatCDNOWSample Format = "cdnow-sample" // whitespace: master id, sample id, yyyymmdd, CDs, dollars
)

// ParseFormat checks a format name given by a person.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatCSV, FormatCDNOWMaster, FormatCDNOWSample:
		return f, nil
	}
	return "", vernost.Invalid("format", "unknown transaction format %q: want csv, cdnow-master or cdnow-sample", s)
}

// maxLineErrors bounds how many bad rows one error lists, so a file in the
// wrong format yields a readable message rather than thousands of lines.
const maxLineErrors = 10

// ReadTransactions parses a transaction log. Every malformed row is reported
// with its line number (up to maxLineErrors of them) and nothing is returned
// unless the whole file is valid.
func ReadTransactions(r io.Reader, f Format) ([]Transaction, error) {
	switch f {
	case FormatCSV:
		return readCSV(r)
	case FormatCDNOWMaster:
		return readCDNOW(r, 4, 0, 1, 3)
	case FormatCDNOWSample:
		// The sample's own id (column 2) is 1..2357; the lifetimes summary
		// files are keyed by it, so we key customers by it too.
		return readCDNOW(r, 5, 1, 2, 4)
	}
	return nil, vernost.Invalid("format", "unknown transaction format %q", f)
}

// lineErrors collects row errors and renders them as one invalid-input error.
type lineErrors struct {
	msgs  []string
	total int
}

func (le *lineErrors) add(line int, format string, args ...any) {
	le.total++
	if len(le.msgs) < maxLineErrors {
		le.msgs = append(le.msgs, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
	}
}

func (le *lineErrors) err() error {
	if le.total == 0 {
		return nil
	}
	msg := strings.Join(le.msgs, "; ")
	if more := le.total - len(le.msgs); more > 0 {
		msg += fmt.Sprintf("; and %d more bad rows", more)
	}
	return vernost.Invalid("transactions", "%s", msg)
}

// readCDNOW reads the whitespace-separated CDNOW files. An optional header
// line (the lifetimes copy of the master file has one) is skipped.
func readCDNOW(r io.Reader, nfields, idCol, dateCol, amountCol int) ([]Transaction, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var txs []Transaction
	var bad lineErrors
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if line == 1 && !isDigits(fields[0]) {
			continue // header
		}
		if len(fields) != nfields {
			bad.add(line, "want %d whitespace-separated fields, got %d", nfields, len(fields))
			continue
		}
		// CDNOW ids are zero-padded numbers; "00004" and the summaries' "4" are one customer.
		tx, err := parseRow(line, trimZeros(fields[idCol]), fields[dateCol], fields[amountCol])
		if err != "" {
			bad.add(line, "%s", err)
			continue
		}
		txs = append(txs, tx)
	}
	if err := sc.Err(); err != nil {
		return nil, vernost.Invalid("transactions", "line %d: %v", line+1, err)
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	return txs, nil
}

// Column names accepted in a CSV header, compared after lower-casing and
// dropping spaces, underscores and dashes.
var (
	idColumns     = []string{"customerid", "customer", "id", "custid", "clientid", "client", "userid", "user", "accountid"}
	dateColumns   = []string{"date", "orderdate", "transactiondate", "purchasedate", "invoicedate", "day", "timestamp", "datetime", "createdat"}
	amountColumns = []string{"amount", "value", "monetaryvalue", "revenue", "sales", "spend", "total", "price", "dollarvalue", "sum"}
)

func normalizeHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	return strings.NewReplacer("_", "", " ", "", "-", "").Replace(s)
}

func findColumn(header []string, names []string) int {
	for _, n := range names {
		for i, h := range header {
			if normalizeHeader(h) == n {
				return i
			}
		}
	}
	return -1
}

func readCSV(r io.Reader) ([]Transaction, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked per row, to report the line
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, vernost.Invalid("transactions", "line 1: empty file: want a header such as customer_id,date,amount")
	}
	if err != nil {
		return nil, csvError(err)
	}
	header = append([]string(nil), header...)
	idCol, dateCol, amountCol := findColumn(header, idColumns), findColumn(header, dateColumns), findColumn(header, amountColumns)
	var missing []string
	if idCol < 0 {
		missing = append(missing, "customer id (customer_id)")
	}
	if dateCol < 0 {
		missing = append(missing, "date")
	}
	if amountCol < 0 {
		missing = append(missing, "amount")
	}
	if len(missing) > 0 {
		return nil, vernost.Invalid("transactions", "line 1: header %q lacks a column for %s", strings.Join(header, ","), strings.Join(missing, ", "))
	}
	need := max(idCol, dateCol, amountCol) + 1
	var txs []Transaction
	var bad lineErrors
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad.add(pe.Line, "%v", pe.Err)
				continue
			}
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) < need {
			bad.add(line, "want at least %d fields, got %d", need, len(rec))
			continue
		}
		tx, msg := parseRow(line, rec[idCol], rec[dateCol], rec[amountCol])
		if msg != "" {
			bad.add(line, "%s", msg)
			continue
		}
		txs = append(txs, tx)
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	return txs, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return vernost.Invalid("transactions", "line %d: %v", pe.Line, pe.Err)
	}
	return vernost.Internal(fmt.Errorf("read transactions: %w", err))
}

// parseRow validates one row; it returns a message naming the bad column.
func parseRow(line int, id, date, amount string) (Transaction, string) {
	id = strings.TrimSpace(id)
	if id == "" {
		return Transaction{}, "customer id is empty"
	}
	d, err := parseDate(date)
	if err != nil {
		return Transaction{}, fmt.Sprintf("date %q: %v", date, err)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(amount), 64)
	switch {
	case err != nil:
		return Transaction{}, fmt.Sprintf("amount %q: not a number", amount)
	case math.IsNaN(v) || math.IsInf(v, 0):
		return Transaction{}, fmt.Sprintf("amount %q: not a finite number", amount)
	case v < 0:
		return Transaction{}, fmt.Sprintf("amount %q: negative (net refunds into their purchase first)", amount)
	}
	return Transaction{CustomerID: id, Date: d, Amount: v, Line: line}, ""
}

// parseDate accepts YYYY-MM-DD and YYYYMMDD, and a timestamp whose first ten
// characters are YYYY-MM-DD (its time of day is dropped: the models count days).
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		s = s[:10]
	}
	var layout string
	switch {
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		layout = "2006-01-02"
	case len(s) == 8 && isDigits(s):
		layout = "20060102"
	default:
		return time.Time{}, errors.New("want YYYY-MM-DD or YYYYMMDD")
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, errors.New("not a calendar date")
	}
	return t, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
