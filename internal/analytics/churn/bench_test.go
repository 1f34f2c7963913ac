package churn

import (
	"bytes"
	"os"
	"testing"
)

// The target: Telco cross-validation under 2 s on the 2-core machine.
func BenchmarkCrossValidateTelco(b *testing.B) {
	ds := readTelco(b)
	for b.Loop() {
		if _, err := CrossValidate(ds, telcoConfig, 5, 1); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTrainTelco(b *testing.B) {
	ds := readTelco(b)
	for b.Loop() {
		if _, err := Train(ds, telcoConfig); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadCSVTelco(b *testing.B) {
	raw, err := os.ReadFile(telcoPath(b))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := ReadCSV(bytes.NewReader(raw), CSVOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScoreTelco(b *testing.B) {
	ds := readTelco(b)
	m, err := Train(ds, telcoConfig)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := m.Score(ds, 3); err != nil {
			b.Fatal(err)
		}
	}
}
