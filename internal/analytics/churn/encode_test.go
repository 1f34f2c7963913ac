package churn

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const tol = 1e-12 // for exact arithmetic on small numbers

func near(a, b, eps float64) bool { return math.Abs(a-b) <= eps }

func TestEncoderNumeric(t *testing.T) {
	nan := math.NaN()
	train := &Dataset{Columns: []Column{
		NumericColumn("spend", []float64{1, nan, 3, 10}), // median of {1,3,10} = 3
		NumericColumn("age", []float64{20, 30, 40, 50}),  // no blanks: no indicator
		NumericColumn("flat", []float64{5, 5, 5, 5}),     // constant: codes to 0
	}}
	enc, err := fitEncoder(train, []int{0, 1, 2}, 100)
	if err != nil {
		t.Fatalf("fitEncoder: %v", err)
	}
	if got, want := enc.Features(), []string{"spend", "spend=(missing)", "age", "flat"}; !slices.Equal(got, want) {
		t.Fatalf("Features = %q, want %q", got, want)
	}
	spend := enc.Columns[0]
	// Imputed column {1,3,3,10}: mean 4.25, population variance 11.6875.
	if !near(spend.Median, 3, tol) || !near(spend.Mean, 4.25, tol) || !near(spend.SD, math.Sqrt(11.6875), tol) || spend.MissingRate != 0.25 {
		t.Errorf("spend coding = %+v, want median 3, mean 4.25, sd √11.6875, missing 0.25", spend)
	}
	if enc.Columns[2].SD != 1 {
		t.Errorf("constant column SD = %v, want the fallback 1", enc.Columns[2].SD)
	}

	score := &Dataset{Columns: []Column{
		NumericColumn("age", []float64{35, nan}), // order differs from training; blank with no indicator
		NumericColumn("spend", []float64{nan, 8.25}),
		NumericColumn("flat", []float64{5, 9}),
	}}
	x, err := enc.transform(score)
	if err != nil {
		t.Fatalf("transform: %v", err)
	}
	sd := math.Sqrt(11.6875)
	ageSD := math.Sqrt(125)
	want := [][]float64{
		{(3 - 4.25) / sd, 1, 0, 0},
		{4 / sd, 0, 0, 4}, // a missing age imputes the median 35 = mean → 0
	}
	for i, w := range want {
		for j := range w {
			if !near(x.row(i)[j], w[j], 1e-12) {
				t.Errorf("row %d = %v, want %v", i, x.row(i), w)
				break
			}
		}
	}
	if enc.Columns[1].SD != ageSD {
		t.Errorf("age SD = %v, want %v", enc.Columns[1].SD, ageSD)
	}
}

func TestEncoderCategorical(t *testing.T) {
	train := &Dataset{Columns: []Column{CategoricalColumn("plan", []string{"pro", "basic", "", "basic"})}}
	enc, err := fitEncoder(train, []int{0}, 100)
	if err != nil {
		t.Fatalf("fitEncoder: %v", err)
	}
	if got, want := enc.Features(), []string{"plan=(missing)", "plan=basic", "plan=pro"}; !slices.Equal(got, want) {
		t.Fatalf("Features = %q, want %q", got, want)
	}
	if got, want := enc.means(), []float64{0.25, 0.5, 0.25}; !slices.Equal(got, want) {
		t.Errorf("means = %v, want %v", got, want)
	}
	x, err := enc.transform(&Dataset{Columns: []Column{CategoricalColumn("plan", []string{"pro", "gold", ""})}})
	if err != nil {
		t.Fatalf("transform: %v", err)
	}
	want := [][]float64{{0, 0, 1}, {0, 0, 0}, {1, 0, 0}} // unseen "gold" → all zeros
	for i, w := range want {
		if got := x.row(i); !slices.Equal(got, w) {
			t.Errorf("row %d = %v, want %v", i, got, w)
		}
	}
}

// TestEncoderNoLeakage checks that rows outside the training set do not
// move the coding: the validation rows below would shift the median, the
// mean and add a level if they leaked in.
func TestEncoderNoLeakage(t *testing.T) {
	ds := &Dataset{Columns: []Column{
		NumericColumn("spend", []float64{1, 2, 3, 1000, 2000}),
		CategoricalColumn("plan", []string{"a", "b", "a", "new", "new"}),
	}}
	trainOnly, err := fitEncoder(ds.Subset([]int{0, 1, 2}), []int{0, 1}, 100)
	if err != nil {
		t.Fatalf("fitEncoder: %v", err)
	}
	if c := trainOnly.Columns[0]; c.Median != 2 || c.Mean != 2 {
		t.Errorf("spend median, mean = %v, %v; want 2, 2 from the training rows alone", c.Median, c.Mean)
	}
	if got, want := trainOnly.Columns[1].Levels, []string{"a", "b"}; !slices.Equal(got, want) {
		t.Errorf("levels = %q, want %q", got, want)
	}
}

func TestEncoderErrors(t *testing.T) {
	ids := make([]string, 6)
	for i := range ids {
		ids[i] = string(rune('a' + i))
	}
	_, err := fitEncoder(&Dataset{Columns: []Column{CategoricalColumn("customer", ids)}}, []int{0}, 5)
	if err == nil || !strings.Contains(err.Error(), "customer: 6 distinct values, more than the 5 allowed") {
		t.Errorf("fitEncoder on an identifier: error = %v, want one about 6 distinct values", err)
	}

	// A numeric column with one typo is read as text; the error points at it.
	charges := make([]string, 40)
	lines := make([]int, 40)
	for i := range charges {
		charges[i] = strconv.Itoa(10 * i)
		lines[i] = i + 2
	}
	charges[5] = "12,50"
	typo := &Dataset{Columns: []Column{CategoricalColumn("charges", charges)}, Lines: lines}
	_, err = fitEncoder(typo, []int{0}, 20)
	if err == nil || !strings.Contains(err.Error(), `charges: 40 distinct values, too many for a category; the column is mostly numbers but line 7 holds "12,50"`) {
		t.Errorf("fitEncoder on numbers with a typo: error = %v, want it to point at line 7", err)
	}

	enc := &Encoder{Columns: []ColumnCode{{Name: "spend", Kind: Numeric, SD: 1}}}
	tests := []struct {
		name string
		ds   *Dataset
		want string
	}{
		{"missing column", &Dataset{Columns: []Column{NumericColumn("age", []float64{1})}}, "spend: column missing"},
		{"wrong kind", &Dataset{Columns: []Column{CategoricalColumn("spend", []string{"x"})}}, "spend: the model reads it as numeric, the data has it categorical"},
	}
	for _, tt := range tests {
		if _, err := enc.transform(tt.ds); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: transform error = %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}
