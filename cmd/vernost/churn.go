package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/analytics/churn"
)

func init() {
	register(command{Name: "churn", Summary: "churn risk: evaluate, train and score a model", Run: runChurn})
}

const churnUsage = `usage: vernost churn SUBCOMMAND [flags]

  evaluate  cross-validate a model on a labelled CSV file and explain its weights
  train     fit a model on a labelled CSV file and save it as JSON
  score     write each customer's churn probability and its top reasons

Run vernost churn SUBCOMMAND --help for its flags.
`

func runChurn(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, churnUsage)
		return errUsage
	}
	switch args[0] {
	case "evaluate":
		return runChurnEvaluate(env, args[1:])
	case "train":
		return runChurnTrain(env, args[1:])
	case "score":
		return runChurnScore(env, args[1:])
	case "-h", "--help", "help":
		fmt.Fprint(env.Stderr, churnUsage)
		return flag.ErrHelp
	}
	fmt.Fprintf(env.Stderr, "vernost churn: unknown subcommand %q\n\n%s", args[0], churnUsage)
	return errUsage
}

// churnDataFlags are the flags that say how to read a labelled file and
// what to learn from it; evaluate and train share them.
type churnDataFlags struct {
	data, target, id           string
	categorical, numeric, drop string
	lambda                     float64
	maxLevels                  int
}

func (f *churnDataFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", "", "CSV file with a header line (required)")
	fs.StringVar(&f.target, "target", "", "column saying who churned: Yes/No, 1/0 or true/false (required)")
	fs.StringVar(&f.id, "id", "", "customer id column, never used as a feature")
	fs.StringVar(&f.categorical, "categorical", "", "comma-separated columns to read as categories even if numeric (e.g. 0/1 codes)")
	fs.StringVar(&f.numeric, "numeric", "", "comma-separated columns that must be numeric (a non-number is then an error)")
	fs.StringVar(&f.drop, "drop", "", "comma-separated columns to leave out of the model")
	fs.Float64Var(&f.lambda, "lambda", churn.DefaultLambda, "L2 penalty on the standardised weights (0 = none)")
	fs.IntVar(&f.maxLevels, "max-levels", 100, "most distinct values a categorical column may have")
}

func (f *churnDataFlags) config() churn.Config {
	return churn.Config{
		Target: f.target, ID: f.id, Drop: churnList(f.drop),
		Lambda: f.lambda, MaxLevels: f.maxLevels,
	}
}

// read checks the required flags and reads the data file.
func (f *churnDataFlags) read() (*churn.Dataset, error) {
	if f.data == "" {
		return nil, vernost.Invalid("--data", "required: the CSV file to learn from")
	}
	if f.target == "" {
		return nil, vernost.Invalid("--target", "required: the column saying who churned")
	}
	if f.maxLevels < 1 {
		return nil, vernost.Invalid("--max-levels", "must be at least 1, got %d", f.maxLevels)
	}
	kinds := map[string]churn.Kind{}
	for _, c := range churnList(f.numeric) {
		kinds[c] = churn.Numeric
	}
	for _, c := range churnList(f.categorical) {
		if kinds[c] == churn.Numeric {
			return nil, vernost.Invalid("--categorical", "column %s is also listed in --numeric", c)
		}
		kinds[c] = churn.Categorical
	}
	return readChurnCSV(f.data, kinds)
}

func readChurnCSV(path string, kinds map[string]churn.Kind) (*churn.Dataset, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, vernost.Invalid("--data", "%v", err)
	}
	defer file.Close()
	ds, err := churn.ReadCSV(bufio.NewReader(file), churn.CSVOptions{Kinds: kinds})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ds, nil
}

func churnList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// evaluateReport is what evaluate prints with --json.
type evaluateReport struct {
	*churn.CVReport
	Lambda  float64               `json:"lambda"`
	Seed    uint64                `json:"seed"`
	Weights []churn.FeatureWeight `json:"weights"`
}

