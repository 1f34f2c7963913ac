package churn

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vernost/vernost"
)

func TestStratifiedFolds(t *testing.T) {
	const n, churners, k = 103, 23, 5
	y := make([]bool, n)
	for i := range churners {
		y[i*4] = true
	}
	fold, err := StratifiedFolds(y, k, 42)
	if err != nil {
		t.Fatalf("StratifiedFolds: %v", err)
	}
	size := make([]int, k)
	pos := make([]int, k)
	for i, f := range fold {
		if f < 0 || f >= k {
			t.Fatalf("row %d in fold %d, want 0…%d", i, f, k-1)
		}
		size[f]++
		if y[i] {
			pos[f]++
		}
	}
	for f := range k {
		// 23 churners over 5 folds: 4 or 5 each; 103 rows: 20 or 21 each.
		if pos[f] < 4 || pos[f] > 5 || size[f] < 20 || size[f] > 21 {
			t.Errorf("fold %d: %d rows, %d churners; want 20–21 rows and 4–5 churners", f, size[f], pos[f])
		}
	}
	again, _ := StratifiedFolds(y, k, 42)
	if !slices.Equal(fold, again) {
		t.Errorf("same seed gave different folds")
	}
	other, _ := StratifiedFolds(y, k, 43)
	if slices.Equal(fold, other) {
		t.Errorf("seeds 42 and 43 gave the same folds")
	}
}

func TestStratifiedFoldsErrors(t *testing.T) {
	y := []bool{true, true, false, false, false}
	for _, tt := range []struct {
		k    int
		want string
	}{
		{1, "folds: must be at least 2"},
		{3, "only 2 rows churned, fewer than the 3 folds"},
	} {
		if _, err := StratifiedFolds(y, tt.k, 1); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("k=%d: error = %v, want one containing %q", tt.k, err, tt.want)
		}
	}
}

func TestCrossValidate(t *testing.T) {
	ds := customers(1, 2000)
	rep, err := CrossValidate(ds, customersConfig, 4, 9)
	if err != nil {
		t.Fatalf("CrossValidate: %v", err)
	}
	// Coded: spend, spend=(missing), and the three plans.
	if len(rep.Folds) != 4 || rep.Rows != 2000 || rep.Columns != 2 || rep.Features != 5 {
		t.Fatalf("report has %d folds, %d rows, %d columns, %d features; want 4, 2000, 2, 5", len(rep.Folds), rep.Rows, rep.Columns, rep.Features)
	}
	rows, pos := 0, 0
	for _, f := range rep.Folds {
		rows += f.Rows
		pos += f.Positives
		if f.TrainRows+f.Rows != 2000 {
			t.Errorf("fold %d: %d train + %d test rows, want 2000", f.Fold, f.TrainRows, f.Rows)
		}
	}
	if rows != rep.Rows || pos != rep.Positives {
		t.Errorf("folds cover %d rows with %d churners, want %d and %d", rows, pos, rep.Rows, rep.Positives)
	}
	for i, p := range rep.Predictions {
		if !(p > 0 && p < 1) {
			t.Fatalf("row %d: out-of-fold prediction %v, want in (0, 1)", i, p)
		}
	}
	// The synthetic signal is strong: a sound model ranks well above chance.
	if rep.AUC.Mean < 0.8 || rep.AUC.SD <= 0 {
		t.Errorf("AUC = %.3f ± %.3f, want ≥ 0.8 with a positive spread", rep.AUC.Mean, rep.AUC.SD)
	}
	binned := 0
	for _, b := range rep.Calibration {
		binned += b.Rows
		if math.Abs(b.MeanPredicted-b.Observed) > 0.12 {
			t.Errorf("calibration bin %+v: predicted and observed differ by more than 0.12", b)
		}
	}
	if len(rep.Calibration) != 10 || binned != 2000 {
		t.Errorf("calibration: %d bins over %d rows, want 10 over 2000", len(rep.Calibration), binned)
	}
}

// TestCrossValidateHoldsOut: on pure noise a model fits its own rows better
// than chance, but rows it never saw are ranked at chance — unless they
// leaked into the fit.
func TestCrossValidateHoldsOut(t *testing.T) {
	const n, p = 300, 25
	rng := rand.New(rand.NewPCG(5, 6))
	ds := &Dataset{}
	for j := range p {
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		ds.Columns = append(ds.Columns, NumericColumn(string(rune('a'+j)), v))
	}
	y := make([]string, n)
	for i := range y {
		y[i] = []string{"No", "Yes"}[rng.IntN(2)]
	}
	ds.Columns = append(ds.Columns, CategoricalColumn("churn", y))
	cfg := Config{Target: "churn", Lambda: 0.01}

	m, err := Train(ds, cfg)
	if err != nil {
		t.Fatalf("Train: %v", err)
	}
	probs, _ := m.Predict(ds)
	labels, _ := Labels(ds, "churn")
	inSample, _ := AUC(labels, probs)
	rep, err := CrossValidate(ds, cfg, 5, 1)
	if err != nil {
		t.Fatalf("CrossValidate: %v", err)
	}
	// AUC of n=300 noise has a standard error near 0.033; allow three.
	if math.Abs(rep.AUC.Mean-0.5) > 0.1 {
		t.Errorf("cross-validated AUC on noise = %.3f, want 0.5 ± 0.1", rep.AUC.Mean)
	}
	if inSample < rep.AUC.Mean+0.1 {
		t.Errorf("in-sample AUC %.3f is not clearly above the cross-validated %.3f; is the fit seeing the test rows?", inSample, rep.AUC.Mean)
	}
}

func TestCrossValidateFoldError(t *testing.T) {
	cfg := customersConfig
	cfg.Lambda = 0 // full one-hot coding is singular without a penalty
	_, err := CrossValidate(customers(1, 200), cfg, 3, 1)
	if err == nil || vernost.ErrorField(err) != "fold 1" || !strings.HasPrefix(vernost.ErrorMessage(err), "cannot fit the model: singular design") {
		t.Fatalf("CrossValidate with lambda 0 = %v, want a singular design error in fold 1", err)
	}
	if code := vernost.ErrorCode(err); code != vernost.EInvalid {
		t.Errorf("code = %q, want %q", code, vernost.EInvalid)
	}
}
