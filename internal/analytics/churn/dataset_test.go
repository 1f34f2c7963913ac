package churn

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/vernost/vernost"
)

func TestDatasetValidate(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name    string
		ds      Dataset
		wantErr string // "" for valid; else a substring of the message
	}{
		{"valid with missing values", Dataset{Columns: []Column{
			NumericColumn("a", []float64{1, nan}), CategoricalColumn("b", []string{"x", ""})}}, ""},
		{"no columns", Dataset{}, "no columns"},
		{"unnamed", Dataset{Columns: []Column{NumericColumn("", []float64{1})}}, "has no name"},
		{"duplicate name", Dataset{Columns: []Column{
			NumericColumn("a", []float64{1}), CategoricalColumn("a", []string{"x"})}}, "used twice"},
		{"ragged", Dataset{Columns: []Column{
			NumericColumn("a", []float64{1, 2}), NumericColumn("b", []float64{1})}}, "has 1 rows"},
		{"bad kind", Dataset{Columns: []Column{{Name: "a", Kind: 7}}}, "unknown column kind"},
		{"infinite", Dataset{Columns: []Column{NumericColumn("a", []float64{1, math.Inf(1)})}, Lines: []int{2, 5}}, "line 5: column a: infinite"},
		{"lines mismatch", Dataset{Columns: []Column{NumericColumn("a", []float64{1})}, Lines: []int{2, 3}}, "2 line numbers for 1 rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.ds.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.wantErr)
			}
			if code := vernost.ErrorCode(err); code != vernost.EInvalid {
				t.Errorf("code = %q, want %q", code, vernost.EInvalid)
			}
		})
	}
}

func TestDatasetSubset(t *testing.T) {
	ds := &Dataset{
		Columns: []Column{NumericColumn("n", []float64{10, 20, 30}), CategoricalColumn("c", []string{"a", "b", "c"})},
		Lines:   []int{2, 3, 4},
	}
	sub := ds.Subset([]int{2, 0})
	if got, want := sub.Columns[0].Num, []float64{30, 10}; !slices.Equal(got, want) {
		t.Errorf("numeric = %v, want %v", got, want)
	}
	if got, want := sub.Columns[1].Cat, []string{"c", "a"}; !slices.Equal(got, want) {
		t.Errorf("categorical = %v, want %v", got, want)
	}
	if got, want := sub.Lines, []int{4, 2}; !slices.Equal(got, want) {
		t.Errorf("lines = %v, want %v", got, want)
	}
	sub.Columns[0].Num[0] = -1
	if ds.Columns[0].Num[2] != 30 {
		t.Errorf("Subset shares storage with the original")
	}
}

func TestKindText(t *testing.T) {
	for _, k := range []Kind{Numeric, Categorical} {
		b, err := k.MarshalText()
		if err != nil {
			t.Fatalf("MarshalText(%v): %v", k, err)
		}
		var got Kind
		if err := got.UnmarshalText(b); err != nil || got != k {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", b, got, err, k)
		}
	}
	var k Kind
	if err := k.UnmarshalText([]byte("ordinal")); err == nil {
		t.Errorf("UnmarshalText(ordinal) succeeded, want an error")
	}
	if _, err := Kind(0).MarshalText(); err == nil {
		t.Errorf("MarshalText(0) succeeded, want an error")
	}
}
