package staffing

import (
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

// A day plan turns a forecast of call volumes per interval (15, 30 or 60
// minutes, or any other fixed length) into the agents each interval needs.
//
// The forecast is CSV with a header naming its columns, in any order:
//
//	start,volume,aht_seconds
//	08:00,42,
//	08:30,95,210
//
// start is a time of day (HH:MM) or an RFC 3339 timestamp, the same form on
// every row and strictly increasing; volume is the calls expected in the
// interval; aht_seconds, optional, overrides the plan's handle time for that
// row. Lines starting with # are comments. Gaps between rows (closed hours)
// are allowed if they are whole intervals.

// maxForecastRows bounds a forecast: a year of 15-minute intervals is 35,040.
const maxForecastRows = 100_000

// ForecastRow is one interval of a forecast.
type ForecastRow struct {
	Line   int    // line in the file, for messages
	Label  string // start as written
	Start  time.Time
	Volume float64
	AHT    time.Duration // zero: the plan's default
}

// Forecast is a parsed forecast file.
type Forecast struct {
	Rows []ForecastRow
	// Interval is the smallest gap between consecutive starts; zero when
	// there is a single row.
	Interval time.Duration
}

// ParseForecast reads a forecast CSV. Errors name the line and column.
func ParseForecast(r io.Reader) (Forecast, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return Forecast{}, vernost.Invalid("forecast", "empty file: want a header line start,volume[,aht_seconds]")
	}
	if err != nil {
		return Forecast{}, csvError(err)
	}
	cols, err := forecastColumns(header)
	if err != nil {
		return Forecast{}, err
	}
	var f Forecast
	rfc3339 := false
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Forecast{}, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(f.Rows) == maxForecastRows {
			return Forecast{}, vernost.Invalid(fmt.Sprintf("line %d", line), "more than %d intervals", maxForecastRows)
		}
		row, isRFC, err := parseForecastRow(rec, cols, line)
		if err != nil {
			return Forecast{}, err
		}
		if len(f.Rows) > 0 {
			prev := f.Rows[len(f.Rows)-1]
			if isRFC != rfc3339 {
				return Forecast{}, vernost.Invalid(fmt.Sprintf("line %d: start", line), "%q mixes HH:MM and RFC 3339 times; use one form", row.Label)
			}
			if !row.Start.After(prev.Start) {
				return Forecast{}, vernost.Invalid(fmt.Sprintf("line %d: start", line), "%s is not after %s on line %d; rows must be in time order (use RFC 3339 times past midnight)", row.Label, prev.Label, prev.Line)
			}
			if gap := row.Start.Sub(prev.Start); f.Interval == 0 || gap < f.Interval {
				f.Interval = gap
			}
		}
		rfc3339 = isRFC
		f.Rows = append(f.Rows, row)
	}
	if len(f.Rows) == 0 {
		return Forecast{}, vernost.Invalid("forecast", "no intervals after the header")
	}
	return f, nil
}

type forecastCols struct{ start, volume, aht int }

func forecastColumns(header []string) (forecastCols, error) {
	cols := forecastCols{-1, -1, -1}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		var slot *int
		switch name {
		case "start":
			slot = &cols.start
		case "volume":
			slot = &cols.volume
		case "aht_seconds":
			slot = &cols.aht
		default:
			return cols, vernost.Invalid("header", "column %q is not one of start, volume, aht_seconds", h)
		}
		if *slot >= 0 {
			return cols, vernost.Invalid("header", "column %q appears twice", name)
		}
		*slot = i
	}
	if cols.start < 0 || cols.volume < 0 {
		return cols, vernost.Invalid("header", "need columns start and volume, got %q", strings.Join(header, ","))
	}
	return cols, nil
}

