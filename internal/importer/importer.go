// Package importer loads customers from files that older systems export:
// CSV in UTF-8 or Windows-1251 with `,` or `;`, or JSON Lines. Every good row
// is imported, every bad one is reported with its line number and reason,
// rows sharing an identity become one customer, and running the same file
// again changes nothing.
package importer

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/tabular"
)

// Options describe one import.
type Options struct {
	Format         string            // "csv" (default) or "jsonl"
	Encoding       string            // "" detects
	Delimiter      rune              // 0 detects
	Mapping        map[string]string // column title → field, overriding the guess; "-" ignores a column
	Source         string            // the file's name, shown on timelines and in the audit log
	Overwrite      bool              // rows replace fields a card already holds (default: fill blanks only)
	ExternalSystem string            // system of external ids without a "system:" prefix; default "import"
	BatchSize      int               // rows per transaction; default 50,000 (see Loader)
	Rejects        io.Writer         // optional CSV of rejected rows: line, reason, then the row as read
	Progress       func(Progress)    // optional, called after every commit, outside the transaction
	Size           int64             // the file's size if known, for progress
}

// Progress is how far an import has come.
type Progress struct {
	Rows      int   `json:"rows"`
	Created   int   `json:"created"`
	Updated   int   `json:"updated"`
	Unchanged int   `json:"unchanged"`
	Rejected  int   `json:"rejected"`
	Bytes     int64 `json:"bytes"`
	Size      int64 `json:"size"`
}

// Reject is one rejected row.
type Reject struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Report is the result of an import.
type Report struct {
	Progress
	Encoding  string            `json:"encoding,omitempty"`
	Delimiter string            `json:"delimiter,omitempty"`
	Columns   map[string]string `json:"columns"`           // column title → field it filled
	Ignored   []string          `json:"ignored,omitempty"` // columns nothing was taken from
	Rejects   []Reject          `json:"rejects"`           // the first maxRejectsKept
	Duration  time.Duration     `json:"duration_ns"`
}

const maxRejectsKept = 1000

// Store is what an import needs of the customer service.
type Store interface {
	NewValidator(ctx context.Context) (*customer.Validator, error)
	NewLoader(opt customer.BatchOptions) *customer.Loader
	RefreshStatistics(ctx context.Context) error
}

// DefaultBatchSize is how many rows an import commits at once. Each commit
// writes every index page its rows touched, which at a million cards is
// nearly a page per row and index for a small transaction; a larger one
// holds the database's one writer longer (about a second at this size).
const DefaultBatchSize = 50_000

// handOver is how many rows the reading goroutine hands to the writing one
// at a time: enough to make one query find the owners of all their
// identities, few enough to keep both busy.
const handOver = 2000

// analyzeAfter is how many written rows make an import refresh the
// planner's statistics when it ends.
const analyzeAfter = 10_000

// Auditor records the import as one audit entry.
type Auditor interface {
	Record(ctx context.Context, tx *sqldb.Tx, action, objectType, objectID, detail string) error
}

// row is a record on its way to the database.
type row struct {
	line  int
	raw   []string
	valid *customer.Valid
}

