package churn

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/vernost/vernost"
)

func weightOf(t *testing.T, m *Model, feature string) float64 {
	t.Helper()
	k := slices.Index(m.Features, feature)
	if k < 0 {
		t.Fatalf("no feature %q in %q", feature, m.Features)
	}
	return m.Coefficients[k]
}

// TestTrainRecoversEffects fits 8000 synthetic customers and compares the
// weights with the effects that generated them. Standard errors are near
// 0.03 (spend) and 0.07 (plan differences); tolerances are about three.
func TestTrainRecoversEffects(t *testing.T) {
	m, err := Train(customers(3, 8000), customersConfig)
	if err != nil {
		t.Fatalf("Train: %v", err)
	}
	spend := m.Encoder.Columns[0]
	perUnit := weightOf(t, m, "spend") / spend.SD
	if !near(perUnit, truthSpend, 0.08) {
		t.Errorf("spend weight per unit = %.3f, want %.2f ± 0.08", perUnit, truthSpend)
	}
	basic := weightOf(t, m, "plan=basic")
	for _, plan := range []string{"pro", "gold"} {
		got := weightOf(t, m, "plan="+plan) - basic
		if want := truthPlan[plan] - truthPlan["basic"]; !near(got, want, 0.2) {
			t.Errorf("plan %s vs basic = %.3f, want %.1f ± 0.2", plan, got, want)
		}
	}
	if m.Rows != 8000 || m.Positives == 0 || m.Iterations == 0 || m.ID != "id" {
		t.Errorf("metadata rows=%d positives=%d iterations=%d id=%q", m.Rows, m.Positives, m.Iterations, m.ID)
	}
	if slices.Contains(m.Features, "id") || slices.ContainsFunc(m.Features, func(f string) bool { return strings.HasPrefix(f, "churn") }) {
		t.Errorf("features %q include the id or the target", m.Features)
	}
}

func TestTrainErrors(t *testing.T) {
	good := customers(1, 300)
	oneClass := customers(1, 300)
	target, _ := oneClass.Column("churn")
	for i := range target.Cat {
		target.Cat[i] = "No"
	}
	separable := &Dataset{Columns: []Column{
		NumericColumn("calls", []float64{0, 1, 2, 8, 9, 10}),
		CategoricalColumn("churn", []string{"No", "No", "No", "Yes", "Yes", "Yes"}),
	}}
	tests := []struct {
		name string
		ds   *Dataset
		cfg  Config
		want string
	}{
		{"single class", oneClass, customersConfig, "all 300 rows of churn stayed: a churn model needs both classes"},
		{"singular without penalty", good, Config{Target: "churn", ID: "id"}, `singular design: feature "plan=pro" is a linear combination`},
		{"separated", separable, Config{Target: "churn"}, "perfectly separated"},
		{"identifier as a feature", good, Config{Target: "churn", Lambda: 1}, "id: 300 distinct values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Train(tt.ds, tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Train error = %v, want one containing %q", err, tt.want)
			}
			if code := vernost.ErrorCode(err); code != vernost.EInvalid {
				t.Errorf("code = %q, want %q", code, vernost.EInvalid)
			}
			if strings.Contains(err.Error(), "NaN") {
				t.Errorf("error mentions NaN: %v", err)
			}
		})
	}
}

func TestModelRoundTrip(t *testing.T) {
	ds := customers(2, 500)
	m, err := Train(ds, customersConfig)
	if err != nil {
		t.Fatalf("Train: %v", err)
	}
	var buf bytes.Buffer
	if err := m.WriteJSON(&buf); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	back, err := ReadModel(&buf)
	if err != nil {
		t.Fatalf("ReadModel: %v", err)
	}
	want, _ := m.Predict(ds)
	got, err := back.Predict(ds)
	if err != nil {
		t.Fatalf("Predict with the read model: %v", err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("predictions differ after a JSON round trip")
	}
	if got, want := back.Kinds(), map[string]Kind{"spend": Numeric, "plan": Categorical}; len(got) != len(want) || got["spend"] != Numeric || got["plan"] != Categorical {
		t.Errorf("Kinds = %v, want %v", got, want)
	}
}

func TestReadModelErrors(t *testing.T) {
	m, err := Train(customers(2, 300), customersConfig)
	if err != nil {
		t.Fatalf("Train: %v", err)
	}
	var buf bytes.Buffer
	if err := m.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	edit := func(f func(map[string]any)) string {
		var g map[string]any
		if err := json.Unmarshal([]byte(good), &g); err != nil {
			t.Fatal(err)
		}
		f(g)
		b, _ := json.Marshal(g)
		return string(b)
	}
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"not JSON", "{", "not a churn model file"},
		{"truncated", good[:len(good)/2], "not a churn model file"},
		{"unknown field", edit(func(g map[string]any) { g["extra"] = 1 }), "unknown field"},
		{"other format", edit(func(g map[string]any) { g["format"] = "sklearn" }), `format "sklearn"`},
		{"no target", edit(func(g map[string]any) { g["target"] = "" }), "no target"},
		{"coefficient missing", edit(func(g map[string]any) {
			c := g["coefficients"].([]any)
			g["coefficients"] = c[:len(c)-1]
		}), "coefficients, the encoder codes"},
		{"feature renamed", edit(func(g map[string]any) { g["features"].([]any)[0] = "x" }), "the encoder codes"},
		{"zero SD", edit(func(g map[string]any) {
			g["encoder"].(map[string]any)["columns"].([]any)[0].(map[string]any)["sd"] = 0
		}), "bad numeric coding"},
		{"unknown kind", edit(func(g map[string]any) {
			g["encoder"].(map[string]any)["columns"].([]any)[1].(map[string]any)["kind"] = "ordinal"
		}), "unknown column kind"},
		{"levels without rates", edit(func(g map[string]any) {
			g["encoder"].(map[string]any)["columns"].([]any)[1].(map[string]any)["level_rates"] = []float64{1}
		}), "bad levels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadModel(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ReadModel error = %v, want one containing %q", err, tt.want)
			}
			if vernost.ErrorCode(err) != vernost.EInvalid {
				t.Errorf("code = %q, want invalid", vernost.ErrorCode(err))
			}
		})
	}
}

