package clv

import (
	"os"
	"testing"
	"time"

	"github.com/vernost/vernost/internal/repotest"
)

// sharedData is a reference data file under ../shared/data.
func sharedData(t testing.TB, rel string) string {
	return repotest.SharedData(t, rel)
}

func mustDate(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// cdnowSample reads the 2,357-customer CDNOW sample and summarizes it with
// the calibration period of the Fader–Hardie papers: 39 weeks from the start,
// ending 1997-09-30, and the holdout to 1998-06-30 (78 weeks in all).
func cdnowSample(t testing.TB) []Customer {
	t.Helper()
	f, err := os.Open(sharedData(t, "cdnow/CDNOW_sample.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	txs, err := ReadTransactions(f, FormatCDNOWSample)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := Summarize(txs, SummaryOptions{Unit: Week, CalibrationEnd: mustDate(t, "1997-09-30"), ObservationEnd: mustDate(t, "1998-06-30")})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}
