package demo

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"

	"github.com/vernost/vernost"
)

// CSVOptions choose the shape of the file WriteCSV makes, to exercise the
// importer's detection. The zero value is Russian headers, UTF-8, ','.
type CSVOptions struct {
	English   bool // English headers and ISO dates (2006-01-02) instead of Russian ones and 02.01.2006
	CP1251    bool // Windows-1251 and CRLF line ends, as old Windows exports are
	Delimiter rune // 0 means ','
	FullName  bool // one "ФИО" ("Full name") column instead of three
}

// Column titles, Russian and English, in file order after the name columns.
var (
	ruNameColumns  = []string{"Фамилия", "Имя", "Отчество"}
	enNameColumns  = []string{"Last name", "First name", "Middle name"}
	ruOtherColumns = []string{"Дата рождения", "Телефон", "E-mail", "Telegram", "Внешний ID"}
	enOtherColumns = []string{"Date of birth", "Phone", "Email", "Telegram", "External ID"}
	identityKinds  = []string{"phone", "email", "telegram", "external"} // matching the columns after the date
)

// WriteCSV writes the first n people of Generator{Seed: seed} as a customer
// import file: a header line, then one line per person with their names,
// birth date and identities (an empty cell where they have none).
func WriteCSV(w io.Writer, n int, seed int64, opt CSVOptions) error {
	if opt.Delimiter == 0 {
		opt.Delimiter = ','
	}
	if opt.Delimiter >= 0x80 || opt.Delimiter == '"' || opt.Delimiter == '\n' || opt.Delimiter == '\r' {
		return vernost.Invalid("delimiter", "must be one ASCII character other than a quote or a line break")
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	out := io.Writer(bw)
	var enc *transform.Writer
	if opt.CP1251 {
		enc = transform.NewWriter(bw, charmap.Windows1251.NewEncoder())
		out = enc
	}
	cw := csv.NewWriter(out)
	cw.Comma = opt.Delimiter
	cw.UseCRLF = opt.CP1251

	nameCols, otherCols, dateLayout := ruNameColumns, ruOtherColumns, "02.01.2006"
	if opt.English {
		nameCols, otherCols, dateLayout = enNameColumns, enOtherColumns, "2006-01-02"
	}
	if opt.FullName {
		nameCols = []string{"ФИО"}
		if opt.English {
			nameCols = []string{"Full name"}
		}
	}
	header := append(append([]string{}, nameCols...), otherCols...)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write header: %w", err)
	}

	g := &Generator{Seed: seed}
	row := make([]string, len(header))
	for range n {
		p := g.Next()
		i := 0
		if opt.FullName {
			row[0] = fullName(p)
			i = 1
		} else {
			row[0], row[1], row[2] = p.FamilyName, p.GivenName, p.Patronymic
			i = 3
		}
		row[i] = p.BirthDate.Format(dateLayout)
		for k, kind := range identityKinds {
			row[i+1+k] = ""
			for _, id := range p.Identities {
				if id.Kind == kind {
					row[i+1+k] = id.Raw
				}
			}
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write person %d: %w", p.Seq, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	if enc != nil {
		if err := enc.Close(); err != nil {
			return fmt.Errorf("encode windows-1251: %w", err)
		}
	}
	return bw.Flush()
}

// fullName writes a name as a "ФИО" cell: Russian order for Russian names,
// "Given Family" for English ones.
func fullName(p Person) string {
	if p.Patronymic == "" {
		return p.GivenName + " " + p.FamilyName
	}
	return p.FamilyName + " " + p.GivenName + " " + p.Patronymic
}