func parseForecastRow(rec []string, cols forecastCols, line int) (ForecastRow, bool, error) {
	field := func(col string) string { return fmt.Sprintf("line %d: %s", line, col) }
	row := ForecastRow{Line: line, Label: strings.TrimSpace(rec[cols.start])}
	isRFC := strings.ContainsAny(row.Label, "Tt")
	var err error
	if isRFC {
		row.Start, err = time.Parse(time.RFC3339, row.Label)
	} else {
		row.Start, err = time.Parse("15:04", row.Label)
	}
	if err != nil {
		return row, false, vernost.Invalid(field("start"), "%q is neither HH:MM nor an RFC 3339 time", row.Label)
	}
	v := strings.TrimSpace(rec[cols.volume])
	row.Volume, err = strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(row.Volume) || math.IsInf(row.Volume, 0) || row.Volume < 0 {
		return row, false, vernost.Invalid(field("volume"), "%q is not a non-negative number", v)
	}
	if cols.aht >= 0 {
		if s := strings.TrimSpace(rec[cols.aht]); s != "" {
			secs, err := strconv.ParseFloat(s, 64)
			if err != nil || !(secs > 0 && secs <= 86400) {
				return row, false, vernost.Invalid(field("aht_seconds"), "%q is not a handle time between 0 and 86400 seconds", s)
			}
			row.AHT = seconds(secs)
		}
	}
	return row, isRFC, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return vernost.Invalid(fmt.Sprintf("line %d", pe.Line), "%v", pe.Err)
	}
	return vernost.Invalid("forecast", "%v", err)
}

// PlanOptions says how to staff each interval.
type PlanOptions struct {
	Target      Target
	AHT         time.Duration // for rows without aht_seconds
	Patience    time.Duration // zero: Erlang C; otherwise Erlang A
	Concurrency int           // sessions per agent (chat); 0 or 1 for calls
	Shrinkage   float64       // share of paid time off the phones
	Interval    time.Duration // overrides the interval inferred from the rows
}

// PlanRow is one interval of a plan.
type PlanRow struct {
	Start  string
	Volume float64
	AHT    time.Duration
	Result
	Scheduled int
}

// Plan is the staffing of every interval and the day's totals.
type Plan struct {
	Interval       time.Duration
	Rows           []PlanRow
	Volume         float64
	AgentHours     float64 // agents on the phones × interval, summed
	ScheduledHours float64 // rostered staff × interval, summed
	PeakAgents     int
	PeakScheduled  int
}

// MakePlan staffs every interval of the forecast. An interval with no
// calls needs no agents.
func MakePlan(f Forecast, o PlanOptions) (Plan, error) {
	if len(f.Rows) == 0 {
		return Plan{}, vernost.Invalid("forecast", "no intervals")
	}
	if err := o.Target.validate(); err != nil {
		return Plan{}, err
	}
	if _, err := Scheduled(0, o.Shrinkage); err != nil {
		return Plan{}, err
	}
	interval := o.Interval
	if interval == 0 {
		interval = f.Interval
	}
	switch {
	case interval == 0:
		return Plan{}, vernost.Invalid("interval", "a single row does not show the interval length; give it")
	case interval < 0 || interval > 24*time.Hour:
		return Plan{}, vernost.Invalid("interval", "%v is not between 0 and 24h", interval)
	}
	p := Plan{Interval: interval}
	for i, row := range f.Rows {
		if i > 0 {
			if gap := row.Start.Sub(f.Rows[i-1].Start); gap%interval != 0 {
				return Plan{}, vernost.Invalid(fmt.Sprintf("line %d: start", row.Line), "%s is %v after the previous row, not a whole number of %v intervals", row.Label, gap, interval)
			}
		}
		aht := row.AHT
		if aht == 0 {
			aht = o.AHT
		}
		if aht <= 0 {
			return Plan{}, vernost.Invalid(fmt.Sprintf("line %d: aht_seconds", row.Line), "no handle time in the row and no default AHT")
		}
		a, err := Load(row.Volume, interval, aht)
		if err != nil {
			return Plan{}, fmt.Errorf("line %d: %w", row.Line, err)
		}
		q := Queue{Load: a, AHT: aht, Patience: o.Patience, Concurrency: o.Concurrency}
		res, err := q.Staff(o.Target)
		if err != nil {
			return Plan{}, fmt.Errorf("line %d: %w", row.Line, err)
		}
		res.Load = a
		sched, _ := Scheduled(res.Agents, o.Shrinkage) // shrinkage checked above
		p.Rows = append(p.Rows, PlanRow{Start: row.Label, Volume: row.Volume, AHT: aht, Result: res, Scheduled: sched})
		hours := interval.Hours()
		p.Volume += row.Volume
		p.AgentHours += float64(res.Agents) * hours
		p.ScheduledHours += float64(sched) * hours
		p.PeakAgents = max(p.PeakAgents, res.Agents)
		p.PeakScheduled = max(p.PeakScheduled, sched)
	}
	return p, nil
}
