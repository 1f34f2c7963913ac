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
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/analytics/clv"
)

func init() {
	register(command{Name: "clv", Summary: "customer lifetime value: fit BG/NBD or Pareto/NBD with Gamma-Gamma, predict per customer", Run: runCLV})
}

const clvUsage = `usage: vernost clv SUBCOMMAND [flags]

  fit      fit the purchase and spend models to a transaction log and print them
  predict  write P(alive), expected purchases, expected spend and CLV per customer

Run vernost clv SUBCOMMAND --help for its flags.
`

func runCLV(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, clvUsage)
		return errUsage
	}
	switch args[0] {
	case "fit":
		return runCLVFit(ctx, env, args[1:])
	case "predict":
		return runCLVPredict(ctx, env, args[1:])
	case "-h", "--help", "help":
		fmt.Fprint(env.Stderr, clvUsage)
		return flag.ErrHelp
	}
	fmt.Fprintf(env.Stderr, "vernost clv: unknown subcommand %q\n\n%s", args[0], clvUsage)
	return errUsage
}

// clvInputFlags say where the transactions are and how to summarize them;
// fit and predict share them.
type clvInputFlags struct {
	transactions, format, calibrationEnd, model, unit string
}

func (f *clvInputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.transactions, "transactions", "", "transaction log `file` (required; - for standard input)")
	fs.StringVar(&f.format, "format", "csv", "log format: csv (customer_id,date,amount header), cdnow-master or cdnow-sample")
	fs.StringVar(&f.calibrationEnd, "calibration-end", "", "last `date` (YYYY-MM-DD) of the calibration period; later purchases form the holdout (default: the last date in the log)")
	fs.StringVar(&f.model, "model", "bgnbd", "purchase model: bgnbd or paretonbd")
	fs.StringVar(&f.unit, "unit", "week", "time unit of the model: week or day")
}

// clvFitted is everything fit and predict need from the log.
type clvFitted struct {
	customers []clv.Customer
	unit      clv.Unit
	purchases clv.PurchaseModel
	purchase  clv.FitResult
	spendM    clv.GammaGamma
	spend     clv.FitResult
}

func (f *clvInputFlags) fit(ctx context.Context, env *Env) (*clvFitted, error) {
	if f.transactions == "" {
		return nil, vernost.Invalid("transactions", "required: the transaction log to read")
	}
	format, err := clv.ParseFormat(f.format)
	if err != nil {
		return nil, err
	}
	unit, err := clv.ParseUnit(f.unit)
	if err != nil {
		return nil, err
	}
	opt := clv.SummaryOptions{Unit: unit}
	if f.calibrationEnd != "" {
		if opt.CalibrationEnd, err = time.Parse("2006-01-02", f.calibrationEnd); err != nil {
			return nil, vernost.Invalid("calibration-end", "%q is not a YYYY-MM-DD date", f.calibrationEnd)
		}
	}
	txs, err := readCLVTransactions(env, f.transactions, format)
	if err != nil {
		return nil, err
	}
	out := &clvFitted{unit: unit}
	if out.customers, err = clv.Summarize(txs, opt); err != nil {
		return nil, err
	}
	switch f.model {
	case "bgnbd":
		m, fit, err := clv.FitBGNBD(ctx, out.customers)
		if err != nil {
			return nil, err
		}
		out.purchases, out.purchase = m, fit
	case "paretonbd":
		m, fit, err := clv.FitParetoNBD(ctx, out.customers)
		if err != nil {
			return nil, err
		}
		out.purchases, out.purchase = m, fit
	default:
		return nil, vernost.Invalid("model", "unknown model %q: want bgnbd or paretonbd", f.model)
	}
	if out.spendM, out.spend, err = clv.FitGammaGamma(ctx, out.customers); err != nil {
		return nil, err
	}
	return out, nil
}

func readCLVTransactions(env *Env, path string, format clv.Format) ([]clv.Transaction, error) {
	if path == "-" {
		return clv.ReadTransactions(bufio.NewReader(env.Stdin), format)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, vernost.Invalid("transactions", "cannot open %s: %v", path, err)
	}
	defer f.Close()
	txs, err := clv.ReadTransactions(bufio.NewReader(f), format)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return txs, nil
}