// Run imports r. The returned error is for the import as a whole (an
// unreadable file, a database failure); row problems are in the report.
func Run(ctx context.Context, store Store, audit Auditor, r io.Reader, opt Options) (*Report, error) {
	start := time.Now()
	if opt.BatchSize <= 0 {
		opt.BatchSize = DefaultBatchSize
	}
	chunk := min(opt.BatchSize, handOver)
	if opt.ExternalSystem == "" {
		opt.ExternalSystem = "import"
	}
	validator, err := store.NewValidator(ctx)
	if err != nil {
		return nil, err
	}
	counter := &countingReader{r: r}
	src, err := openSource(counter, opt)
	if err != nil {
		return nil, err
	}
	rep := &Report{Rejects: []Reject{}}
	rep.Encoding, rep.Delimiter = src.encoding(), src.delimiter()
	rep.Size = opt.Size
	var rejects *csv.Writer
	if opt.Rejects != nil {
		rejects = csv.NewWriter(opt.Rejects)
		_ = rejects.Write(append([]string{"line", "reason"}, src.header()...))
	}
	reject := func(line int, raw []string, reason string) {
		rep.Rejected++
		if len(rep.Rejects) < maxRejectsKept {
			rep.Rejects = append(rep.Rejects, Reject{Line: line, Reason: reason})
		}
		if rejects != nil {
			_ = rejects.Write(append([]string{fmt.Sprint(line), reason}, raw...))
		}
	}

	// Reading and validating run on one goroutine, writing on another: the
	// two halves of the work overlap on two cores. Rejections found while
	// reading travel with the batch so the report stays in file order.
	type batch struct {
		rows    []row
		rejects []Reject
		raws    [][]string
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, 1) // one batch read ahead keeps both cores busy; more only costs memory
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		var b batch
		flush := func() bool {
			select {
			case batches <- b:
				b = batch{}
				return true
			case <-ctx.Done():
				return false
			}
		}
		for {
			rec, err := src.next()
			if errors.Is(err, io.EOF) {
				break
			}
			var le *tabular.LineError
			if errors.As(err, &le) {
				b.rejects, b.raws = append(b.rejects, Reject{Line: le.Line, Reason: le.Reason}), append(b.raws, nil)
				continue
			}
			if err != nil {
				readErr <- err
				return
			}
			in := toInput(rec.values, opt.ExternalSystem)
			v, err := validator.Check(in)
			switch {
			case err != nil:
				b.rejects, b.raws = append(b.rejects, Reject{Line: rec.line, Reason: reason(err)}), append(b.raws, rec.raw)
			case !v.HasIdentity():
				b.rejects, b.raws = append(b.rejects, Reject{Line: rec.line, Reason: "no phone, email, messenger or external id: without one the row cannot be matched on a re-run"}), append(b.raws, rec.raw)
			default:
				b.rows = append(b.rows, row{line: rec.line, raw: rec.raw, valid: v})
			}
			if len(b.rows) >= chunk && !flush() {
				readErr <- ctx.Err() // Run may be waiting for it once the batches end
				return
			}
		}
		if (len(b.rows) > 0 || len(b.rejects) > 0) && !flush() {
			readErr <- ctx.Err()
			return
		}
		readErr <- nil
	}()

	// Written rows are counted and their rejects reported once their
	// transaction commits, so the report never counts a row that a later
	// failure rolled back.
	loader := store.NewLoader(customer.BatchOptions{Source: opt.Source, Overwrite: opt.Overwrite})
	defer loader.Rollback()
	type outcome struct {
		line, created, updated, unchanged int
		rejects                           []Reject
		raws                              [][]string
	}
	var uncommitted []outcome
	commit := func() error {
		if err := loader.Commit(); err != nil {
			return err
		}
		for _, o := range uncommitted {
			for i, rj := range o.rejects {
				reject(rj.Line, o.raws[i], rj.Reason)
			}
			rep.Created += o.created
			rep.Updated += o.updated
			rep.Unchanged += o.unchanged
		}
		uncommitted = uncommitted[:0]
		rep.Rows = rep.Created + rep.Updated + rep.Unchanged + rep.Rejected
		rep.Bytes = counter.n.Load()
		if opt.Progress != nil {
			opt.Progress(rep.Progress)
		}
		return nil
	}
	for b := range batches {
		o := outcome{rejects: b.rejects, raws: b.raws}
		if len(b.rows) > 0 {
			o.line = b.rows[0].line
			items := make([]*customer.Valid, len(b.rows))
			for i, r := range b.rows {
				items[i] = r.valid
			}
			results, err := loader.Upsert(ctx, items)
			if err != nil {
				first := b.rows[0].line // the first row the failure rolled back
				for _, u := range uncommitted {
					if u.line > 0 {
						first = u.line
						break
					}
				}
				return rep, fmt.Errorf("import rows %d–%d: %w", first, b.rows[len(b.rows)-1].line, err)
			}
			for i, res := range results {
				switch {
				case res.Err != nil:
					o.rejects, o.raws = append(o.rejects, Reject{Line: b.rows[i].line, Reason: reason(res.Err)}), append(o.raws, b.rows[i].raw)
				case res.Outcome == customer.Created:
					o.created++
				case res.Outcome == customer.Updated:
					o.updated++
				default:
					o.unchanged++
				}
			}
		}
		uncommitted = append(uncommitted, o)
		if loader.Pending() >= opt.BatchSize {
			if err := commit(); err != nil {
				return rep, err
			}
		}
	}
	if err := commit(); err != nil {
		return rep, err
	}
	if err := <-readErr; err != nil {
		return rep, err
	}
	rep.Columns, rep.Ignored = src.columns(), src.ignored()
	if rejects != nil {
		rejects.Flush()
		if err := rejects.Error(); err != nil {
			return rep, fmt.Errorf("write rejects: %w", err)
		}
	}
	rep.Rows = rep.Created + rep.Updated + rep.Unchanged + rep.Rejected
	rep.Bytes = counter.n.Load()
	if rep.Created+rep.Updated >= analyzeAfter {
		if err := store.RefreshStatistics(ctx); err != nil {
			return rep, fmt.Errorf("refresh statistics after the import: %w", err)
		}
	}
	rep.Duration = time.Since(start)
	detail := fmt.Sprintf("%s: %d rows, %d created, %d updated, %d unchanged, %d rejected",
		opt.Source, rep.Rows, rep.Created, rep.Updated, rep.Unchanged, rep.Rejected)
	return rep, audit.Record(ctx, nil, "customer.import", "import", opt.Source, detail)
}

// reason is the safe, field-naming text of a row's error.
func reason(err error) string {
	var fe vernost.FieldErrors
	if errors.As(err, &fe) {
		parts := make([]string, len(fe))
		for i, e := range fe {
			parts[i] = e.Field + ": " + e.Message
		}
		return strings.Join(parts, "; ")
	}
	if f := vernost.ErrorField(err); f != "" {
		return f + ": " + vernost.ErrorMessage(err)
	}
	return vernost.ErrorMessage(err)
}

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
