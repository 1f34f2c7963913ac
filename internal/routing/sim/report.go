package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// tally counts what happened to the contacts of one interval or queue, and
// the agent time of one interval.
type tally struct {
	offered        int
	answered       int
	inTarget       int // answered within the queue's target
	abandoned      int
	unserved       int // still open when the run ended
	transfers      int
	waitSeconds    float64 // summed over answered contacts
	firstOffers    int     // contacts offered at least once
	firstAccepted  int     // ... whose first offer was accepted
	withManager    int
	reachedManager int     // served by their personal manager at some point
	staffedSeconds float64 // agent time logged in (or still finishing work)
	busySeconds    float64 // agent time with work in hand or in wrap-up
}

func (t *tally) add(o *tally) {
	t.offered += o.offered
	t.answered += o.answered
	t.inTarget += o.inTarget
	t.abandoned += o.abandoned
	t.unserved += o.unserved
	t.transfers += o.transfers
	t.waitSeconds += o.waitSeconds
	t.firstOffers += o.firstOffers
	t.firstAccepted += o.firstAccepted
	t.withManager += o.withManager
	t.reachedManager += o.reachedManager
	t.staffedSeconds += o.staffedSeconds
	t.busySeconds += o.busySeconds
}

// Report is the outcome of one run.
type Report struct {
	Scenario string `json:"scenario"`
	Seed     uint64 `json:"seed"`
	DayStart string `json:"day_start"` // clock time of the first interval
	DayEnd   string `json:"day_end"`   // when arrivals stop
	Interval string `json:"interval"`
	// Intervals holds contacts by the interval they arrived in, and agent
	// time by the interval it was spent in.
	Intervals []Row `json:"intervals,omitempty"`
	Queues    []Row `json:"queues"` // contacts by the queue they arrived in
	Total     Row   `json:"total"`
	// SimulatedEnd is when the last contact was finished or given up on;
	// later than DayEnd when the queues drain after the day.
	SimulatedEnd string `json:"simulated_end"`
	EngineEvents int    `json:"engine_events"` // events applied to the routing engine
}

// Row is one line of the report. Ratios are null (nil) when nothing was
// there to measure, never NaN: no contacts, no agents logged in.
type Row struct {
	Label     string `json:"label"` // interval start "08:30", queue name, or "total"
	Offered   int    `json:"offered"`
	Answered  int    `json:"answered"`
	Abandoned int    `json:"abandoned"`
	Unserved  int    `json:"unserved"`
	Transfers int    `json:"transfers"`
	// ServiceLevel is the share of offered contacts answered within their
	// queue's target.
	ServiceLevel *float64 `json:"service_level"`
	// ASASeconds is the average speed of answer of answered contacts.
	ASASeconds *float64 `json:"asa_seconds"`
	// AbandonRate is abandoned / offered.
	AbandonRate *float64 `json:"abandon_rate"`
	// Occupancy is busy agent time / staffed agent time; per interval and in
	// total only, since agents serve several queues.
	Occupancy *float64 `json:"occupancy"`
	// FirstOfferAcceptance is the share of offered-at-least-once contacts
	// whose first offer the agent accepted.
	FirstOfferAcceptance *float64 `json:"first_offer_acceptance"`
	WithManager          int      `json:"with_manager"`
	// ManagerReached is the share of contacts with a personal manager that
	// the manager served.
	ManagerReached *float64 `json:"manager_reached"`
}

func (t *tally) row(label string) Row {
	r := Row{
		Label:                label,
		Offered:              t.offered,
		Answered:             t.answered,
		Abandoned:            t.abandoned,
		Unserved:             t.unserved,
		Transfers:            t.transfers,
		ServiceLevel:         ratio(float64(t.inTarget), float64(t.offered)),
		ASASeconds:           ratio(t.waitSeconds, float64(t.answered)),
		AbandonRate:          ratio(float64(t.abandoned), float64(t.offered)),
		Occupancy:            ratio(t.busySeconds, t.staffedSeconds),
		FirstOfferAcceptance: ratio(float64(t.firstAccepted), float64(t.firstOffers)),
		WithManager:          t.withManager,
		ManagerReached:       ratio(float64(t.reachedManager), float64(t.withManager)),
	}
	return r
}

