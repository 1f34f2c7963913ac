package churn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/vernost/vernost"
)

// StratifiedFolds assigns each row to one of k folds at random (repeatable
// for a seed), keeping the share of churners in every fold as close as
// rows allow. Each class needs at least k rows, or some fold would miss it.
func StratifiedFolds(y []bool, k int, seed uint64) ([]int, error) {
	if k < 2 {
		return nil, vernost.Invalid("folds", "must be at least 2, got %d", k)
	}
	var classes [2][]int
	for i, v := range y {
		if v {
			classes[1] = append(classes[1], i)
		} else {
			classes[0] = append(classes[0], i)
		}
	}
	for c, rows := range classes {
		if len(rows) < k {
			name := [2]string{"stayed", "churned"}[c]
			return nil, vernost.Invalid("folds", "only %d rows %s, fewer than the %d folds; use fewer folds", len(rows), name, k)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0x636875726e)) // second word: "churn"
	fold := make([]int, len(y))
	next := 0 // deal on from where the last class stopped, to even out fold sizes
	for _, rows := range classes {
		rng.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
		for _, r := range rows {
			fold[r] = next
			next = (next + 1) % k
		}
	}
	return fold, nil
}

// FoldResult is the measure of one held-out fold.
type FoldResult struct {
	Fold       int `json:"fold"` // 1-based
	TrainRows  int `json:"train_rows"`
	Iterations int `json:"iterations"`
	Metrics
}

// Spread is the mean and standard deviation of a measure across folds.
type Spread struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
}

// CVReport is the result of cross-validation.
type CVReport struct {
	Rows      int          `json:"rows"`
	Positives int          `json:"positives"`
	Columns   int          `json:"columns"`  // feature columns, before coding
	Features  int          `json:"features"` // coded features, when coded on all rows
	Folds     []FoldResult `json:"folds"`
	AUC       Spread       `json:"auc"`
	Accuracy  Spread       `json:"accuracy"`
	LogLoss   Spread       `json:"log_loss"`
	Brier     Spread       `json:"brier"`
	// Calibration pools every row's out-of-fold prediction into deciles.
	Calibration []CalibrationBin `json:"calibration"`
	// Predictions holds each row's out-of-fold churn probability.
	Predictions []float64 `json:"-"`
}

// CrossValidate estimates how the model does on customers it has not seen:
// each of k stratified folds is scored by a model (encoder included) fitted
// on the other k-1.
func CrossValidate(ds *Dataset, cfg Config, k int, seed uint64) (*CVReport, error) {
	cols, err := cfg.features(ds)
	if err != nil {
		return nil, err
	}
	y, err := Labels(ds, cfg.Target)
	if err != nil {
		return nil, err
	}
	pos, err := checkClasses(y, cfg.Target)
	if err != nil {
		return nil, err
	}
	fold, err := StratifiedFolds(y, k, seed)
	if err != nil {
		return nil, err
	}
	// Coding all rows is not used for fitting (that would leak); it checks
	// the columns once, so a bad one is reported for the file, not a fold.
	all, err := fitEncoder(ds, cols, cfg.maxLevels())
	if err != nil {
		return nil, err
	}
	rep := &CVReport{Rows: len(y), Positives: pos, Columns: len(cols), Features: all.width(), Predictions: make([]float64, len(y))}
	for f := range k {
		var trainRows, testRows []int
		for i, g := range fold {
			if g == f {
				testRows = append(testRows, i)
			} else {
				trainRows = append(trainRows, i)
			}
		}
		m, err := train(ds.Subset(trainRows), cols, pick(y, trainRows), cfg)
		if err != nil {
			return nil, foldError(f, err)
		}
		p, err := m.Predict(ds.Subset(testRows))
		if err != nil {
			return nil, foldError(f, err)
		}
		met, err := Evaluate(pick(y, testRows), p)
		if err != nil {
			return nil, foldError(f, err)
		}
		for j, i := range testRows {
			rep.Predictions[i] = p[j]
		}
		rep.Folds = append(rep.Folds, FoldResult{Fold: f + 1, TrainRows: len(trainRows), Iterations: m.Iterations, Metrics: met})
	}
	rep.AUC = spread(rep.Folds, func(m Metrics) float64 { return m.AUC })
	rep.Accuracy = spread(rep.Folds, func(m Metrics) float64 { return m.Accuracy })
	rep.LogLoss = spread(rep.Folds, func(m Metrics) float64 { return m.LogLoss })
	rep.Brier = spread(rep.Folds, func(m Metrics) float64 { return m.Brier })
	if rep.Calibration, err = Calibration(y, rep.Predictions, 10); err != nil {
		return nil, err
	}
	return rep, nil
}

// foldError says which fold failed, keeping the error's code.
func foldError(f int, err error) error {
	var e *vernost.Error
	if errors.As(err, &e) {
		c := *e
		if c.Field != "" {
			c.Message = c.Field + ": " + c.Message
		}
		c.Field = fmt.Sprintf("fold %d", f+1)
		return &c
	}
	return fmt.Errorf("fold %d: %w", f+1, err)
}

func pick(y []bool, rows []int) []bool {
	out := make([]bool, len(rows))
	for j, i := range rows {
		out[j] = y[i]
	}
	return out
}

// spread returns the mean and the sample standard deviation across folds.
func spread(folds []FoldResult, of func(Metrics) float64) Spread {
	var s Spread
	for _, f := range folds {
		s.Mean += of(f.Metrics)
	}
	s.Mean /= float64(len(folds))
	var ss float64
	for _, f := range folds {
		d := of(f.Metrics) - s.Mean
		ss += d * d
	}
	if len(folds) > 1 {
		s.SD = math.Sqrt(ss / float64(len(folds)-1))
	}
	return s
}
