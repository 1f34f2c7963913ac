package clv

import (
	"context"
	"runtime"
	"testing"
)

var cdnowParams = BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}

// BenchmarkFitBGNBDCDNOW: target under 100 ms for the 2,357 CDNOW customers.
func BenchmarkFitBGNBDCDNOW(b *testing.B) {
	cs := cdnowSample(b)
	for b.Loop() {
		if _, _, err := FitBGNBD(context.Background(), cs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitBGNBDMillion: target under 10 s for 1,000,000 synthetic
// customers (CDNOW parameters, ages of 26–52 weeks, purchases to the day).
func BenchmarkFitBGNBDMillion(b *testing.B) {
	cs := simulateBGNBD(cdnowParams, 1_000_000, 52, 1)
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := FitBGNBD(context.Background(), cs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPredictMillion: target under 2 s for P(alive), expected purchases,
// spend and 52-week discounted CLV of 1,000,000 customers. Only Predict is
// timed: the customers are simulated, and the simulation's garbage collected,
// before the timer starts. cpu-s/op is the process's CPU time per call, both
// cores and the garbage collector included.
func BenchmarkPredictMillion(b *testing.B) {
	cs := simulateBGNBD(cdnowParams, 1_000_000, 52, 1)
	gg := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	runtime.GC()
	cpu0, haveCPU := processCPU()
	b.ReportAllocs()
	b.ResetTimer()
	calls := 0
	for b.Loop() {
		calls++
		if _, err := Predict(context.Background(), cdnowParams, gg, cs, PredictOptions{Horizon: 52, Discount: 0.01}); err != nil {
			b.Fatal(err)
		}
	}
	if cpu1, _ := processCPU(); haveCPU {
		b.ReportMetric((cpu1-cpu0).Seconds()/float64(calls), "cpu-s/op")
	}
}

func BenchmarkFitParetoNBDCDNOW(b *testing.B) {
	cs := cdnowSample(b)
	for b.Loop() {
		if _, _, err := FitParetoNBD(context.Background(), cs); err != nil {
			b.Fatal(err)
		}
	}
}