func runChurnEvaluate(env *Env, args []string) error {
	fs := newFlags(env, "churn evaluate", "churn evaluate --data FILE.csv --target COLUMN [--id COLUMN] [--folds 5] [--json]")
	var df churnDataFlags
	df.register(fs)
	folds := fs.Int("folds", 5, "number of stratified cross-validation folds")
	seed := fs.Uint64("seed", 1, "seed for assigning rows to folds")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ds, err := df.read()
	if err != nil {
		return err
	}
	cfg := df.config()
	rep, err := churn.CrossValidate(ds, cfg, *folds, *seed)
	if err != nil {
		return fmt.Errorf("%s: %w", df.data, err)
	}
	// The weights worth explaining are those of the model one would deploy:
	// fitted on every row.
	model, err := churn.Train(ds, cfg)
	if err != nil {
		return fmt.Errorf("%s: %w", df.data, err)
	}
	if *asJSON {
		return churnJSON(env.Stdout, evaluateReport{CVReport: rep, Lambda: cfg.Lambda, Seed: *seed, Weights: model.FeatureWeights()})
	}

	w := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(env.Stdout, "%s: %d rows, %d churned (%.1f%%), %d feature columns coded as %d features\n",
		df.data, rep.Rows, rep.Positives, 100*float64(rep.Positives)/float64(rep.Rows), rep.Columns, rep.Features)
	fmt.Fprintf(env.Stdout, "logistic regression, L2 lambda %g, %d-fold stratified cross-validation (seed %d)\n\n", cfg.Lambda, *folds, *seed)
	fmt.Fprintln(w, "fold\ttrain\ttest\tchurned\tAUC\taccuracy\tlog loss\tBrier\t")
	for _, f := range rep.Folds {
		fmt.Fprintf(w, "%d\t%d\t%d\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t\n", f.Fold, f.TrainRows, f.Rows, f.Positives, f.AUC, f.Accuracy, f.LogLoss, f.Brier)
	}
	fmt.Fprintf(w, "mean\t\t\t\t%.4f\t%.4f\t%.4f\t%.4f\t\n", rep.AUC.Mean, rep.Accuracy.Mean, rep.LogLoss.Mean, rep.Brier.Mean)
	fmt.Fprintf(w, "sd\t\t\t\t%.4f\t%.4f\t%.4f\t%.4f\t\n", rep.AUC.SD, rep.Accuracy.SD, rep.LogLoss.SD, rep.Brier.SD)
	w.Flush()

	fmt.Fprintln(env.Stdout, "\ncalibration: out-of-fold predictions in deciles of predicted risk")
	fmt.Fprintln(w, "decile\trows\tpredicted\tobserved\t")
	for i, b := range rep.Calibration {
		fmt.Fprintf(w, "%d\t%d\t%.3f\t%.3f\t\n", i+1, b.Rows, b.MeanPredicted, b.Observed)
	}
	w.Flush()

	fmt.Fprintln(env.Stdout)
	writeChurnWeights(env.Stdout, model)
	return nil
}

// writeChurnWeights lists the model's weights, strongest first, with what
// one unit of each feature means.
func writeChurnWeights(out io.Writer, m *churn.Model) {
	fmt.Fprintf(out, "feature weights (model fitted on all %d rows), strongest first:\n", m.Rows)
	fmt.Fprintln(out, "(log-odds of churn per SD for numbers; for a category's level, against the mean of its levels)")
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "feature\tweight\todds ratio\tunit")
	for _, fw := range m.FeatureWeights() {
		unit := "level"
		if fw.SD > 0 {
			unit = "per SD = " + strconv.FormatFloat(fw.SD, 'g', 4, 64)
		}
		fmt.Fprintf(w, "%s\t%+.3f\t%.3f\t%s\n", fw.Feature, fw.Weight, fw.Odds, unit)
	}
	w.Flush()
}

func churnJSON(out io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return vernost.Internal(err)
	}
	_, err = out.Write(append(b, '\n'))
	return err
}

