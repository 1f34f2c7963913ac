package nps

import (
	"math"
	"testing"

	"github.com/vernost/vernost"
)

func TestTrend(t *testing.T) {
	weeks := []Counts{
		{10, 5, 5},
		{0, 0, 0}, // a week without answers
		{2, 1, 7},
		{30, 10, 10},
		{0, 0, 0},
		{0, 0, 0},
	}
	got, err := Trend(weeks, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Each point pools its two weeks.
	want := []struct {
		end int
		n   int
		nps float64
	}{
		{1, 20, 25},  // 10−5 of 20
		{2, 10, -50}, // 2−7 of 10
		{3, 60, 25},  // pooled; averaging the weeks' −50 and +40 would give −5
		{4, 50, 40},
		{5, 0, 0}, // nothing answered: undefined, reported as N = 0
	}
	if len(got) != len(want) {
		t.Fatalf("%d points, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.End != w.end || g.Score.N != w.n || math.Abs(g.Score.NPS-w.nps) > 1e-12 {
			t.Errorf("point %d: end %d, N %d, NPS %v; want end %d, N %d, NPS %v", i, g.End, g.Score.N, g.Score.NPS, w.end, w.n, w.nps)
		}
	}
	one, _ := Trend(weeks, 1)
	for i, p := range one {
		if weeks[i].Total() == 0 {
			continue
		}
		if s, _ := FromCounts(weeks[i]); p.Score != s {
			t.Errorf("window 1, week %d: %+v, want the week's own score %+v", i, p.Score, s)
		}
	}
}

func TestCSATTrend(t *testing.T) {
	days := []CSATCounts{{8, 10}, {1, 10}, {10, 20}}
	got, err := CSATTrend(days, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].End != 2 || got[0].CSAT.N != 40 || got[0].CSAT.Score != 47.5 {
		t.Errorf("3-day CSAT trend = %+v, want one point: 19 of 40 = 47.5%%", got)
	}
}

func TestTrendErrors(t *testing.T) {
	weeks := []Counts{{1, 1, 1}, {2, 2, 2}}
	tests := []struct {
		name    string
		periods []Counts
		window  int
		field   string
	}{
		{"zero window", weeks, 0, "window"},
		{"window too long", weeks, 3, "window"},
		{"negative count", []Counts{{1, 1, 1}, {-2, 0, 0}}, 1, "counts"},
	}
	for _, tt := range tests {
		_, err := Trend(tt.periods, tt.window)
		if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != tt.field {
			t.Errorf("%s: error %v, want an invalid-input error naming %s", tt.name, err, tt.field)
		}
	}
	if _, err := CSATTrend([]CSATCounts{{3, 2}}, 1); vernost.ErrorField(err) != "counts" {
		t.Errorf("CSATTrend with 3 of 2 satisfied: error %v, want one naming counts", err)
	}
}
