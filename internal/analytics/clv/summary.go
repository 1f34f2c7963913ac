// Package clv models customer lifetime value with the "buy till you die"
// models of Fader and Hardie: BG/NBD and Pareto/NBD for the number of repeat
// purchases, Gamma-Gamma for their value. The math is pure: readers turn a
// transaction log into Transactions, Summarize turns those into per-customer
// recency/frequency/monetary summaries, and the models fit and predict from
// the summaries alone.
package clv

import (
	"fmt"
	"sort"
	"time"

	"github.com/vernost/vernost"
)

// Unit is the length of the models' time unit in days.
type Unit float64

const (
	Day  Unit = 1
	Week Unit = 7
)

// ParseUnit reads "day" or "week".
func ParseUnit(s string) (Unit, error) {
	switch s {
	case "day", "days", "d":
		return Day, nil
	case "week", "weeks", "w":
		return Week, nil
	}
	return 0, vernost.Invalid("unit", "unknown time unit %q: want week or day", s)
}

// Customer is one customer's purchase history in the conventions of Fader and
// Hardie: purchases on the same day count as one; the first purchase starts
// the clock and is not a repeat purchase.
type Customer struct {
	ID        string
	First     time.Time // day of the first purchase
	Frequency int       // repeat purchase days in the calibration period (x)
	Recency   float64   // time from the first to the last purchase (t_x)
	T         float64   // time from the first purchase to the calibration end (age)
	Monetary  float64   // mean value of the repeat purchases; 0 when Frequency is 0

	// Holdout period: (calibration end, observation end].
	HoldoutFrequency int     // purchase days in the holdout period
	HoldoutDuration  float64 // its length in time units
}

// SummaryOptions says how to cut and measure the transaction log.
type SummaryOptions struct {
	Unit Unit // days per time unit; zero means Week
	// CalibrationEnd is the last day (inclusive) of the calibration period;
	// zero means the last day in the log, and no holdout.
	CalibrationEnd time.Time
	// ObservationEnd is the last day of the holdout period; zero means the
	// last day in the log.
	ObservationEnd time.Time
}

// Summarize builds per-customer summaries, ordered by customer id (numerically
// when the ids are numbers). Customers whose first purchase falls after the
// calibration end are left out: the models know nothing of them yet.
func Summarize(txs []Transaction, opt SummaryOptions) ([]Customer, error) {
	if len(txs) == 0 {
		return nil, vernost.Invalid("transactions", "no transactions")
	}
	unit := float64(opt.Unit)
	if unit == 0 {
		unit = float64(Week)
	}
	if unit < 0 {
		return nil, vernost.Invalid("unit", "time unit must be positive, got %g days", unit)
	}
	last := txs[0].Date
	for _, tx := range txs {
		if tx.Date.After(last) {
			last = tx.Date
		}
	}
	calEnd, obsEnd := last, last
	if !opt.ObservationEnd.IsZero() {
		obsEnd = opt.ObservationEnd
	}
	if !opt.CalibrationEnd.IsZero() {
		calEnd = opt.CalibrationEnd
	}
	if calEnd.After(obsEnd) {
		return nil, vernost.Invalid("calibration_end", "%s is after the observation end %s", day(calEnd), day(obsEnd))
	}

	// Each customer's purchase days with their summed amounts, in day order.
	type purchaseDay struct {
		day    int64
		amount float64
	}
	byCustomer := map[string][]purchaseDay{}
	for _, tx := range txs {
		if tx.Date.After(obsEnd) {
			continue
		}
		byCustomer[tx.CustomerID] = append(byCustomer[tx.CustomerID], purchaseDay{dayNumber(tx.Date), tx.Amount})
	}
	calDay, obsDay := dayNumber(calEnd), dayNumber(obsEnd)
	customers := make([]Customer, 0, len(byCustomer))
	for id, days := range byCustomer {
		sort.SliceStable(days, func(i, j int) bool { return days[i].day < days[j].day })
		merged := days[:1]
		for _, d := range days[1:] {
			if top := &merged[len(merged)-1]; top.day == d.day {
				top.amount += d.amount
			} else {
				merged = append(merged, d)
			}
		}
		first := merged[0].day
		if first > calDay {
			continue
		}
		c := Customer{
			ID:              id,
			First:           time.Unix(first*secondsPerDay, 0).UTC(),
			T:               float64(calDay-first) / unit,
			HoldoutDuration: float64(obsDay-calDay) / unit,
		}
		var repeatSpend float64
		for _, d := range merged[1:] {
			if d.day > calDay {
				c.HoldoutFrequency++
				continue
			}
			c.Frequency++
			c.Recency = float64(d.day-first) / unit
			repeatSpend += d.amount
		}
		if c.Frequency > 0 {
			c.Monetary = repeatSpend / float64(c.Frequency)
		}
		customers = append(customers, c)
	}
	if len(customers) == 0 {
		return nil, vernost.Invalid("calibration_end", "no customer made a first purchase on or before %s", day(calEnd))
	}
	sort.Slice(customers, func(i, j int) bool { return idLess(customers[i].ID, customers[j].ID) })
	return customers, nil
}

const secondsPerDay = 24 * 60 * 60

func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay
}

func day(t time.Time) string { return t.Format("2006-01-02") }

// idLess orders numeric ids as numbers and everything else as text.
func idLess(a, b string) bool {
	if isDigits(a) && isDigits(b) {
		a, b = trimZeros(a), trimZeros(b)
		if len(a) != len(b) {
			return len(a) < len(b)
		}
	}
	return a < b
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

// validateCustomers checks the summaries a model is given, naming the first
// bad customer: fitting on impossible histories would silently yield nonsense.
func validateCustomers(cs []Customer) error {
	if len(cs) == 0 {
		return vernost.Invalid("customers", "no customers to fit")
	}
	// The field name is formatted only on failure: this loop runs over every
	// customer on each fit and prediction.
	field := func(i int) string {
		if cs[i].ID == "" {
			return fmt.Sprintf("customers[%d]", i)
		}
		return fmt.Sprintf("customer %q", cs[i].ID)
	}
	for i := range cs {
		c := &cs[i]
		switch {
		case c.Frequency < 0:
			return vernost.Invalid(field(i), "frequency %d is negative", c.Frequency)
		case !(c.T >= 0) || c.T > 1e12:
			return vernost.Invalid(field(i), "age T = %g must be non-negative and finite", c.T)
		case !(c.Recency >= 0) || c.Recency > c.T:
			return vernost.Invalid(field(i), "recency %g must lie in [0, T = %g]", c.Recency, c.T)
		case c.Frequency == 0 && c.Recency != 0:
			return vernost.Invalid(field(i), "recency %g with no repeat purchases: want 0", c.Recency)
		}
	}
	return nil
}
