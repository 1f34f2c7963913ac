package churn

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/vernost/vernost"
)

func TestReadCSVTypes(t *testing.T) {
	in := "\uFEFFid, tenure ,plan,score,code,blank\n" +
		"a,1,basic, 2.5,0,\n" +
		"b,12,\"pro, yearly\", ,1,\n" +
		"c,3,basic,1e3,1,\n"
	ds, err := ReadCSV(strings.NewReader(in), CSVOptions{Kinds: map[string]Kind{"code": Categorical}})
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	wantKinds := map[string]Kind{"id": Categorical, "tenure": Numeric, "plan": Categorical, "score": Numeric, "code": Categorical, "blank": Numeric}
	for name, want := range wantKinds {
		c, ok := ds.Column(name)
		if !ok {
			t.Fatalf("no column %q (BOM or spaces not trimmed?)", name)
		}
		if c.Kind != want {
			t.Errorf("column %s kind = %v, want %v", name, c.Kind, want)
		}
	}
	score, _ := ds.Column("score")
	if score.Num[0] != 2.5 || !math.IsNaN(score.Num[1]) || score.Num[2] != 1000 {
		t.Errorf("score = %v, want [2.5 NaN 1000]", score.Num)
	}
	plan, _ := ds.Column("plan")
	if got, want := plan.Cat, []string{"basic", "pro, yearly", "basic"}; !slices.Equal(got, want) {
		t.Errorf("plan = %q, want %q", got, want)
	}
	code, _ := ds.Column("code")
	if got, want := code.Cat, []string{"0", "1", "1"}; !slices.Equal(got, want) {
		t.Errorf("forced categorical code = %q, want %q", got, want)
	}
	if got, want := ds.Lines, []int{2, 3, 4}; !slices.Equal(got, want) {
		t.Errorf("lines = %v, want %v", got, want)
	}
}

func TestReadCSVLineNumbersSpanQuotedNewlines(t *testing.T) {
	in := "id,note\n1,\"two\nlines\"\n2,x\n"
	ds, err := ReadCSV(strings.NewReader(in), CSVOptions{})
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	if got, want := ds.Lines, []int{2, 4}; !slices.Equal(got, want) {
		t.Errorf("lines = %v, want %v", got, want)
	}
}

func TestReadCSVNonFiniteIsText(t *testing.T) {
	// ParseFloat accepts "NaN" and "Inf"; a column holding them is not a
	// usable number, so it stays categorical rather than carrying infinities.
	ds, err := ReadCSV(strings.NewReader("a,b\n1,NaN\n2,Inf\n"), CSVOptions{})
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	if c, _ := ds.Column("b"); c.Kind != Categorical {
		t.Errorf("column b kind = %v, want categorical", c.Kind)
	}
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		kinds     map[string]Kind
		wantField string
		wantMsg   string
	}{
		{"empty", "", nil, "data", "no header"},
		{"header only", "a,b\n", nil, "data", "no data rows"},
		{"unnamed column", "a,,c\n1,2,3\n", nil, "line 1", "column 2 has no name"},
		{"duplicate column", "a,b,a\n1,2,3\n", nil, "line 1", `"a" appears twice`},
		{"short row", "a,b\n1,2\n3\n4,5\n", nil, "line 3", "1 fields, the header has 2"},
		{"long row", "a,b\n1,2\n3,4\n5,6,7\n", nil, "line 4", "3 fields, the header has 2"},
		{"bare quote", "a,b\n1,x\"y\n", nil, "line 2", "bare"},
		{"unterminated quote", "a,b\n1,\"open\n", nil, "line 2", "quote"},
		{"forced numeric", "a,b\n1,2\n3,x\n", map[string]Kind{"b": Numeric}, "line 3", `column b: "x" is not a number`},
		{"override unknown column", "a,b\n1,2\n", map[string]Kind{"c": Numeric}, "c", "no such column"},
		{"override bad kind", "a,b\n1,2\n", map[string]Kind{"a": 9}, "a", "unknown column kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tt.in), CSVOptions{Kinds: tt.kinds})
			if err == nil {
				t.Fatalf("ReadCSV succeeded, want an error")
			}
			if got := vernost.ErrorField(err); got != tt.wantField {
				t.Errorf("field = %q, want %q (error %v)", got, tt.wantField, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error = %q, want it to contain %q", err, tt.wantMsg)
			}
			if code := vernost.ErrorCode(err); code != vernost.EInvalid {
				t.Errorf("code = %q, want %q", code, vernost.EInvalid)
			}
		})
	}
}

// FuzzReadCSV checks that any input either fails with an invalid-input error
// or yields a valid Dataset; never a panic or an internal error.
func FuzzReadCSV(f *testing.F) {
	f.Add("id,tenure,plan,churn\n1,3,basic,Yes\n2, ,pro,No\n")
	f.Add("a,b\n1,\"x\ny\"\n")
	f.Add("\uFEFFa\n1e308\n-0\n")
	f.Add("a,b\n1\n")
	f.Fuzz(func(t *testing.T, in string) {
		ds, err := ReadCSV(strings.NewReader(in), CSVOptions{})
		if err != nil {
			if code := vernost.ErrorCode(err); code != vernost.EInvalid {
				t.Fatalf("error code %q for %q: %v", code, in, err)
			}
			return
		}
		if err := ds.Validate(); err != nil {
			t.Fatalf("ReadCSV returned an invalid dataset for %q: %v", in, err)
		}
		if ds.Rows() == 0 || len(ds.Lines) != ds.Rows() {
			t.Fatalf("rows %d with %d lines for %q", ds.Rows(), len(ds.Lines), in)
		}
	})
}
