package churn

import (
	"math"
	"slices"

	"github.com/vernost/vernost"
)

// Metrics measures predicted churn probabilities against what happened.
type Metrics struct {
	Rows      int     `json:"rows"`
	Positives int     `json:"positives"` // rows that churned
	AUC       float64 `json:"auc"`       // ROC area: P(a churner outranks a stayer), ties half
	Accuracy  float64 `json:"accuracy"`  // share right when predicting churn at p ≥ 0.5
	LogLoss   float64 `json:"log_loss"`  // mean -log P(what happened), nats
	Brier     float64 `json:"brier"`     // mean squared error of p
}

// logLossClip keeps log loss finite for a probability of exactly 0 or 1.
const logLossClip = 1e-15

// Evaluate measures probabilities p against outcomes y. Both classes must be
// present, or the AUC is undefined.
func Evaluate(y []bool, p []float64) (Metrics, error) {
	if err := checkScores(y, p); err != nil {
		return Metrics{}, err
	}
	auc, err := AUC(y, p)
	if err != nil {
		return Metrics{}, err
	}
	m := Metrics{Rows: len(y), AUC: auc}
	var right int
	for i, churned := range y {
		if (p[i] >= 0.5) == churned {
			right++
		}
		q := p[i] // the probability given to what happened
		if churned {
			m.Positives++
		} else {
			q = 1 - q
		}
		m.LogLoss -= math.Log(math.Max(q, logLossClip))
		m.Brier += (1 - q) * (1 - q)
	}
	n := float64(len(y))
	m.Accuracy = float64(right) / n
	m.LogLoss /= n
	m.Brier /= n
	return m, nil
}

// AUC returns the area under the ROC curve by ranks (the Mann-Whitney
// statistic): the probability that a random churner scores above a random
// stayer, counting ties as half.
func AUC(y []bool, p []float64) (float64, error) {
	if err := checkScores(y, p); err != nil {
		return 0, err
	}
	pos := countTrue(y)
	neg := len(y) - pos
	if pos == 0 || neg == 0 {
		return 0, vernost.Invalid("target", "AUC needs both churners and stayers, got %d and %d", pos, neg)
	}
	order := make([]int, len(p))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmpFloat(p[a], p[b]) })
	// Sum the 1-based ranks of the churners, giving tied scores their mean rank.
	var rankSum float64
	for i := 0; i < len(order); {
		j := i
		for j < len(order) && p[order[j]] == p[order[i]] {
			j++
		}
		mid := float64(i+1+j) / 2 // mean of ranks i+1 … j
		for _, k := range order[i:j] {
			if y[k] {
				rankSum += mid
			}
		}
		i = j
	}
	np, nn := float64(pos), float64(neg)
	return (rankSum - np*(np+1)/2) / (np * nn), nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func checkScores(y []bool, p []float64) error {
	if len(y) != len(p) {
		return vernost.Invalid("scores", "%d outcomes for %d probabilities", len(y), len(p))
	}
	if len(y) == 0 {
		return vernost.Invalid("scores", "no rows")
	}
	for i, v := range p {
		if !(v >= 0 && v <= 1) {
			return vernost.Invalid("scores", "probability %d is %v, not in [0, 1]", i+1, v)
		}
	}
	return nil
}

// CalibrationBin is one group of rows with similar predicted risk.
type CalibrationBin struct {
	Rows          int     `json:"rows"`
	MinPredicted  float64 `json:"min_predicted"`
	MaxPredicted  float64 `json:"max_predicted"`
	MeanPredicted float64 `json:"mean_predicted"`
	Observed      float64 `json:"observed"` // share that churned
}

// Calibration sorts rows by predicted risk and cuts them into bins groups of
// (nearly) equal size, deciles for bins = 10. A calibrated model has
// MeanPredicted ≈ Observed in every bin. Fewer rows than bins gives one
// bin per row.
func Calibration(y []bool, p []float64, bins int) ([]CalibrationBin, error) {
	if err := checkScores(y, p); err != nil {
		return nil, err
	}
	if bins < 1 {
		return nil, vernost.Invalid("bins", "must be at least 1, got %d", bins)
	}
	bins = min(bins, len(p))
	order := make([]int, len(p))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(p[a], p[b]) })
	out := make([]CalibrationBin, bins)
	for b := range bins {
		group := order[b*len(p)/bins : (b+1)*len(p)/bins]
		bin := CalibrationBin{Rows: len(group), MinPredicted: p[group[0]], MaxPredicted: p[group[len(group)-1]]}
		for _, i := range group {
			bin.MeanPredicted += p[i]
			if y[i] {
				bin.Observed++
			}
		}
		bin.MeanPredicted /= float64(len(group))
		bin.Observed /= float64(len(group))
		out[b] = bin
	}
	return out, nil
}