func TestFeatureWeights(t *testing.T) {
	m, err := Train(customers(4, 2000), customersConfig)
	if err != nil {
		t.Fatalf("Train: %v", err)
	}
	fw := m.FeatureWeights()
	if len(fw) != len(m.Coefficients) {
		t.Fatalf("%d weights explained, want %d", len(fw), len(m.Coefficients))
	}
	for i, w := range fw {
		if i > 0 && math.Abs(w.Weight) > math.Abs(fw[i-1].Weight) {
			t.Errorf("weight %d (%s %.3f) is larger than the one before it (%.3f)", i, w.Feature, w.Weight, fw[i-1].Weight)
		}
		if !near(w.Odds, math.Exp(w.Weight), 1e-12) {
			t.Errorf("%s: odds ratio %v, want exp(%v)", w.Feature, w.Odds, w.Weight)
		}
		if w.Weight != weightOf(t, m, w.Feature) {
			t.Errorf("%s: weight %v, model has %v", w.Feature, w.Weight, weightOf(t, m, w.Feature))
		}
		wantSD := w.Feature == "spend"
		if (w.SD > 0) != wantSD {
			t.Errorf("%s: SD = %v; want it set only for the standardised number", w.Feature, w.SD)
		}
	}
	if fw[0].Feature != "spend" {
		t.Errorf("strongest feature = %s, want spend (1.5 per SD against plan effects of ±1)", fw[0].Feature)
	}
}

func TestScoreReasons(t *testing.T) {
	m, err := Train(customers(5, 1000), customersConfig)
	if err != nil {
		t.Fatalf("Train: %v", err)
	}
	rows := &Dataset{Columns: []Column{
		NumericColumn("spend", []float64{4, math.NaN(), -1}),
		CategoricalColumn("plan", []string{"gold", "basic", "platinum"}), // platinum: never seen
	}}
	all, err := m.Score(rows, 10)
	if err != nil {
		t.Fatalf("Score: %v", err)
	}
	probs, _ := m.Predict(rows)
	// The average customer's log-odds: every coded feature at its training mean.
	base := m.Intercept + dot(m.Coefficients, m.Encoder.means())
	for i, s := range all {
		if s.Probability != probs[i] {
			t.Errorf("row %d: Score probability %v, Predict %v", i, s.Probability, probs[i])
		}
		if len(s.Reasons) != 2 {
			t.Fatalf("row %d: %d reasons, want one per column (2)", i, len(s.Reasons))
		}
		sum := base
		for _, r := range s.Reasons {
			sum += r.Effect
		}
		if got := logit(s.Probability); !near(sum, got, 1e-9) {
			t.Errorf("row %d: baseline + effects = %v, want the row's log-odds %v (±1e-9)", i, sum, got)
		}
		if math.Abs(s.Reasons[0].Effect) < math.Abs(s.Reasons[1].Effect) {
			t.Errorf("row %d: reasons not ordered by size: %+v", i, s.Reasons)
		}
	}
	values := map[string]bool{}
	for _, s := range all {
		for _, r := range s.Reasons {
			values[r.Column+"="+r.Value] = true
		}
	}
	for _, want := range []string{"spend=4", "spend=(missing)", "plan=platinum", "plan=gold"} {
		if !values[want] {
			t.Errorf("no reason shows %s; got %v", want, values)
		}
	}
	top, _ := m.Score(rows, 1)
	if len(top[0].Reasons) != 1 || top[0].Reasons[0] != all[0].Reasons[0] {
		t.Errorf("top 1 reason = %+v, want %+v", top[0].Reasons, all[0].Reasons[:1])
	}
	if _, err := m.Score(&Dataset{Columns: []Column{NumericColumn("spend", []float64{1})}}, 3); err == nil || !strings.Contains(err.Error(), "plan: column missing") {
		t.Errorf("Score without the plan column: error = %v, want it named", err)
	}
}

// FuzzReadModel checks that a model file either fails as invalid input or
// loads into a model that scores a row without panicking or returning NaN.
func FuzzReadModel(f *testing.F) {
	m, err := Train(customers(2, 300), customersConfig)
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.WriteJSON(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.String())
	f.Add(`{"format":"vernost-churn-logistic/1","target":"t","encoder":{"columns":[{"name":"a","kind":"numeric","sd":1}]},"features":["a"],"coefficients":[1]}`)
	f.Fuzz(func(t *testing.T, in string) {
		m, err := ReadModel(strings.NewReader(in))
		if err != nil {
			if vernost.ErrorCode(err) != vernost.EInvalid {
				t.Fatalf("error code %q: %v", vernost.ErrorCode(err), err)
			}
			return
		}
		row := &Dataset{}
		for name, kind := range m.Kinds() {
			if kind == Numeric {
				row.Columns = append(row.Columns, NumericColumn(name, []float64{1.5, math.NaN()}))
			} else {
				row.Columns = append(row.Columns, CategoricalColumn(name, []string{"x", ""}))
			}
		}
		scores, err := m.Score(row, 3)
		if err != nil {
			t.Fatalf("Score on the model's own columns: %v", err)
		}
		for _, s := range scores {
			if !(s.Probability >= 0 && s.Probability <= 1) {
				t.Fatalf("probability %v from model %q", s.Probability, in)
			}
		}
	})
}
