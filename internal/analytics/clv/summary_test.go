package clv

import (
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vernost/vernost"
)

func tx(id, date string, amount float64) Transaction {
	d, _ := time.Parse("2006-01-02", date)
	return Transaction{CustomerID: id, Date: d, Amount: amount}
}

func TestSummarizeConventions(t *testing.T) {
	txs := []Transaction{
		// 10: first on Jan 1, two purchases merged on Jan 8 (repeat spend 30),
		// one on Jan 22 (spend 6), one in the holdout on Feb 5.
		tx("10", "2024-01-01", 100), tx("10", "2024-01-08", 10), tx("10", "2024-01-08", 20),
		tx("10", "2024-01-22", 6), tx("10", "2024-02-05", 1),
		// 9: one purchase only, on the calibration end.
		tx("9", "2024-01-29", 5),
		// 11: first purchase in the holdout: left out.
		tx("11", "2024-02-01", 5),
		// after the observation end: ignored.
		tx("10", "2024-03-01", 1),
	}
	opt := SummaryOptions{Unit: Week, CalibrationEnd: mustDate(t, "2024-01-29"), ObservationEnd: mustDate(t, "2024-02-26")}
	got, err := Summarize(txs, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := []Customer{
		{ID: "9", First: mustDate(t, "2024-01-29"), HoldoutDuration: 4},
		{ID: "10", First: mustDate(t, "2024-01-01"), Frequency: 2, Recency: 3, T: 4, Monetary: 18, HoldoutFrequency: 1, HoldoutDuration: 4},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d customers %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("customer %d: got %+v, want %+v", i, got[i], want[i])
		}
	}

	days, err := Summarize(txs, SummaryOptions{Unit: Day, CalibrationEnd: mustDate(t, "2024-01-29")})
	if err != nil {
		t.Fatal(err)
	}
	if c := days[1]; c.Recency != 21 || c.T != 28 || c.HoldoutDuration != 32 || c.HoldoutFrequency != 2 {
		t.Errorf("in days: got %+v, want recency 21, T 28, holdout 2 purchases in 32 days", c)
	}
}

func TestSummarizeRejects(t *testing.T) {
	txs := []Transaction{tx("a", "2024-01-10", 1)}
	tests := []struct {
		name  string
		txs   []Transaction
		opt   SummaryOptions
		field string
	}{
		{"no transactions", nil, SummaryOptions{}, "transactions"},
		{"calibration after observation", txs, SummaryOptions{CalibrationEnd: mustDate(t, "2024-02-01"), ObservationEnd: mustDate(t, "2024-01-15")}, "calibration_end"},
		{"nobody before calibration end", txs, SummaryOptions{CalibrationEnd: mustDate(t, "2024-01-01")}, "calibration_end"},
		{"negative unit", txs, SummaryOptions{Unit: -1}, "unit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Summarize(tt.txs, tt.opt)
			if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != tt.field {
				t.Errorf("got %v, want an invalid-input error on field %q", err, tt.field)
			}
		})
	}
}

func TestValidateCustomers(t *testing.T) {
	tests := []struct {
		name string
		c    Customer
		want string
	}{
		{"recency beyond age", Customer{ID: "a", Frequency: 1, Recency: 5, T: 4}, "recency 5 must lie in [0, T = 4]"},
		{"negative frequency", Customer{ID: "a", Frequency: -1, T: 4}, "frequency -1 is negative"},
		{"NaN age", Customer{ID: "a", T: math.NaN()}, "age T = NaN"},
		{"recency without repeats", Customer{ID: "a", Recency: 1, T: 4}, "with no repeat purchases"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validateCustomers([]Customer{tt.c})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), `customer "a"`) {
				t.Errorf("got %v, want an error naming customer \"a\" and %q", err, tt.want)
			}
		})
	}
}

// TestSummarizeMatchesLifetimes rebuilds the calibration summary of the
// 2,357-customer CDNOW sample from the raw transactions and compares it with
// the lifetimes library's cdnow_customers_summary_with_transactions.csv
// (x, t_x, T in weeks and zbar, rounded to cents/hundredths there).
func TestSummarizeMatchesLifetimes(t *testing.T) {
	cs := cdnowSample(t)
	data, err := os.ReadFile(sharedData(t, "cdnow/cdnow_customers_summary_with_transactions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(data)), "\n")[1:]
	if len(cs) != len(rows) || len(cs) != 2357 {
		t.Fatalf("got %d customers, file has %d, want 2357", len(cs), len(rows))
	}
	const tol = 0.005 + 1e-9 // the file rounds to two decimals
	for i, row := range rows {
		f := strings.Split(strings.TrimSpace(row), ",")
		num := func(j int) float64 { v, _ := strconv.ParseFloat(f[j], 64); return v }
		c := cs[i]
		if c.ID != f[0] || float64(c.Frequency) != num(1) || math.Abs(c.Recency-num(2)) > tol ||
			math.Abs(c.T-num(3)) > tol || math.Abs(c.Monetary-num(4)) > tol {
			t.Errorf("customer %s: got x=%d t_x=%.4f T=%.4f zbar=%.4f, want %s", c.ID, c.Frequency, c.Recency, c.T, c.Monetary, row)
		}
	}
	// Fader–Hardie: 2,457 repeat purchases in the calibration period; the
	// holdout count is what the week-78 tracking plots accumulate to.
	var calib, holdout int
	for _, c := range cs {
		calib += c.Frequency
		holdout += c.HoldoutFrequency
	}
	if calib != 2457 || holdout != 1882 {
		t.Errorf("repeat purchases: calibration %d, holdout %d; want 2457 and 1882", calib, holdout)
	}
}
