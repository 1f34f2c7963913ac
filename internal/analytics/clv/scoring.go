package clv

import (
	"context"
	"fmt"
)

// purchaseScore is what the purchase model predicts for one history.
type purchaseScore struct {
	pAlive     float64
	purchases  float64 // expected purchases in the horizon
	discounted float64 // discounted sum of the expected purchases per period
}

// closedFormProbAlive marks models whose P(alive) is a closed form, cheaper
// to evaluate than to look up in a table of histories.
type closedFormProbAlive interface{ probAliveIsClosedForm() }

func (BGNBD) probAliveIsClosedForm() {}

// historyKey is a whole history (x, t_x, T).
type historyKey struct {
	x     int
	tx, T float64
}

// scorer scores the histories of one worker, remembering what customers
// share: the purchase curve of each (x, T) for a factored model, and the
// whole score of each (x, t_x, T) unless P(alive) is cheaper to recompute.
// Day-grained data has few distinct ages and recencies: a million customers
// of one to two years have some thousands of (x, T) and some hundred
// thousand (x, t_x, T).
type scorer struct {
	pm        PurchaseModel
	factored  factoredModel // pm, when its purchase curve does not depend on t_x
	times     []float64     // period ends t_1..t_K
	discounts []float64     // their discount factors
	curve     []float64     // scratch: expected purchases to each period end

	ifAlive   ageTable                     // purchases and discounted sum if alive at T, by (x, T)
	histories map[historyKey]purchaseScore // nil when P(alive) is cheap
}

func newScorer(pm PurchaseModel, times, discounts []float64) *scorer {
	s := &scorer{pm: pm, times: times, discounts: discounts, curve: make([]float64, len(times))}
	s.factored, _ = pm.(factoredModel)
	if _, cheap := pm.(closedFormProbAlive); !cheap || s.factored == nil {
		s.histories = map[historyKey]purchaseScore{}
	}
	return s
}

// score returns the score of history (x, t_x, T).
func (s *scorer) score(x int, tx, T float64) (purchaseScore, error) {
	if s.histories != nil {
		if score, ok := s.histories[historyKey{x, tx, T}]; ok {
			return score, nil
		}
	}
	var score purchaseScore
	var err error
	if s.factored != nil {
		score, err = s.scoreFactored(x, tx, T)
	} else {
		score, err = s.scoreHistory(x, tx, T)
	}
	if err != nil {
		return score, fmt.Errorf("customer history x=%d t_x=%g T=%g: %w", x, tx, T, err)
	}
	if s.histories != nil {
		s.histories[historyKey{x, tx, T}] = score
	}
	return score, nil
}

// scoreFactored scores a history of a factored model. P(alive) is a common
// factor of every period's expected purchases, so the discounted sum of
// their increments is P(alive) times that of the curve if alive.
func (s *scorer) scoreFactored(x int, tx, T float64) (purchaseScore, error) {
	slot, found := s.ifAlive.find(x, T)
	if !found {
		if err := s.factored.purchasesIfAliveCurve(s.times, x, T, s.curve); err != nil {
			return purchaseScore{}, err
		}
		var ifAlive purchaseScore
		prev := 0.0
		for k, cum := range s.curve {
			ifAlive.discounted += (cum - prev) * s.discounts[k]
			prev = cum
		}
		ifAlive.purchases = prev
		slot = s.ifAlive.insert(x, T, ifAlive)
	}
	ifAlive := slot.score
	pAlive, err := s.pm.ProbAlive(x, tx, T)
	if err != nil {
		return purchaseScore{}, err
	}
	return purchaseScore{pAlive, ifAlive.purchases * pAlive, ifAlive.discounted * pAlive}, nil
}

// scoreHistory scores a history of a model that does not factor, one period
// end at a time.
func (s *scorer) scoreHistory(x int, tx, T float64) (purchaseScore, error) {
	var score purchaseScore
	var err error
	if score.pAlive, err = s.pm.ProbAlive(x, tx, T); err != nil {
		return score, err
	}
	prev := 0.0
	for k, t := range s.times {
		cum, err := s.pm.ExpectedPurchases(t, x, tx, T)
		if err != nil {
			return score, err
		}
		score.discounted += (cum - prev) * s.discounts[k]
		prev = cum
	}
	score.purchases = prev
	return score, nil
}

// predictRange fills out[lo:hi] with the predictions for cs[lo:hi], in input
// order: reading the customers and writing the predictions sequentially is
// most of the cost once the curves are shared.
func (s *scorer) predictRange(ctx context.Context, spend GammaGamma, margin float64, cs []Customer, out []Prediction, lo, hi int) error {
	for i := lo; i < hi; i++ {
		if (i-lo)%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		c := &cs[i]
		score, err := s.score(c.Frequency, c.Recency, c.T)
		if err != nil {
			return err
		}
		m, err := spend.ExpectedSpend(c.Frequency, c.Monetary)
		if err != nil {
			return err
		}
		p := &out[i]
		p.Customer = *c
		p.PAlive, p.ExpectedPurchases, p.ExpectedSpend = score.pAlive, score.purchases, m
		p.CLV = margin * m * score.discounted
	}
	return nil
}
