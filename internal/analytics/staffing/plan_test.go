package staffing

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vernost/vernost"
)

func TestParseForecast(t *testing.T) {
	in := "\ufeffStart, Volume ,aht_seconds\n" +
		"# morning\n" +
		"08:00,42,\n" +
		"08:30, 100, 180\n" +
		"9:00,0,\n" +
		"10:00,55.5,240.5\n"
	f, err := ParseForecast(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []ForecastRow{
		{Line: 3, Label: "08:00", Volume: 42},
		{Line: 4, Label: "08:30", Volume: 100, AHT: 180 * time.Second},
		{Line: 5, Label: "9:00", Volume: 0},
		{Line: 6, Label: "10:00", Volume: 55.5, AHT: 240500 * time.Millisecond},
	}
	if len(f.Rows) != len(want) {
		t.Fatalf("got %d rows, want %d: %+v", len(f.Rows), len(want), f.Rows)
	}
	for i, w := range want {
		g := f.Rows[i]
		if g.Line != w.Line || g.Label != w.Label || g.Volume != w.Volume || g.AHT != w.AHT {
			t.Errorf("row %d = {line %d %q %v %v}, want {line %d %q %v %v}", i, g.Line, g.Label, g.Volume, g.AHT, w.Line, w.Label, w.Volume, w.AHT)
		}
	}
	if f.Interval != 30*time.Minute {
		t.Errorf("inferred interval %v, want 30m (the smallest gap; 09:00→10:00 is a closed half hour)", f.Interval)
	}
}

func TestParseForecastRFC3339(t *testing.T) {
	in := "volume,start\n12,2026-11-23T23:45:00+03:00\n20,2026-11-24T00:00:00+03:00\n"
	f, err := ParseForecast(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rows) != 2 || f.Interval != 15*time.Minute || f.Rows[1].Volume != 20 {
		t.Errorf("got %+v, want two rows 15 minutes apart across midnight", f)
	}
}

func TestParseForecastErrors(t *testing.T) {
	tests := []struct {
		name, in, field string
	}{
		{"empty", "", "forecast"},
		{"header only", "start,volume\n", "forecast"},
		{"unknown column", "begin,volume\n08:00,5\n", "header"},
		{"duplicate column", "start,volume,start\n", "header"},
		{"no start", "volume\n5\n", "header"},
		{"volume not a number", "start,volume\n08:00,5\n08:30,many\n", "line 3: volume"},
		{"negative volume", "start,volume\n08:00,-1\n", "line 2: volume"},
		{"NaN volume", "start,volume\n08:00,NaN\n", "line 2: volume"},
		{"bad time", "start,volume\n8am,3\n", "line 2: start"},
		{"24:00", "start,volume\n24:00,3\n", "line 2: start"},
		{"out of order", "start,volume\n08:30,3\n08:00,4\n", "line 3: start"},
		{"repeated start", "start,volume\n08:30,3\n08:30,4\n", "line 3: start"},
		{"mixed forms", "start,volume\n08:00,3\n2026-11-23T08:30:00Z,4\n", "line 3: start"},
		{"zero AHT", "start,volume,aht_seconds\n08:00,3,0\n", "line 2: aht_seconds"},
		{"huge AHT", "start,volume,aht_seconds\n08:00,3,1e12\n", "line 2: aht_seconds"},
		{"extra field", "start,volume\n08:00,3\n08:30,3,4\n", "line 3"},
		{"broken quote", "start,volume\n08:00,3\n\"08:30,4\n", "line 3"},
	}
	for _, tt := range tests {
		_, err := ParseForecast(strings.NewReader(tt.in))
		if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != tt.field {
			t.Errorf("%s: error %v (field %q), want an invalid-input error naming %q", tt.name, err, vernost.ErrorField(err), tt.field)
		}
	}
}

func TestMakePlan(t *testing.T) {
	in := "start,volume,aht_seconds\n09:00,100,\n09:30,0,\n10:30,150,240\n11:00,60,\n"
	f, err := ParseForecast(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	o := PlanOptions{
		Target:    Target{ServiceLevel: 0.8, AnswerTime: 20 * time.Second, MaxOccupancy: 0.85},
		AHT:       180 * time.Second,
		Shrinkage: 0.3,
	}
	p, err := MakePlan(f, o)
	if err != nil {
		t.Fatal(err)
	}
	if p.Interval != 30*time.Minute || len(p.Rows) != 4 {
		t.Fatalf("plan has interval %v and %d rows, want 30m and 4", p.Interval, len(p.Rows))
	}
	// The first row is the worked example: 14 agents, 20 scheduled.
	if r := p.Rows[0]; r.Agents != 14 || r.Scheduled != 20 || r.Load != 10 {
		t.Errorf("09:00: load %v, %d agents, %d scheduled; want 10, 14, 20", r.Load, r.Agents, r.Scheduled)
	}
	if r := p.Rows[1]; r.Agents != 0 || r.Scheduled != 0 || r.ServiceLevel != 1 {
		t.Errorf("09:30 without calls: %+v, want no agents", r)
	}
	var hours, sched float64
	peak := 0
	for i, r := range p.Rows {
		aht := []time.Duration{180 * time.Second, 180 * time.Second, 240 * time.Second, 180 * time.Second}[i]
		a, _ := Load(f.Rows[i].Volume, 30*time.Minute, aht)
		want, err := Queue{Load: a, AHT: aht}.Staff(o.Target)
		if err != nil {
			t.Fatal(err)
		}
		if r.Agents != want.Agents || r.AHT != aht || math.Abs(r.ServiceLevel-want.ServiceLevel) > 1e-15 {
			t.Errorf("row %s: %d agents, AHT %v, SL %v; want %d, %v, %v", r.Start, r.Agents, r.AHT, r.ServiceLevel, want.Agents, aht, want.ServiceLevel)
		}
		hours += float64(r.Agents) / 2
		sched += float64(r.Scheduled) / 2
		peak = max(peak, r.Agents)
	}
	if p.AgentHours != hours || p.ScheduledHours != sched || p.PeakAgents != peak || p.Volume != 310 {
		t.Errorf("totals: %v agent-hours, %v scheduled hours, peak %d, volume %v; want %v, %v, %d, 310",
			p.AgentHours, p.ScheduledHours, p.PeakAgents, p.Volume, hours, sched, peak)
	}
}

func TestMakePlanErlangA(t *testing.T) {
	f, _ := ParseForecast(strings.NewReader("start,volume\n09:00,100\n09:15,80\n"))
	o := PlanOptions{Target: Target{ServiceLevel: 0.8, AnswerTime: 20 * time.Second}, AHT: 3 * time.Minute, Patience: 2 * time.Minute, Concurrency: 1}
	p, err := MakePlan(f, o)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range p.Rows {
		a, _ := Load(f.Rows[i].Volume, 15*time.Minute, o.AHT)
		want, _ := Queue{Load: a, AHT: o.AHT, Patience: o.Patience}.Staff(o.Target)
		if r.Agents != want.Agents || r.PAbandon != want.PAbandon || r.PAbandon == 0 {
			t.Errorf("row %s: %d agents, abandon %v; want %d, %v (Erlang A)", r.Start, r.Agents, r.PAbandon, want.Agents, want.PAbandon)
		}
	}
}

func TestMakePlanErrors(t *testing.T) {
	target := Target{ServiceLevel: 0.8, AnswerTime: 20 * time.Second}
	parse := func(s string) Forecast {
		f, err := ParseForecast(strings.NewReader(s))
		if err != nil {
			t.Fatalf("ParseForecast(%q): %v", s, err)
		}
		return f
	}
	tests := []struct {
		name  string
		f     Forecast
		o     PlanOptions
		field string
		msg   string // part of the message
	}{
		{"single row", parse("start,volume\n09:00,5\n"), PlanOptions{Target: target, AHT: time.Minute}, "interval", "single row"},
		{"gap not whole intervals", parse("start,volume\n09:00,5\n09:45,5\n"), PlanOptions{Target: target, AHT: time.Minute, Interval: 30 * time.Minute}, "line 3: start", "45m"},
		{"no AHT", parse("start,volume\n09:00,5\n09:30,5\n"), PlanOptions{Target: target}, "line 2: aht_seconds", "no handle time"},
		{"load too large", parse("start,volume\n09:00,5\n09:30,1e12\n"), PlanOptions{Target: target, AHT: time.Minute}, "load", "line 3"},
		{"bad shrinkage", parse("start,volume\n09:00,5\n09:30,5\n"), PlanOptions{Target: target, AHT: time.Minute, Shrinkage: 1}, "shrinkage", ""},
		{"bad target", parse("start,volume\n09:00,5\n09:30,5\n"), PlanOptions{Target: Target{ServiceLevel: 1.5}, AHT: time.Minute}, "target", ""},
		{"interval too long", parse("start,volume\n09:00,5\n"), PlanOptions{Target: target, AHT: time.Minute, Interval: 48 * time.Hour}, "interval", ""},
	}
	for _, tt := range tests {
		_, err := MakePlan(tt.f, tt.o)
		if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != tt.field || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: error %v (field %q), want an invalid-input error naming %q and saying %q", tt.name, err, vernost.ErrorField(err), tt.field, tt.msg)
		}
	}
}

// FuzzParseForecast: any input either fails with an invalid-input error or
// yields rows in time order with usable numbers, which a plan can staff.
func FuzzParseForecast(f *testing.F) {
	f.Add("start,volume,aht_seconds\n08:00,42,\n08:30,100,180\n")
	f.Add("volume,start\n12,2026-11-23T23:45:00+03:00\n20,2026-11-24T00:00:00+03:00\n")
	f.Add("start,volume\n\"08:00\",\"1e3\"\n# c\n09:00,0\n")
	f.Add("start,volume\n08:00,3\n08:30,3,4\n")
	f.Fuzz(func(t *testing.T, in string) {
		fc, err := ParseForecast(strings.NewReader(in))
		if err != nil {
			if vernost.ErrorCode(err) != vernost.EInvalid {
				t.Fatalf("error %v has code %q, want invalid", err, vernost.ErrorCode(err))
			}
			return
		}
		for i, r := range fc.Rows {
			if math.IsNaN(r.Volume) || math.IsInf(r.Volume, 0) || r.Volume < 0 || r.AHT < 0 {
				t.Fatalf("row %d: volume %v, AHT %v", i, r.Volume, r.AHT)
			}
			if i > 0 && !r.Start.After(fc.Rows[i-1].Start) {
				t.Fatalf("row %d starts %v, not after %v", i, r.Start, fc.Rows[i-1].Start)
			}
		}
		if len(fc.Rows) > 1 && fc.Interval <= 0 {
			t.Fatalf("interval %v for %d rows", fc.Interval, len(fc.Rows))
		}
		if len(fc.Rows) > 20 {
			return // keep each fuzz run fast
		}
		o := PlanOptions{Target: Target{ServiceLevel: 0.8, AnswerTime: 20 * time.Second}, AHT: time.Minute, Interval: time.Minute}
		p, err := MakePlan(fc, o)
		if err != nil {
			if vernost.ErrorCode(err) != vernost.EInvalid {
				t.Fatalf("plan error %v has code %q, want invalid", err, vernost.ErrorCode(err))
			}
			return
		}
		for _, r := range p.Rows {
			if r.Load > 0 && (r.Agents < 1 || r.ServiceLevel < 0.8-1e-9 || math.IsNaN(r.ServiceLevel)) {
				t.Fatalf("row %s: load %v staffed with %d agents at service level %v", r.Start, r.Load, r.Agents, r.ServiceLevel)
			}
		}
	})
}
