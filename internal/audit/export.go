package audit

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// exportHeader names the CSV columns, in order.
var exportHeader = []string{"id", "at", "actor_id", "actor_name", "action", "object_type", "object_id", "detail", "ip"}

// Export writes every entry matching f (f.Limit is ignored) to w as CSV with
// a header line, newest first like List. It reads page by page along the ID
// cursor, so memory stays at one page and no read transaction stays open for
// the length of a slow download; entries written meanwhile are newer than
// the first page and are left out, so the export is a consistent cut.
func (l *Log) Export(ctx context.Context, w io.Writer, f Filter) error {
	if err := f.validate(); err != nil {
		return err
	}
	if err := l.Flush(ctx); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(exportHeader); err != nil {
		return fmt.Errorf("audit export: %w", err)
	}
	f.Limit = MaxLimit
	for {
		n := 0
		err := l.each(ctx, f, func(e Entry) error {
			n++
			f.Before = e.ID
			return cw.Write([]string{
				strconv.FormatInt(e.ID, 10),
				e.At.Format(time.RFC3339Nano),
				strconv.FormatInt(e.ActorID, 10),
				defuse(e.ActorName),
				e.Action,
				defuse(e.ObjectType),
				defuse(e.ObjectID),
				defuse(e.Detail),
				defuse(e.IP),
			})
		})
		if err != nil {
			return fmt.Errorf("audit export: %w", err)
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("audit export: %w", err)
		}
		if n < MaxLimit {
			return nil
		}
	}
}

// defuse keeps a spreadsheet from running text as a formula: the export is
// opened in Excel by an admin, and names and details are typed by others.
// A cell starting with one of = + - @ or a tab/CR gets a leading apostrophe,
// as OWASP recommends for CSV injection.
func defuse(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
