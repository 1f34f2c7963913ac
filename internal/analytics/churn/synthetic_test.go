package churn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Known effects behind customers(): log-odds of churn are
// truthIntercept + truthSpend·spend + truthPlan[plan].
const (
	truthIntercept = 0.5
	truthSpend     = 0.75 // per unit of spend, whose SD is 2
)

var truthPlan = map[string]float64{"basic": 0, "pro": -1, "gold": -2}

// customers returns n synthetic customers: an id, spend (5% blank), plan,
// and churn drawn from the logistic model above.
func customers(seed uint64, n int) *Dataset {
	rng := rand.New(rand.NewPCG(seed, 2))
	plans := []string{"basic", "pro", "gold"}
	ids := make([]string, n)
	spend := make([]float64, n)
	plan := make([]string, n)
	churn := make([]string, n)
	for i := range n {
		ids[i] = fmt.Sprintf("c%05d", i)
		s := 2 * rng.NormFloat64()
		plan[i] = plans[rng.IntN(len(plans))]
		eta := truthIntercept + truthSpend*s + truthPlan[plan[i]]
		churn[i] = "No"
		if rng.Float64() < sigmoid(eta) {
			churn[i] = "Yes"
		}
		spend[i] = s
		if rng.Float64() < 0.05 {
			spend[i] = math.NaN()
		}
	}
	return &Dataset{Columns: []Column{
		CategoricalColumn("id", ids),
		NumericColumn("spend", spend),
		CategoricalColumn("plan", plan),
		CategoricalColumn("churn", churn),
	}}
}

var customersConfig = Config{Target: "churn", ID: "id", Lambda: DefaultLambda}
