package sim

import (
	"context"
	"testing"
)

// BenchmarkDay300 runs one simulated day of a 300-agent center: about
// 90,000 contacts over calls, chats and emails, through the real engine.
// The target is under 5 s per day.
func BenchmarkDay300(b *testing.B) {
	s, err := Load("testdata/center-300.yaml")
	if err != nil {
		b.Fatal(err)
	}
	var contacts, events int
	for b.Loop() {
		rep, err := Run(context.Background(), s)
		if err != nil {
			b.Fatal(err)
		}
		contacts, events = rep.Total.Offered, rep.EngineEvents
	}
	b.ReportMetric(float64(contacts), "contacts/day")
	b.ReportMetric(float64(events), "engine-events/day")
}

// BenchmarkErlangCheck is the 200,000-call validation run.
func BenchmarkErlangCheck(b *testing.B) {
	s, err := Load("../../../docs/scenarios/erlang-check.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Run(context.Background(), s); err != nil {
			b.Fatal(err)
		}
	}
}
