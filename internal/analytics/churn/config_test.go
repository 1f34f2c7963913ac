package churn

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/vernost/vernost"
)

func TestLabels(t *testing.T) {
	words := CategoricalColumn("churn", []string{"Yes", "no", "TRUE", "false", "1", " 0 "})
	nums := NumericColumn("churn", []float64{1, 0, 0})
	tests := []struct {
		name string
		col  Column
		want []bool
	}{
		{"words", words, []bool{true, false, true, false, true, false}},
		{"numbers", nums, []bool{true, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Labels(&Dataset{Columns: []Column{tt.col}}, "churn")
			if err != nil {
				t.Fatalf("Labels: %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Labels = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLabelsErrors(t *testing.T) {
	lines := []int{2, 3, 4}
	tests := []struct {
		name      string
		col       Column
		target    string
		wantField string
		wantMsg   string
	}{
		{"unknown word", CategoricalColumn("churn", []string{"Yes", "Maybe", "No"}), "churn", "line 3", `the value "Maybe" is not Yes/No`},
		{"blank word", CategoricalColumn("churn", []string{"Yes", "No", " "}), "churn", "line 4", "a blank is not"},
		{"number 2", NumericColumn("churn", []float64{1, 2, 0}), "churn", "line 3", "the value 2 is not"},
		{"blank number", NumericColumn("churn", []float64{math.NaN(), 1, 0}), "churn", "line 2", "a blank is not"},
		{"no such column", NumericColumn("churn", []float64{1, 0, 0}), "left", "target", `no column "left"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Labels(&Dataset{Columns: []Column{tt.col}, Lines: lines}, tt.target)
			if err == nil {
				t.Fatalf("Labels succeeded, want an error")
			}
			if got := vernost.ErrorField(err); got != tt.wantField {
				t.Errorf("field = %q, want %q (error %v)", got, tt.wantField, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error = %q, want it to contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestConfigFeatures(t *testing.T) {
	ds := &Dataset{Columns: []Column{
		CategoricalColumn("id", []string{"a", "b"}),
		NumericColumn("tenure", []float64{1, 2}),
		CategoricalColumn("churn", []string{"Yes", "No"}),
		CategoricalColumn("plan", []string{"x", "y"}),
		NumericColumn("internal", []float64{0, 0}),
	}}
	tests := []struct {
		name    string
		cfg     Config
		want    []int
		wantErr string
	}{
		{"all but target and id", Config{Target: "churn", ID: "id"}, []int{1, 3, 4}, ""},
		{"dropped", Config{Target: "churn", ID: "id", Drop: []string{"internal"}}, []int{1, 3}, ""},
		{"no target", Config{}, nil, "no target column"},
		{"unknown target", Config{Target: "left"}, nil, `no column "left"`},
		{"unknown id", Config{Target: "churn", ID: "customer"}, nil, `no column "customer"`},
		{"unknown drop", Config{Target: "churn", Drop: []string{"zip"}}, nil, `no column "zip"`},
		{"id is target", Config{Target: "churn", ID: "churn"}, nil, "already the target"},
		{"negative lambda", Config{Target: "churn", Lambda: -1}, nil, "lambda: must be a finite number"},
		{"NaN lambda", Config{Target: "churn", Lambda: math.NaN()}, nil, "lambda: must be a finite number"},
		{"nothing left", Config{Target: "churn", ID: "id", Drop: []string{"tenure", "plan", "internal"}}, nil, "no feature columns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.cfg.features(ds)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("features() error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("features(): %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("features() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckClasses(t *testing.T) {
	tests := []struct {
		y       []bool
		wantPos int
		wantErr string
	}{
		{[]bool{true, false, true}, 2, ""},
		{[]bool{false, false}, 0, "all 2 rows of churn stayed"},
		{nil, 0, "no rows"},
		{[]bool{true, true, true}, 0, "all 3 rows of churn churned"},
	}
	for _, tt := range tests {
		pos, err := checkClasses(tt.y, "churn")
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("checkClasses(%v) error = %v, want one containing %q", tt.y, err, tt.wantErr)
			}
			continue
		}
		if err != nil || pos != tt.wantPos {
			t.Errorf("checkClasses(%v) = %d, %v; want %d, nil", tt.y, pos, err, tt.wantPos)
		}
	}
}
