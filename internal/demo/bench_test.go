package demo

import (
	"io"
	"testing"
)

func BenchmarkNext(b *testing.B) {
	b.ReportAllocs()
	g := &Generator{Seed: 1}
	for b.Loop() {
		g.Next()
	}
}

// BenchmarkWriteCSV reports rows/s for the load-test file (1,000,000 rows
// must take a few seconds).
func BenchmarkWriteCSV(b *testing.B) {
	const rows = 100_000
	for _, c := range []struct {
		name string
		opt  CSVOptions
	}{
		{"utf8", CSVOptions{}},
		{"cp1251", CSVOptions{CP1251: true, Delimiter: ';'}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if err := WriteCSV(io.Discard, rows, 1, c.opt); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
