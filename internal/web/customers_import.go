package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/importer"
	"github.com/vernost/vernost/internal/tabular"
)

// The import page uploads a file to a background job (importer.Jobs),
// shows its progress by polling a status route, then its report.

const (
	// importSample is how much of a file the browser sends for the mapping
	// preview: one byte more than the importer looks at to detect the
	// encoding and delimiter, so that it sees the same as the import will.
	importSample = 64<<10 + 1
	// pageImportMaxBody bounds an uploaded file, as for the API's imports.
	pageImportMaxBody = 512 << 20
	recentImports     = 20
	rejectsShown      = 20
)

// Encodings and delimiters the form offers besides detection.
var (
	importEncodings  = []string{"utf-8", "windows-1251", "koi8-r", "ibm866", "utf-16le", "utf-16be"}
	importDelimiters = map[string]rune{",": ',', ";": ';', "tab": '\t', "|": '|'}
)

// importView is the upload form and the latest imports.
type importView struct {
	Jobs       []importer.JobStatus
	Form       importForm
	Error      *vernost.Error
	Encodings  []string
	Delimiters []string
}

// importForm is what was chosen, kept when the upload is refused.
type importForm struct {
	Encoding, Delimiter, Mapping string
	Overwrite                    bool
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderImport(w, r, http.StatusOK, importForm{}, nil)
}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, status int, f importForm, formErr *vernost.Error) error {
	jobs, err := s.imports.List(r.Context(), recentImports)
	if err != nil {
		return err
	}
	return s.render(w, r, status, "import", importView{Jobs: jobs, Form: f, Error: formErr,
		Encodings: importEncodings, Delimiters: []string{",", ";", "tab", "|"}})
}

// startImport takes the uploaded file and starts its job. Problems the
// person can fix (no file, a bad mapping, a file with no known column, too
// many imports at once) come back on the form.
func (s *Server) startImport(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := importForm{Encoding: r.PostFormValue("encoding"), Delimiter: r.PostFormValue("delimiter"),
		Mapping: r.PostFormValue("mapping"), Overwrite: r.PostFormValue("overwrite") == "on"}
	st, err := s.startImportJob(r, f)
	switch vernost.ErrorCode(err) {
	case "":
		return redirect(w, r, "/import/"+url.PathEscape(st.ID))
	case vernost.EInvalid, vernost.EConflict, vernost.ERateLimited, vernost.EUnavailable:
		e := asError(err)
		return s.renderImport(w, r, statusOf(e.Code), f, e)
	}
	return err
}

func (s *Server) startImportJob(r *http.Request, f importForm) (importer.JobStatus, error) {
	file, hdr, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return importer.JobStatus{}, vernost.Invalid("file", "choose a file to import")
	}
	if err != nil {
		return importer.JobStatus{}, err
	}
	defer file.Close()
	opt, err := importFormOptions(f, r.PostForm)
	if err != nil {
		return importer.JobStatus{}, err
	}
	return s.imports.Start(r.Context(), hdr.Filename, file, opt)
}

// importFormOptions reads the form's choices: encoding, delimiter, whether to
// overwrite, and the column mapping, typed ("Column=field, …") and chosen
// in the preview's selects, where only changes to the guess count.
func importFormOptions(f importForm, form url.Values) (importer.Options, error) {
	opt := importer.Options{Overwrite: f.Overwrite}
	if f.Encoding != "" {
		if !slices.Contains(importEncodings, f.Encoding) {
			return opt, vernost.Invalid("encoding", "unknown encoding %q", f.Encoding)
		}
		opt.Encoding = f.Encoding
	}
	if f.Delimiter != "" {
		d, ok := importDelimiters[f.Delimiter]
		if !ok {
			return opt, vernost.Invalid("delimiter", "choose comma, semicolon, tab or |")
		}
		opt.Delimiter = d
	}
	mapping, err := importer.ParseMapping(f.Mapping)
	if err != nil {
		return opt, vernost.Invalid("mapping", "%s", err.Error())
	}
	titles, fields, guesses := form["map_title"], form["map_field"], form["map_guess"]
	if len(fields) != len(titles) || len(guesses) != len(titles) {
		return opt, vernost.Invalid("mapping", "the column choices do not match the columns; choose the file again")
	}
	for i, title := range titles {
		if fields[i] == guesses[i] {
			continue
		}
		field := fields[i]
		if field == "" {
			field = "-"
		}
		if _, typed := mapping[title]; !typed {
			mapping[title] = field
		}
	}
	if len(mapping) > 0 {
		opt.Mapping = mapping
	}
	return opt, nil
}

