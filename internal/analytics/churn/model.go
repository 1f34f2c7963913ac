package churn

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"slices"

	"github.com/vernost/vernost"
)

// modelFormat names the model file layout; bump it when the layout changes.
const modelFormat = "vernost-churn-logistic/1"

// Model is a trained churn model: the feature coding and the weights, with
// enough metadata to read it back and explain it. It is saved as JSON.
type Model struct {
	Format     string  `json:"format"`
	Target     string  `json:"target"`
	ID         string  `json:"id,omitempty"`
	Lambda     float64 `json:"lambda"`
	Rows       int     `json:"rows"`
	Positives  int     `json:"positives"`
	Iterations int     `json:"iterations"`
	Encoder    Encoder `json:"encoder"`
	Intercept  float64 `json:"intercept"`
	// Features names each coefficient, for people reading the file; it must
	// match what the encoder produces.
	Features     []string  `json:"features"`
	Coefficients []float64 `json:"coefficients"`
}

// Train fits a model on every row of ds.
func Train(ds *Dataset, cfg Config) (*Model, error) {
	cols, err := cfg.features(ds)
	if err != nil {
		return nil, err
	}
	y, err := Labels(ds, cfg.Target)
	if err != nil {
		return nil, err
	}
	return train(ds, cols, y, cfg)
}

// train fits a model on ds, whose configuration is already checked.
func train(ds *Dataset, cols []int, y []bool, cfg Config) (*Model, error) {
	pos, err := checkClasses(y, cfg.Target)
	if err != nil {
		return nil, err
	}
	enc, err := fitEncoder(ds, cols, cfg.maxLevels())
	if err != nil {
		return nil, err
	}
	x, err := enc.transform(ds)
	if err != nil {
		return nil, err
	}
	yf := make([]float64, len(y))
	for i, v := range y {
		if v {
			yf[i] = 1
		}
	}
	names := enc.Features()
	fit, err := fitLogistic(x, yf, cfg.Lambda, cfg.maxIter())
	if err != nil {
		return nil, fitError(err, names, cfg)
	}
	return &Model{
		Format: modelFormat, Target: cfg.Target, ID: cfg.ID, Lambda: cfg.Lambda,
		Rows: len(y), Positives: pos, Iterations: fit.iterations,
		Encoder: *enc, Intercept: fit.intercept, Features: names, Coefficients: fit.weights,
	}, nil
}

// fitError explains why the weights could not be found, in the user's terms.
func fitError(err error, names []string, cfg Config) error {
	var se *singularError
	switch {
	case errors.As(err, &se) && se.separated:
		return vernost.Errorf(vernost.EInvalid, "cannot fit the model: the predicted probabilities reached 0 and 1, so the classes are (almost) perfectly separated by the features; use a larger lambda (now %v)", cfg.Lambda)
	case errors.As(err, &se) && se.feature >= 0:
		// Without a penalty the one-hot levels of every category sum to the
		// intercept, so this is what lambda 0 meets first.
		return vernost.Errorf(vernost.EInvalid, "cannot fit the model: singular design: feature %q is a linear combination of the intercept and the features before it; a penalty resolves this, use a larger lambda (now %v)", names[se.feature], cfg.Lambda)
	case errors.As(err, &se):
		return vernost.Errorf(vernost.EInvalid, "cannot fit the model: singular design: the intercept cannot be estimated")
	case errors.Is(err, errNoConvergence):
		return vernost.Errorf(vernost.EInvalid, "cannot fit the model: no convergence in %d Newton iterations; the classes may be separable, use a larger lambda (now %v)", cfg.maxIter(), cfg.Lambda)
	}
	return vernost.Internal(err)
}

// Predict returns each row's churn probability. ds must hold the model's
// feature columns; the target and any other columns are ignored.
func (m *Model) Predict(ds *Dataset) ([]float64, error) {
	x, err := m.design(ds)
	if err != nil {
		return nil, err
	}
	p := make([]float64, x.rows)
	for i := range p {
		p[i] = sigmoid(m.logit(x.row(i)))
	}
	return p, nil
}

func (m *Model) design(ds *Dataset) (matrix, error) {
	if err := ds.Validate(); err != nil {
		return matrix{}, err
	}
	return m.Encoder.transform(ds)
}

func (m *Model) logit(r []float64) float64 {
	return m.Intercept + dot(m.Coefficients, r)
}

// Kinds returns the kind of each column the model reads, to pass to ReadCSV
// so that scoring data is typed as the training data was.
func (m *Model) Kinds() map[string]Kind {
	k := make(map[string]Kind, len(m.Encoder.Columns))
	for _, c := range m.Encoder.Columns {
		k[c.Name] = c.Kind
	}
	return k
}

// WriteJSON saves the model.
func (m *Model) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return vernost.Internal(err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// ReadModel loads a model saved by WriteJSON and checks it is whole.
func ReadModel(r io.Reader) (*Model, error) {
	var m Model
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, vernost.Invalid("model", "not a churn model file: %v", err)
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

func (m *Model) validate() error {
	if m.Format != modelFormat {
		return vernost.Invalid("model", "format %q, want %q", m.Format, modelFormat)
	}
	if m.Target == "" {
		return vernost.Invalid("model", "no target column")
	}
	if err := m.Encoder.validate(); err != nil {
		return err
	}
	want := m.Encoder.Features()
	if !slices.Equal(m.Features, want) || len(m.Coefficients) != len(want) {
		return vernost.Invalid("model", "%d features and %d coefficients, the encoder codes %d", len(m.Features), len(m.Coefficients), len(want))
	}
	if !finite(m.Intercept, m.Lambda) || !finite(m.Coefficients...) {
		return vernost.Invalid("model", "coefficients must be finite numbers")
	}
	return nil
}

// FeatureWeight is one coefficient, explained.
type FeatureWeight struct {
	Feature string  `json:"feature"`
	Column  string  `json:"column"`
	Weight  float64 `json:"weight"`     // change in log-odds of churn per unit of the coded feature
	Odds    float64 `json:"odds_ratio"` // exp(Weight): the factor on the odds of churn
	// SD is the column's training standard deviation when the feature is a
	// standardised number (the weight is per SD), and 0 for a 0/1 feature.
	SD float64 `json:"sd,omitempty"`
}

// FeatureWeights lists the coefficients from the strongest to the weakest.
func (m *Model) FeatureWeights() []FeatureWeight {
	var out []FeatureWeight
	k := 0
	for _, c := range m.Encoder.Columns {
		for f := range c.width() {
			fw := FeatureWeight{Feature: m.Features[k], Column: c.Name, Weight: m.Coefficients[k]}
			fw.Odds = math.Exp(fw.Weight)
			if c.Kind == Numeric && f == 0 {
				fw.SD = c.SD
			}
			out = append(out, fw)
			k++
		}
	}
	slices.SortStableFunc(out, func(a, b FeatureWeight) int {
		return cmpFloat(math.Abs(b.Weight), math.Abs(a.Weight))
	})
	return out
}