func runChurnTrain(env *Env, args []string) error {
	fs := newFlags(env, "churn train", "churn train --data FILE.csv --target COLUMN [--id COLUMN] --model FILE.json")
	var df churnDataFlags
	df.register(fs)
	modelPath := fs.String("model", "", "where to write the model (JSON; required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *modelPath == "" {
		return vernost.Invalid("--model", "required: where to write the model")
	}
	ds, err := df.read()
	if err != nil {
		return err
	}
	m, err := churn.Train(ds, df.config())
	if err != nil {
		return fmt.Errorf("%s: %w", df.data, err)
	}
	var buf strings.Builder
	if err := m.WriteJSON(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(*modelPath, []byte(buf.String()), 0o644); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	fmt.Fprintf(env.Stdout, "wrote %s: %d rows, %d churned, %d features, %d Newton iterations\n\n",
		*modelPath, m.Rows, m.Positives, len(m.Features), m.Iterations)
	writeChurnWeights(env.Stdout, m)
	return nil
}

func runChurnScore(env *Env, args []string) error {
	fs := newFlags(env, "churn score", "churn score --model FILE.json --data FILE.csv [--id COLUMN] [--out FILE.csv]")
	modelPath := fs.String("model", "", "model written by churn train (required)")
	data := fs.String("data", "", "CSV file of customers to score (required)")
	id := fs.String("id", "", "customer id column (default: the one the model was trained with)")
	outPath := fs.String("out", "", "write the scores here instead of to standard output")
	top := fs.Int("top", 3, "number of reasons to give per customer")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *modelPath == "":
		return vernost.Invalid("--model", "required: the model written by churn train")
	case *data == "":
		return vernost.Invalid("--data", "required: the CSV file of customers to score")
	case *top < 0:
		return vernost.Invalid("--top", "must not be negative, got %d", *top)
	}
	m, err := readChurnModel(*modelPath)
	if err != nil {
		return err
	}
	if *id == "" {
		*id = m.ID
	}
	if *id == "" {
		return vernost.Invalid("--id", "required: the model was trained without an id column")
	}
	// Read the features as the model was trained, and the id as text so
	// that leading zeros survive.
	kinds := m.Kinds()
	kinds[*id] = churn.Categorical
	ds, err := readChurnCSV(*data, kinds)
	if err != nil {
		return err
	}
	ids, _ := ds.Column(*id) // present: ReadCSV checked the kinds' columns
	scores, err := m.Score(ds, *top)
	if err != nil {
		return fmt.Errorf("%s: %w", *data, err)
	}

	out := env.Stdout
	var file *os.File
	if *outPath != "" {
		if file, err = os.Create(*outPath); err != nil {
			return fmt.Errorf("create output: %w", err)
		}
		defer file.Close()
		out = file
	}
	bw := bufio.NewWriter(out)
	cw := csv.NewWriter(bw)
	header := []string{"id", "churn_probability"}
	for k := range *top {
		header = append(header, fmt.Sprintf("reason_%d", k+1), fmt.Sprintf("effect_%d", k+1))
	}
	cw.Write(header)
	rec := make([]string, 0, len(header))
	for i, s := range scores {
		rec = append(rec[:0], ids.Cat[i], strconv.FormatFloat(s.Probability, 'f', 4, 64))
		for k := range *top {
			if k < len(s.Reasons) {
				r := s.Reasons[k]
				rec = append(rec, r.Column+"="+r.Value, strconv.FormatFloat(r.Effect, 'f', 3, 64))
			} else {
				rec = append(rec, "", "")
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write scores: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write scores: %w", err)
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return fmt.Errorf("write scores: %w", err)
		}
		fmt.Fprintf(env.Stderr, "wrote %d scores to %s\n", len(scores), *outPath)
	}
	return nil
}

func readChurnModel(path string) (*churn.Model, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, vernost.Invalid("--model", "%v", err)
	}
	defer file.Close()
	m, err := churn.ReadModel(bufio.NewReader(file))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
