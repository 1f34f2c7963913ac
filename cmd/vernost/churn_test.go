package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vernost/vernost/internal/repotest"
)

// writeChurnCSV writes a labelled file of n customers whose churn depends on
// tenure and plan, with ids that start with zeros and a few blank charges.
func writeChurnCSV(t *testing.T, n int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString("id,tenure,plan,charges,churned\n")
	plans := []string{"basic", "pro", "gold"}
	effect := map[string]float64{"basic": 0.8, "pro": 0, "gold": -0.8}
	for i := range n {
		tenure := rng.IntN(72)
		plan := plans[rng.IntN(3)]
		eta := 1 - 0.06*float64(tenure) + effect[plan]
		churned := "No"
		if rng.Float64() < 1/(1+math.Exp(-eta)) {
			churned = "Yes"
		}
		charges := strconv.FormatFloat(20+rng.Float64()*80, 'f', 2, 64)
		if i%50 == 7 {
			charges = " "
		}
		fmt.Fprintf(&b, "%04d,%d,%s,%s,%s\n", i, tenure, plan, charges, churned)
	}
	path := filepath.Join(t.TempDir(), "customers.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeChurnFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestChurnUsage(t *testing.T) {
	tests := []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"churn"}, 2, "usage: vernost churn SUBCOMMAND"},
		{[]string{"churn", "predict"}, 2, `unknown subcommand "predict"`},
		{[]string{"churn", "--help"}, 0, "evaluate"},
		{[]string{"churn", "evaluate", "--help"}, 0, "-folds"},
		{[]string{"churn", "score", "--bogus"}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, "", tt.args...)
		if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.wantCode, tt.wantErr)
		}
	}
}

func TestChurnEvaluate(t *testing.T) {
	data := writeChurnCSV(t, 600)
	code, stdout, stderr := runCLI(t, "", "churn", "evaluate", "--data", data, "--target", "churned", "--id", "id", "--folds", "3")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"600 rows", "3-fold", "mean", "calibration", "feature weights", "tenure", "plan=gold", "charges=(missing)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}

	code, stdout, stderr = runCLI(t, "", "churn", "evaluate", "--data", data, "--target", "churned", "--id", "id", "--folds", "3", "--json")
	if code != 0 {
		t.Fatalf("--json: exit %d, stderr %q", code, stderr)
	}
	var rep struct {
		Rows        int
		Folds       []struct{ AUC float64 }
		AUC         struct{ Mean float64 }
		Calibration []struct{ Rows int }
		Weights     []struct {
			Feature string
			Weight  float64
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, stdout)
	}
	// Tenure moves the log-odds by 4 over its range: the ranking is good.
	if rep.Rows != 600 || len(rep.Folds) != 3 || len(rep.Calibration) != 10 || rep.AUC.Mean < 0.75 || len(rep.Weights) == 0 {
		t.Errorf("report: rows %d, folds %d, bins %d, AUC %.3f, %d weights; want 600, 3, 10, ≥ 0.75, some",
			rep.Rows, len(rep.Folds), len(rep.Calibration), rep.AUC.Mean, len(rep.Weights))
	}
	if len(rep.Weights) > 0 && rep.Weights[0].Feature != "tenure" {
		t.Errorf("strongest weight is %s, want tenure", rep.Weights[0].Feature)
	}
}

