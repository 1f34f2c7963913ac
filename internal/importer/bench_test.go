package importer_test

import (
	"bytes"
	"testing"

	"github.com/vernost/vernost/internal/demo"
	"github.com/vernost/vernost/internal/importer"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// BenchmarkImport imports 20,000 generated customers (Windows-1251, ';')
// into a fresh database per iteration; rows/s is the figure to watch.
func BenchmarkImport(b *testing.B) {
	const rows = 20_000
	var file bytes.Buffer
	if err := demo.WriteCSV(&file, rows, 1, demo.CSVOptions{CP1251: true, Delimiter: ';'}); err != nil {
		b.Fatal(err)
	}
	for _, engine := range sqldbtest.Engines() {
		b.Run(engine, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := sqldbtest.Open(b, engine)
				ctx, svc, log := setupTB(b, db)
				b.StartTimer()
				rep, err := importer.Run(ctx, svc, log, bytes.NewReader(file.Bytes()), importer.Options{Source: "bench.csv"})
				if err != nil || rep.Created != rows {
					b.Fatalf("import: %v, created %d", err, rep.Created)
				}
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