func ratio(n, d float64) *float64 {
	if d <= 0 {
		return nil
	}
	v := n / d
	return &v
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteTable writes the report for people: one line per interval, then one
// per queue, then the total.
func (r *Report) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "scenario %s, seed %d: %s-%s in intervals of %s; the last contact closed at %s\n\n",
		r.Scenario, r.Seed, r.DayStart, r.DayEnd, r.Interval, r.SimulatedEnd)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := "offered\tanswered\tabandoned\tSL\tASA\taband.\toccup.\ttransfers\t1st offer\tmanager\t"
	if len(r.Intervals) > 0 {
		fmt.Fprintf(tw, "interval\t%s\n", header)
		for _, row := range r.Intervals {
			writeRow(tw, row)
		}
		fmt.Fprint(tw, "\t\t\t\t\t\t\t\t\t\t\t\n")
	}
	fmt.Fprintf(tw, "queue\t%s\n", header)
	for _, row := range r.Queues {
		writeRow(tw, row)
	}
	writeRow(tw, r.Total)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprint(w, "\nSL: answered within the queue's target, of offered. ASA: average wait of answered contacts.\n"+
		"occup.: agent time busy (with work or in wrap-up), of time logged in. 1st offer: first offers accepted.\n"+
		"manager: contacts with a personal manager that the manager served. Contacts count in the interval they arrived in.\n")
	if r.Total.Unserved > 0 {
		_, err := fmt.Fprintf(w, "\n%d contacts were still open when the run ended (nobody could take them).\n", r.Total.Unserved)
		return err
	}
	return nil
}

func writeRow(w io.Writer, r Row) {
	cells := []string{
		r.Label,
		fmt.Sprint(r.Offered), fmt.Sprint(r.Answered), fmt.Sprint(r.Abandoned),
		percent(r.ServiceLevel), seconds1(r.ASASeconds), percent(r.AbandonRate),
		percent(r.Occupancy), fmt.Sprint(r.Transfers),
		percent(r.FirstOfferAcceptance), percent(r.ManagerReached),
	}
	fmt.Fprintln(w, strings.Join(cells, "\t")+"\t")
}

func percent(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100**p)
}

func seconds1(s *float64) string {
	if s == nil {
		return "-"
	}
	return (time.Duration(*s*10) * time.Second / 10).String()
}

// clockLabel is the clock time at offset d from midnight, past 24h too.
func clockLabel(d time.Duration) string {
	d = d.Truncate(time.Minute)
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	if h >= 24 {
		return fmt.Sprintf("d%d %02d:%02d", h/24+1, h%24, m)
	}
	return fmt.Sprintf("%02d:%02d", h, m)
}

// report closes the books: contacts never answered count as unserved, and
// the tallies become rows.
func (r *run) report(s *Scenario) *Report {
	for i := range r.contacts {
		c := &r.contacts[i]
		if c.state != closed && c.flags&answered == 0 {
			r.count(c, func(t *tally) { t.unserved++ })
		}
	}
	rep := &Report{
		Scenario:     s.Name,
		Seed:         s.Seed,
		DayStart:     clockLabel(r.m.start),
		DayEnd:       clockLabel(r.m.start + time.Duration(r.m.intervals)*r.m.interval),
		Interval:     r.m.interval.String(),
		SimulatedEnd: clockLabel(r.m.start + r.lastEnd),
		EngineEvents: r.applied,
	}
	var total tally
	for i := range r.intervals {
		total.add(&r.intervals[i])
		rep.Intervals = append(rep.Intervals, r.intervals[i].row(clockLabel(r.m.start+time.Duration(i)*r.m.interval)))
	}
	for i := range r.queues {
		rep.Queues = append(rep.Queues, r.queues[i].row(r.m.queues[i].name))
	}
	rep.Total = total.row("total")
	return rep
}
