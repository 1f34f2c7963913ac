package main

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vernost/vernost/internal/repotest"

	"github.com/vernost/vernost/internal/analytics/clv"
)

// cdnowSamplePath is the CDNOW sample beside the repository.
func cdnowSamplePath(t *testing.T) string {
	return repotest.SharedData(t, "cdnow", "CDNOW_sample.txt")
}

// TestCLVFitJSON fits the CDNOW sample from the CLI and checks the published
// BG/NBD and Gamma-Gamma estimates (Fader, Hardie and Lee 2005; Fader and
// Hardie 2013) to the precision they are published with.
func TestCLVFitJSON(t *testing.T) {
	path := cdnowSamplePath(t)
	code, out, errOut := runCLI(t, "", "clv", "fit", "--transactions", path, "--format", "cdnow-sample", "--calibration-end", "1997-09-30", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Customers int
		Purchases struct {
			Model         string
			LogLikelihood float64 `json:"log_likelihood"`
			Params        []struct {
				Name      string
				Value, SE float64
			}
		}
		Spend struct {
			Params []struct {
				Name      string
				Value, SE float64
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if got.Customers != 2357 || got.Purchases.Model != "BG/NBD" || math.Abs(got.Purchases.LogLikelihood+9582.4) > 0.05 {
		t.Errorf("got %d customers, model %q, LL %.2f; want 2357, BG/NBD, -9582.4", got.Customers, got.Purchases.Model, got.Purchases.LogLikelihood)
	}
	want := map[string]float64{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "p": 6.25, "q": 3.74, "gamma": 15.44}
	params := append(got.Purchases.Params, got.Spend.Params...)
	if len(params) != 7 {
		t.Fatalf("got %d parameters, want 7: %s", len(params), out)
	}
	for _, p := range params {
		if math.Abs(p.Value-want[p.Name]) > 0.005 {
			t.Errorf("%s = %.4f, want %g ± 0.005", p.Name, p.Value, want[p.Name])
		}
	}
}

func TestCLVFitText(t *testing.T) {
	path := cdnowSamplePath(t)
	code, out, errOut := runCLI(t, "", "clv", "fit", "--transactions", path, "--format", "cdnow-sample", "--calibration-end", "1997-09-30", "--model", "paretonbd")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"Pareto/NBD (2357 customers", "log-likelihood -9594.98", "Gamma-Gamma (946 customers", "std. error"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "NaN") {
		t.Errorf("output shows NaN:\n%s", out)
	}
}

func TestCLVPredictWritesOneRowPerCustomer(t *testing.T) {
	path := cdnowSamplePath(t)
	outFile := filepath.Join(t.TempDir(), "predictions.csv")
	code, _, errOut := runCLI(t, "", "clv", "predict", "--transactions", path, "--format", "cdnow-sample",
		"--calibration-end", "1997-09-30", "--horizon", "39w", "--discount", "0", "--out", outFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	f, err := os.Open(outFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := "customer_id,frequency,recency,T,p_alive,expected_purchases,expected_avg_spend,clv"
	if len(rows) != 2358 || strings.Join(rows[0], ",") != header {
		t.Fatalf("got %d rows with header %v, want 2,357 customers under %s", len(rows), rows[0], header)
	}
	// Customer 1 is the BG/NBD paper's example (x=2, t_x=30.43, T=38.86):
	// 1.226 expected purchases in 39 weeks; undiscounted CLV = purchases × spend.
	first := rows[1]
	num := func(i int) float64 { v, _ := strconv.ParseFloat(first[i], 64); return v }
	if first[0] != "1" || math.Abs(num(5)-1.226) > 0.0005 || math.Abs(num(7)-num(5)*num(6)) > 1e-3 {
		t.Errorf("customer 1: got %v, want id 1, 1.226 ± 0.0005 purchases, clv = purchases × spend", first)
	}
}

func TestCLVReportsBadInput(t *testing.T) {
	tests := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"bad row", "customer_id,date,amount\na,2024-01-01,1\nb,2024-02-30,2\n", nil, "line 3: date \"2024-02-30\""},
		{"too few repeat buyers", "customer_id,date,amount\na,2024-01-01,1\nb,2024-01-02,2\na,2024-01-09,3\n", nil, "only 1 of 2 customers made a repeat purchase"},
		{"unknown model", "customer_id,date,amount\na,2024-01-01,1\n", []string{"--model", "nbd"}, "unknown model"},
		{"bad calibration date", "customer_id,date,amount\na,2024-01-01,1\n", []string{"--calibration-end", "soon"}, "calibration-end"},
		{"bad format", "", []string{"--format", "xls"}, "unknown transaction format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"clv", "fit", "--transactions", "-"}, tt.args...)
			code, out, errOut := runCLI(t, tt.stdin, args...)
			if code != 2 || !strings.Contains(errOut, tt.want) || strings.Contains(out+errOut, "NaN") {
				t.Errorf("exit %d, stderr %q; want exit 2 and a message containing %q", code, errOut, tt.want)
			}
		})
	}
	if code, _, errOut := runCLI(t, "", "clv", "predict", "--transactions", "-", "--horizon", "soon"); code != 2 {
		t.Errorf("bad horizon: exit %d (%s), want 2", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", "clv"); code != 2 || !strings.Contains(errOut, "usage: vernost clv") {
		t.Errorf("no subcommand: exit %d, stderr %q; want 2 and the usage", code, errOut)
	}
}

func TestParseHorizon(t *testing.T) {
	tests := []struct {
		in   string
		unit float64
		want float64
	}{
		{"52w", 7, 52}, {"52w", 1, 364}, {"365d", 7, 365.0 / 7}, {"39", 7, 39}, {"0", 1, 0},
	}
	for _, tt := range tests {
		got, err := parseHorizon(tt.in, clv.Unit(tt.unit))
		if err != nil || math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("parseHorizon(%q, %g days) = %g, %v; want %g", tt.in, tt.unit, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "w", "-3w", "NaN", "1e9"} {
		if _, err := parseHorizon(bad, 7); err == nil {
			t.Errorf("parseHorizon(%q): got no error", bad)
		}
	}
}
