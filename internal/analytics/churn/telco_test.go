package churn

import (
	"math"
	"os"
	"slices"
	"testing"

	"github.com/vernost/vernost/internal/repotest"
)

// telcoPath is the public Telco churn file beside the repository.
func telcoPath(t testing.TB) string {
	return repotest.SharedData(t, "telco-churn", "Telco-Customer-Churn.csv")
}

func readTelco(t testing.TB) *Dataset {
	t.Helper()
	f, err := os.Open(telcoPath(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ds, err := ReadCSV(f, CSVOptions{})
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	return ds
}

var telcoConfig = Config{Target: "Churn", ID: "customerID", Lambda: DefaultLambda}

func TestTelcoCrossValidation(t *testing.T) {
	ds := readTelco(t)
	rep, err := CrossValidate(ds, telcoConfig, 5, 1)
	if err != nil {
		t.Fatalf("CrossValidate: %v", err)
	}
	t.Logf("AUC %.4f±%.4f accuracy %.4f log loss %.4f Brier %.4f", rep.AUC.Mean, rep.AUC.SD, rep.Accuracy.Mean, rep.LogLoss.Mean, rep.Brier.Mean)
	if rep.AUC.Mean < 0.84 {
		t.Errorf("5-fold mean AUC = %.4f, want ≥ 0.84", rep.AUC.Mean)
	}
	// Published logistic baselines on this data reach about 80% accuracy.
	if rep.Accuracy.Mean < 0.79 {
		t.Errorf("5-fold mean accuracy = %.4f, want ≥ 0.79", rep.Accuracy.Mean)
	}
	// About 700 rows a decile: a binomial standard error up to 0.019, so a
	// calibrated model stays within 0.07 of the observed rate.
	for i, b := range rep.Calibration {
		if math.Abs(b.MeanPredicted-b.Observed) > 0.07 {
			t.Errorf("decile %d: predicted %.3f, observed %.3f; want within 0.07", i+1, b.MeanPredicted, b.Observed)
		}
	}
}

func TestTelcoReading(t *testing.T) {
	ds := readTelco(t)
	if ds.Rows() != 7043 || len(ds.Columns) != 21 {
		t.Fatalf("read %d rows × %d columns, want 7043 × 21", ds.Rows(), len(ds.Columns))
	}
	total, _ := ds.Column("TotalCharges")
	if total.Kind != Numeric {
		t.Fatalf("TotalCharges kind = %v, want numeric despite its blanks", total.Kind)
	}
	blank := 0
	for _, v := range total.Num {
		if math.IsNaN(v) {
			blank++
		}
	}
	if blank != 11 {
		t.Errorf("TotalCharges has %d missing values, want the 11 blanks", blank)
	}
	y, err := Labels(ds, "Churn")
	if err != nil {
		t.Fatalf("Labels: %v", err)
	}
	if n := countTrue(y); n != 1869 {
		t.Errorf("%d churners, want 1869", n)
	}
}

// TestTelcoWeights checks the fitted directions against what is well known
// about this data: month-to-month contracts, fibre and electronic checks go
// with churn; long tenure and two-year contracts with staying.
func TestTelcoWeights(t *testing.T) {
	m, err := Train(readTelco(t), telcoConfig)
	if err != nil {
		t.Fatalf("Train: %v", err)
	}
	tests := []struct {
		feature string
		sign    float64
	}{
		{"tenure", -1},
		{"Contract=Two year", -1},
		{"Contract=Month-to-month", +1},
		{"InternetService=Fiber optic", +1},
		{"PaymentMethod=Electronic check", +1},
	}
	for _, tt := range tests {
		if w := weightOf(t, m, tt.feature); w*tt.sign <= 0 {
			t.Errorf("weight of %s = %.3f, want sign %+.0f", tt.feature, w, tt.sign)
		}
	}
	if !slices.Contains(m.Features, "TotalCharges=(missing)") {
		t.Errorf("no missing indicator for TotalCharges in %q", m.Features)
	}
	top := m.FeatureWeights()[0]
	t.Logf("strongest weight: %+v", top)
}
