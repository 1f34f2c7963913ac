package staffing

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var benchTarget = Target{ServiceLevel: 0.8, AnswerTime: 20 * time.Second}

// BenchmarkRequiredAgents is the performance target: Erlang C
// required agents for 10,000 Erlangs under 1 ms.
func BenchmarkRequiredAgents(b *testing.B) {
	for _, a := range []float64{10, 1000, 10000} {
		b.Run(fmt.Sprintf("erlangs=%g", a), func(b *testing.B) {
			for b.Loop() {
				if _, err := RequiredAgents(a, 3*time.Minute, benchTarget); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkErlangA(b *testing.B) {
	for _, n := range []int{14, 1000} {
		rate := float64(n) * 0.9 / 180
		b.Run(fmt.Sprintf("agents=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := ErlangA(n, rate, 3*time.Minute, 2*time.Minute, 20*time.Second); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkStaffErlangA(b *testing.B) {
	for _, a := range []float64{10, 1000} {
		q := Queue{Load: a, AHT: 3 * time.Minute, Patience: 2 * time.Minute}
		b.Run(fmt.Sprintf("erlangs=%g", a), func(b *testing.B) {
			for b.Loop() {
				if _, err := q.Staff(benchTarget); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMakePlan staffs a day of 48 half-hour intervals.
func BenchmarkMakePlan(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("start,volume\n")
	for i := range 48 {
		fmt.Fprintf(&sb, "%02d:%02d,%d\n", i/2, 30*(i%2), 50+10*(i%24))
	}
	f, err := ParseForecast(strings.NewReader(sb.String()))
	if err != nil {
		b.Fatal(err)
	}
	o := PlanOptions{Target: benchTarget, AHT: 3 * time.Minute, Shrinkage: 0.3}
	for b.Loop() {
		if _, err := MakePlan(f, o); err != nil {
			b.Fatal(err)
		}
	}
}