func TestChurnTrainAndScore(t *testing.T) {
	data := writeChurnCSV(t, 400)
	model := filepath.Join(t.TempDir(), "model.json")
	code, stdout, stderr := runCLI(t, "", "churn", "train", "--data", data, "--target", "churned", "--id", "id", "--model", model)
	if code != 0 {
		t.Fatalf("train: exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "wrote "+model) {
		t.Errorf("train output lacks the model path:\n%s", stdout)
	}

	// Score new customers: no label column, an unseen plan, a blank tenure.
	fresh := writeChurnFile(t, "fresh.csv", "id,tenure,plan,charges\n0007,1,basic,50\n0008,70,gold,30\n0009,,platinum,\n")
	out := filepath.Join(t.TempDir(), "scores.csv")
	code, _, stderr = runCLI(t, "", "churn", "score", "--model", model, "--data", fresh, "--out", out)
	if code != 0 {
		t.Fatalf("score: exit %d, stderr %q", code, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("scores are not CSV: %v", err)
	}
	wantHeader := "id,churn_probability,reason_1,effect_1,reason_2,effect_2,reason_3,effect_3"
	if len(recs) != 4 || strings.Join(recs[0], ",") != wantHeader {
		t.Fatalf("scores = %q, want the header %q and 3 rows", recs, wantHeader)
	}
	prob := map[string]float64{}
	for _, r := range recs[1:] {
		p, err := strconv.ParseFloat(r[1], 64)
		if err != nil || p < 0 || p > 1 {
			t.Errorf("row %q: probability %q, want a number in [0, 1]", r, r[1])
		}
		prob[r[0]] = p
		if r[2] == "" || r[3] == "" {
			t.Errorf("row %q has no first reason", r)
		}
	}
	if _, ok := prob["0007"]; !ok {
		t.Errorf("ids %v lost their leading zeros", prob)
	}
	// A new basic customer is far riskier than a long-standing gold one.
	if prob["0007"] <= prob["0008"] {
		t.Errorf("P(churn) new basic %.3f ≤ long gold %.3f; want higher", prob["0007"], prob["0008"])
	}
	if !strings.Contains(strings.Join(recs[3], ","), "tenure=(missing)") {
		t.Errorf("row with blank tenure = %q, want a tenure=(missing) reason", recs[3])
	}

	// To standard output, with one reason.
	code, stdout, stderr = runCLI(t, "", "churn", "score", "--model", model, "--data", fresh, "--top", "1")
	if code != 0 || !strings.HasPrefix(stdout, "id,churn_probability,reason_1,effect_1\n0007,") {
		t.Errorf("score --top 1: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestChurnBadInput(t *testing.T) {
	good := writeChurnCSV(t, 100)
	ragged := writeChurnFile(t, "ragged.csv", "id,tenure,churned\n1,3,Yes\n2,5,No\n3,Yes\n")
	badLabel := writeChurnFile(t, "label.csv", "id,tenure,churned\n1,3,Yes\n2,5,No\n3,4,Maybe\n")
	oneClass := writeChurnFile(t, "one.csv", "id,tenure,churned\n1,3,No\n2,5,No\n3,4,No\n")
	badModel := writeChurnFile(t, "model.json", `{"format":"something else"}`)
	noTenure := writeChurnFile(t, "notenure.csv", "id,plan,charges\n1,basic,3\n")
	model := filepath.Join(t.TempDir(), "m.json")
	if code, _, stderr := runCLI(t, "", "churn", "train", "--data", good, "--target", "churned", "--id", "id", "--model", model); code != 0 {
		t.Fatalf("train: exit %d, %s", code, stderr)
	}
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no data flag", []string{"evaluate", "--target", "churned"}, "--data: required"},
		{"no target flag", []string{"evaluate", "--data", good}, "--target: required"},
		{"missing file", []string{"evaluate", "--data", "/nonexistent.csv", "--target", "churned"}, "no such file"},
		{"ragged row", []string{"evaluate", "--data", ragged, "--target", "churned", "--id", "id"}, "line 4: 2 fields, the header has 3"},
		{"bad label", []string{"evaluate", "--data", badLabel, "--target", "churned", "--id", "id"}, `line 4: target churned: the value "Maybe"`},
		{"one class", []string{"train", "--data", oneClass, "--target", "churned", "--id", "id", "--model", model + ".x"}, "needs both classes"},
		{"unknown drop", []string{"evaluate", "--data", good, "--target", "churned", "--drop", "zip"}, `drop: no column "zip"`},
		{"id as a feature", []string{"evaluate", "--data", good, "--target", "churned", "--categorical", "id", "--max-levels", "50"}, "id: 100 distinct values"},
		{"singular", []string{"evaluate", "--data", good, "--target", "churned", "--id", "id", "--lambda", "0"}, "singular design"},
		{"one fold", []string{"evaluate", "--data", good, "--target", "churned", "--id", "id", "--folds", "1"}, "folds: must be at least 2"},
		{"both kinds", []string{"evaluate", "--data", good, "--target", "churned", "--numeric", "plan", "--categorical", "plan"}, "also listed in --numeric"},
		{"forced numeric", []string{"evaluate", "--data", good, "--target", "churned", "--numeric", "plan"}, `column plan: "`},
		{"bad model", []string{"score", "--model", badModel, "--data", good}, `format "something else"`},
		{"scoring data lacks a column", []string{"score", "--model", model, "--data", noTenure}, "tenure: no such column"},
		{"no model flag", []string{"score", "--data", good}, "--model: required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", append([]string{"churn"}, tt.args...)...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (invalid input); stderr %q", code, stderr)
			}
			if !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.wantErr)
			}
			if strings.Contains(stdout+stderr, "NaN") {
				t.Errorf("output mentions NaN: %q %q", stdout, stderr)
			}
		})
	}
}

// TestChurnEvaluateTelco runs the acceptance command on the public
// Telco data: 5-fold mean ROC-AUC of at least 0.84.
func TestChurnEvaluateTelco(t *testing.T) {
	path := churnTelcoPath(t)
	code, stdout, stderr := runCLI(t, "", "churn", "evaluate", "--data", path, "--target", "Churn", "--id", "customerID", "--folds", "5", "--json")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var rep struct {
		Rows int
		AUC  struct{ Mean float64 }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if rep.Rows != 7043 || rep.AUC.Mean < 0.84 {
		t.Errorf("rows %d, mean AUC %.4f; want 7043 and ≥ 0.84", rep.Rows, rep.AUC.Mean)
	}
}

// churnTelcoPath is the public Telco churn file beside the repository.
func churnTelcoPath(t *testing.T) string {
	return repotest.SharedData(t, "telco-churn", "Telco-Customer-Churn.csv")
}
