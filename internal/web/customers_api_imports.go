package web

import (
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/importer"
)

// Imports in the customers API: the file is the request's body, the import
// runs in the background (importer.Jobs), and its progress, report and
// rejected rows are fetched while and after it runs.

// importMaxBody bounds an uploaded import file (the page and the API).
const importMaxBody = 512 << 20

var (
	apiLimitQuery  = []param{{Name: "limit", Type: "integer", Doc: "how many, 1–200"}}
	apiImportQuery = []param{
		{Name: "file_name", Type: "string", Doc: "the file's name, shown on timelines and in the audit log; its extension (.csv, .jsonl) sets the format unless format is given"},
		{Name: "format", Type: "string", Doc: "csv or jsonl"},
		{Name: "map", Type: "string", Doc: `column overrides, e.g. "Моб.=phone,Примечание=-" ("-" ignores a column)`},
		{Name: "overwrite", Type: "boolean", Doc: "rows replace fields a card already holds (default: fill blanks only, so a re-run changes nothing)"},
		{Name: "encoding", Type: "string", Doc: "utf-8, windows-1251, koi8-r, ibm866, utf-16le, utf-16be (default: detected)"},
		{Name: "delimiter", Type: "string", Doc: `one character or "tab" (default: detected)`},
		{Name: "external_system", Type: "string", Doc: `system of external ids given without a "system:" prefix (default "import")`},
	}
)

// apiImportFile is an import's body: the file itself, as it is.
type apiImportFile string

// apiRejectsCSV is the reject file: line, reason, then the row as read.
type apiRejectsCSV string

// apiImportJob is a background import. The report is flattened here
// because the OpenAPI generator does not follow embedded structs.
type apiImportJob struct {
	ID         string            `json:"id"`
	FileName   string            `json:"file_name"`
	Status     string            `json:"status" enum:"running|done|failed"`
	Progress   importer.Progress `json:"progress"`
	Report     *apiImportReport  `json:"report,omitempty" doc:"once the import has ended; only from GET /api/v1/imports/{id}"`
	Error      string            `json:"error,omitempty" doc:"why the import failed"`
	RejectsURL string            `json:"rejects_url,omitempty" doc:"the CSV of rejected rows, once the import has ended"`
	Actor      string            `json:"actor"`
	CreatedAt  time.Time         `json:"created_at"`
	FinishedAt *time.Time        `json:"finished_at,omitempty"`
}

type apiImportReport struct {
	Encoding   string            `json:"encoding,omitempty"`
	Delimiter  string            `json:"delimiter,omitempty"`
	Columns    map[string]string `json:"columns" doc:"column title → the field it filled"`
	Ignored    []string          `json:"ignored,omitempty" doc:"columns nothing was taken from"`
	Rejects    []importer.Reject `json:"rejects" doc:"the first 1,000 rejected rows; the CSV has them all"`
	DurationMS int64             `json:"duration_ms"`
}

type apiImportJobList struct {
	Jobs []apiImportJob `json:"jobs"`
}

func toAPIImportJob(st importer.JobStatus) apiImportJob {
	out := apiImportJob{ID: st.ID, FileName: st.FileName, Status: st.Status, Progress: st.Progress, Error: st.Error,
		Actor: st.Actor, CreatedAt: st.CreatedAt, FinishedAt: st.FinishedAt}
	if st.Status != importer.StatusRunning {
		out.RejectsURL = "/api/v1/imports/" + url.PathEscape(st.ID) + "/rejects"
	}
	if rep := st.Report; rep != nil {
		out.Report = &apiImportReport{Encoding: rep.Encoding, Delimiter: rep.Delimiter, Columns: rep.Columns,
			Ignored: rep.Ignored, Rejects: rep.Rejects, DurationMS: rep.Duration.Milliseconds()}
	}
	return out
}

// apiStartImport takes the file as the raw body and answers 202 at once;
// the import runs in the background (GET /api/v1/imports/{id}).
func (s *Server) apiStartImport(w http.ResponseWriter, r *http.Request) error {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" || ct == "application/x-www-form-urlencoded" {
		return vernost.Invalid("body", "send the file itself as the body, not a form")
	}
	opt, fileName, err := apiImportOptions(r.URL.Query())
	if err != nil {
		return err
	}
	st, err := s.imports.Start(r.Context(), fileName, r.Body, opt)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/imports/"+url.PathEscape(st.ID))
	writeJSON(w, http.StatusAccepted, toAPIImportJob(st))
	return nil
}

// apiImportOptions reads an import's settings from the query string.
func apiImportOptions(q url.Values) (importer.Options, string, error) {
	opt := importer.Options{Format: strings.ToLower(strings.TrimSpace(q.Get("format"))), Encoding: q.Get("encoding"),
		ExternalSystem: strings.TrimSpace(q.Get("external_system"))}
	if v := q.Get("overwrite"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return opt, "", vernost.Invalid("overwrite", "must be true or false")
		}
		opt.Overwrite = b
	}
	switch d := q.Get("delimiter"); {
	case d == "":
	case d == "tab" || d == `\t`:
		opt.Delimiter = '\t'
	case len([]rune(d)) == 1:
		opt.Delimiter = []rune(d)[0]
	default:
		return opt, "", vernost.Invalid("delimiter", "must be one character or tab")
	}
	if m := q.Get("map"); m != "" {
		mapping, err := importer.ParseMapping(m)
		if err != nil {
			return opt, "", vernost.Invalid("map", "%s", err.Error())
		}
		opt.Mapping = mapping
	}
	return opt, q.Get("file_name"), nil
}

func (s *Server) apiListImports(w http.ResponseWriter, r *http.Request) error {
	limit, err := parseCount("limit", r.URL.Query().Get("limit"), 200)
	if err != nil {
		return err
	}
	jobs, err := s.imports.List(r.Context(), int(limit))
	if err != nil {
		return err
	}
	out := apiImportJobList{Jobs: make([]apiImportJob, len(jobs))}
	for i, st := range jobs {
		out.Jobs[i] = toAPIImportJob(st)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiGetImport(w http.ResponseWriter, r *http.Request) error {
	st, err := s.imports.Status(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIImportJob(st))
	return nil
}

func (s *Server) apiImportRejects(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	// Named by the id, not the uploaded name: a header is no place for Cyrillic.
	name := "import-" + id + "-rejects.csv"
	return s.imports.Rejects(r.Context(), id, &download{w: w, name: name, contentType: "text/csv; charset=utf-8"})
}