// importPreview is what the importer will make of a file's header: the
// encoding and delimiter found and the field each column goes to.
type importPreview struct {
	Encoding, Delimiter string
	Columns             []previewColumn
	Fields              []string // every field a column can fill
	Error               *vernost.Error
}

type previewColumn struct {
	Title, Guess string
}

// previewImport reads the start of a file the browser sends when one is
// chosen and answers with the mapping fragment of the form.
func (s *Server) previewImport(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	part, _, err := r.FormFile("sample")
	if err != nil {
		return vernost.Invalid("sample", "send the start of the file as \"sample\"")
	}
	defer part.Close()
	sample, err := io.ReadAll(io.LimitReader(part, importSample))
	if err != nil {
		return err
	}
	p := importPreview{Fields: importFields()}
	opt, err := importFormOptions(importForm{Encoding: r.PostFormValue("encoding"), Delimiter: r.PostFormValue("delimiter")}, nil)
	if err == nil {
		err = p.read(sample, opt)
	}
	if vernost.ErrorCode(err) == vernost.EInvalid {
		p.Error = asError(err)
	} else if err != nil {
		return err
	}
	return s.renderFragment(w, r, "import", "import-mapping", p)
}

// read fills the preview from a sample of the file, detecting as the
// importer does.
func (p *importPreview) read(sample []byte, opt importer.Options) error {
	tr, err := tabular.Open(bytes.NewReader(sample), tabular.Options{Encoding: opt.Encoding, Delimiter: opt.Delimiter})
	if err != nil {
		return err
	}
	p.Encoding, p.Delimiter = tr.Encoding(), string(tr.Delimiter())
	if tr.Delimiter() == '\t' {
		p.Delimiter = "tab"
	}
	header := tr.Header()
	guess := tabular.GuessColumns(header, importer.Fields)
	for i, title := range header {
		g := guess[i]
		if rest, ok := strings.CutPrefix(strings.ToLower(title), "attr:"); ok && rest != "" {
			g = "attr:" + title[len("attr:"):]
		}
		p.Columns = append(p.Columns, previewColumn{Title: title, Guess: g})
	}
	return nil
}

func importFields() []string {
	out := make([]string, len(importer.Fields))
	for i, f := range importer.Fields {
		out[i] = f.Name
	}
	return out
}

// importJobView is one import: progress while it runs, the report after.
type importJobView struct {
	Job         importer.JobStatus
	Percent     int
	Columns     []previewColumn // column → field, from the report
	Rejects     []importer.Reject
	MoreRejects int
}

func (s *Server) importJobPage(w http.ResponseWriter, r *http.Request) error {
	st, err := s.imports.Status(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	v := importJobView{Job: st, Percent: percentDone(st)}
	if rep := st.Report; rep != nil {
		for title, field := range rep.Columns {
			v.Columns = append(v.Columns, previewColumn{Title: title, Guess: field})
		}
		slices.SortFunc(v.Columns, func(a, b previewColumn) int { return strings.Compare(a.Title, b.Title) })
		v.Rejects = rep.Rejects
		if len(v.Rejects) > rejectsShown {
			v.Rejects = v.Rejects[:rejectsShown]
		}
		v.MoreRejects = rep.Rejected - len(v.Rejects)
	}
	return s.render(w, r, http.StatusOK, "import_job", v)
}

// importStatus is what the progress bar polls.
type importStatus struct {
	Status    string `json:"status"`
	Percent   int    `json:"percent"`
	Rows      int    `json:"rows"`
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Rejected  int    `json:"rejected"`
}

func (s *Server) importJobStatus(w http.ResponseWriter, r *http.Request) error {
	st, err := s.imports.Status(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	p := st.Progress
	writeJSON(w, http.StatusOK, importStatus{Status: st.Status, Percent: percentDone(st), Rows: p.Rows,
		Created: p.Created, Updated: p.Updated, Unchanged: p.Unchanged, Rejected: p.Rejected})
	return nil
}

// percentDone is the share of the file read; an ended job is at 100.
func percentDone(st importer.JobStatus) int {
	if st.Status != importer.StatusRunning {
		return 100
	}
	if st.Progress.Size <= 0 {
		return 0
	}
	return int(min(100, max(0, st.Progress.Bytes*100/st.Progress.Size)))
}

// importRejects downloads the rejected rows as CSV. The list is read whole
// before anything is sent, so that a refusal (the job still running) is a
// proper error page and not half a download.
func (s *Server) importRejects(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	st, err := s.imports.Status(r.Context(), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.imports.Rejects(r.Context(), id, &buf); err != nil {
		return err
	}
	name := "rejects-" + strings.TrimSuffix(st.FileName, path.Ext(st.FileName)) + ".csv"
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}
