package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/cheggaaa/pb/v3"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/importer"
)

func init() {
	register(command{Name: "import", Summary: "import customers from CSV or JSON Lines", Run: runImport})
}

func runImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "import", "import customers FILE [flags]")
	dsn := dbFlag(fs, env)
	format := fs.String("format", "", "csv or jsonl (default: by the file's extension)")
	encoding := fs.String("encoding", "", "utf-8, windows-1251, koi8-r, ibm866, utf-16le, utf-16be (default: detected)")
	delim := fs.String("delimiter", "", `field separator: "," ";" "tab" "|" (default: detected)`)
	mapping := fs.String("map", "", `column overrides, e.g. "Моб.=phone,Примечание=-" ("-" ignores a column)`)
	system := fs.String("external-system", "import", "system of external ids given without a system: prefix")
	overwrite := fs.Bool("overwrite", false, "let rows replace fields a card already holds (default: fill blanks only)")
	rejects := fs.String("rejects", "", "write rejected rows here (default: FILE.rejects.csv when any row is rejected)")
	batch := fs.Int("batch", 0, "rows per transaction (default 50000): larger ones load a large base faster, and hold the database's one writer longer")
	quiet := fs.Bool("quiet", false, "no progress bar")
	if len(args) == 0 || args[0] != "customers" {
		fs.Usage()
		return errUsage
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	if os.Getenv("GOGC") == "" {
		// A load's live heap is a few tens of megabytes while it allocates
		// gigabytes of short-lived rows and statement arguments: collecting
		// at five times the live heap instead of twice spends a fifth less
		// CPU on a million rows for about 70 MB more memory.
		debug.SetGCPercent(400)
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	opt := importer.Options{Format: *format, Encoding: *encoding, Source: filepath.Base(path), ExternalSystem: *system,
		Overwrite: *overwrite, Size: st.Size(), BatchSize: *batch}
	if opt.Format == "" {
		opt.Format = "csv"
		if ext := strings.ToLower(filepath.Ext(path)); ext == ".jsonl" || ext == ".ndjson" {
			opt.Format = "jsonl"
		}
	}
	switch *delim {
	case "":
	case "tab", `\t`:
		opt.Delimiter = '\t'
	default:
		if len([]rune(*delim)) != 1 {
			return vernost.Invalid("delimiter", "must be one character or tab")
		}
		opt.Delimiter = []rune(*delim)[0]
	}
	if *mapping != "" {
		if opt.Mapping, err = importer.ParseMapping(*mapping); err != nil {
			return vernost.Invalid("map", "%s", err.Error())
		}
	}
	rejectPath := *rejects
	if rejectPath == "" {
		rejectPath = path + ".rejects.csv"
	}
	rf, err := os.CreateTemp(filepath.Dir(rejectPath), ".rejects-*")
	if err != nil {
		return err
	}
	defer os.Remove(rf.Name())
	opt.Rejects = rf

	var bar *pb.ProgressBar
	var in io.Reader = f
	if !*quiet {
		// The bar follows the reading, a batch ahead of the writing: the
		// importer reports progress only as often as it commits.
		bar = pb.New64(st.Size()).Set(pb.Bytes, true).SetWriter(env.Stderr).Start()
		in = bar.NewProxyReader(f)
	}
	s, err := openServices(ctx, env, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := importer.Run(vernost.WithActor(ctx, cliActor(env)), s.customer, s.audit, in, opt)
	if bar != nil {
		bar.SetCurrent(st.Size())
		bar.Finish()
	}
	if rep != nil {
		printReport(env.Stdout, rep)
	}
	if cerr := rf.Close(); err == nil {
		err = cerr
	}
	if rep != nil && rep.Rejected > 0 {
		if rerr := os.Rename(rf.Name(), rejectPath); rerr != nil {
			return rerr
		}
		fmt.Fprintf(env.Stdout, "rejected rows written to %s\n", rejectPath)
	}
	return err
}

func printReport(w io.Writer, rep *importer.Report) {
	fmt.Fprintf(w, "rows %d: created %d, updated %d, unchanged %d, rejected %d in %s (%.0f rows/s)\n",
		rep.Rows, rep.Created, rep.Updated, rep.Unchanged, rep.Rejected, rep.Duration.Round(1e6),
		float64(rep.Rows)/max(rep.Duration.Seconds(), 1e-9))
	if rep.Encoding != "" {
		fmt.Fprintf(w, "file: %s, delimiter %q\n", rep.Encoding, rep.Delimiter)
	}
	for col, field := range rep.Columns {
		fmt.Fprintf(w, "  column %q → %s\n", col, field)
	}
	if len(rep.Ignored) > 0 {
		fmt.Fprintf(w, "  ignored columns: %s\n", strings.Join(rep.Ignored, ", "))
	}
	for i, r := range rep.Rejects {
		if i == 10 {
			fmt.Fprintf(w, "  … and %d more rejected rows\n", rep.Rejected-10)
			break
		}
		fmt.Fprintf(w, "  line %d: %s\n", r.Line, r.Reason)
	}
}