func runCLVFit(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "clv fit", "clv fit --transactions FILE [--format csv|cdnow-master|cdnow-sample] [--calibration-end DATE] [--model bgnbd|paretonbd] [--unit week|day] [--json]")
	var in clvInputFlags
	in.register(fs)
	asJSON := fs.Bool("json", false, "print the fit as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fitted, err := in.fit(ctx, env)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Unit      string        `json:"unit"`
			Customers int           `json:"customers"`
			Purchases clv.FitResult `json:"purchases"`
			Spend     clv.FitResult `json:"spend"`
		}{in.unit, len(fitted.customers), fitted.purchase, fitted.spend})
	}
	fmt.Fprintf(env.Stdout, "%d customers, time unit %s\n", len(fitted.customers), in.unit)
	for _, fit := range []clv.FitResult{fitted.purchase, fitted.spend} {
		fmt.Fprintf(env.Stdout, "\n%s (%d customers, %d iterations)\n", fit.Model, fit.Customers, fit.Iterations)
		tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "parameter\testimate\tstd. error\t")
		for _, p := range fit.Params {
			fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t\n", p.Name, p.Value, p.SE)
		}
		tw.Flush()
		fmt.Fprintf(env.Stdout, "log-likelihood %.2f\n", fit.LogLikelihood)
	}
	return nil
}

func runCLVPredict(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "clv predict", "clv predict --transactions FILE [input flags as for clv fit] [--horizon 52w] [--discount 0.01] [--margin 1] [--out FILE]")
	var in clvInputFlags
	in.register(fs)
	horizon := fs.String("horizon", "52w", "prediction horizon: a number of time units, or with a suffix d or w (365d, 52w)")
	discount := fs.Float64("discount", 0.01, "discount rate per time unit (per week with --unit week)")
	margin := fs.Float64("margin", 1, "share of spend that is profit, applied to CLV")
	outPath := fs.String("out", "-", "predictions CSV `file` (- for standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fitted, err := in.fit(ctx, env)
	if err != nil {
		return err
	}
	h, err := parseHorizon(*horizon, fitted.unit)
	if err != nil {
		return err
	}
	preds, err := clv.Predict(ctx, fitted.purchases, fitted.spendM, fitted.customers, clv.PredictOptions{Horizon: h, Discount: *discount, Margin: *margin})
	if err != nil {
		return err
	}
	if *outPath == "-" {
		return writeCLVPredictions(env.Stdout, preds)
	}
	f, err := os.Create(*outPath)
	if err != nil {
		return vernost.Invalid("out", "cannot create %s: %v", *outPath, err)
	}
	if err := writeCLVPredictions(f, preds); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return vernost.Internal(fmt.Errorf("write %s: %w", *outPath, err))
	}
	fmt.Fprintf(env.Stderr, "wrote %d predictions to %s\n", len(preds), *outPath)
	return nil
}

// parseHorizon reads "52w", "365d" or a bare number of time units.
func parseHorizon(s string, unit clv.Unit) (float64, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	days := 0.0
	switch {
	case strings.HasSuffix(s, "w"):
		days = 7
	case strings.HasSuffix(s, "d"):
		days = 1
	}
	num := s
	if days > 0 {
		num = s[:len(s)-1]
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || !(v >= 0) || v > 1e5 {
		return 0, vernost.Invalid("horizon", "%q: want a non-negative length such as 52w, 365d or 39", s)
	}
	if days > 0 {
		v = v * days / float64(unit)
	}
	return v, nil
}

func writeCLVPredictions(out io.Writer, preds []clv.Prediction) error {
	w := csv.NewWriter(out)
	w.Write([]string{"customer_id", "frequency", "recency", "T", "p_alive", "expected_purchases", "expected_avg_spend", "clv"})
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }
	for _, p := range preds {
		w.Write([]string{p.ID, strconv.Itoa(p.Frequency), num(p.Recency), num(p.T), num(p.PAlive),
			num(p.ExpectedPurchases), num(p.ExpectedSpend), num(p.CLV)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return vernost.Internal(fmt.Errorf("write predictions: %w", err))
	}
	return nil
}
