package customer

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
)

// AttributeDef is a custom field an administrator adds to every card
// ("contract number", "VIP since", "preferred branch").
type AttributeDef struct {
	Key     string   `json:"key"`
	LabelRU string   `json:"label_ru"`
	LabelEN string   `json:"label_en"`
	Type    string   `json:"type"` // text, number, date, bool, choice
	Choices []string `json:"choices,omitempty"`
}

var attrKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Check validates a value for this attribute and returns its stored form.
// An empty value is valid: it removes the attribute from a card.
func (d AttributeDef) Check(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	switch d.Type {
	case "text":
		if utf8.RuneCountInString(v) > maxShort {
			return "", vernost.Invalid("", "is longer than %d characters", maxShort)
		}
	case "number":
		f, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(v, " ", ""), ",", "."), 64)
		if err != nil {
			return "", vernost.Invalid("", "must be a number")
		}
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	case "date":
		for _, layout := range []string{"2006-01-02", "02.01.2006"} {
			if t, err := time.Parse(layout, v); err == nil {
				return t.Format("2006-01-02"), nil
			}
		}
		return "", vernost.Invalid("", "must be a date as YYYY-MM-DD or DD.MM.YYYY")
	case "bool":
		switch strings.ToLower(v) {
		case "true", "yes", "1", "да", "on":
			return "true", nil
		case "false", "no", "0", "нет", "off":
			return "false", nil
		}
		return "", vernost.Invalid("", "must be yes or no")
	case "choice":
		if !slices.Contains(d.Choices, v) {
			return "", vernost.Invalid("", "must be one of: %s", strings.Join(d.Choices, ", "))
		}
	}
	return v, nil
}

// DefineAttribute adds or changes an attribute definition.
func (s *Service) DefineAttribute(ctx context.Context, d AttributeDef) (AttributeDef, error) {
	d.Key = strings.TrimSpace(d.Key)
	d.LabelRU, d.LabelEN = strings.TrimSpace(d.LabelRU), strings.TrimSpace(d.LabelEN)
	var fe vernost.FieldErrors
	if !attrKey.MatchString(d.Key) {
		fe.Add("key", "must start with a letter and hold only a-z, 0-9 and _ (at most 40)")
	}
	if d.LabelRU == "" && d.LabelEN == "" {
		fe.Add("label_ru", "a label is required")
	}
	if d.LabelRU == "" {
		d.LabelRU = d.LabelEN
	}
	if d.LabelEN == "" {
		d.LabelEN = d.LabelRU
	}
	if !slices.Contains([]string{"text", "number", "date", "bool", "choice"}, d.Type) {
		fe.Add("type", "must be text, number, date, bool or choice")
	}
	var choices []string
	for _, c := range d.Choices {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(choices, c) {
			choices = append(choices, c)
		}
	}
	d.Choices = choices
	if d.Type == "choice" && len(choices) == 0 {
		fe.Add("choices", "a choice attribute needs at least one choice")
	}
	if err := fe.Err(); err != nil {
		return d, err
	}
	err := s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		if _, err := s.q.Exec(ctx, tx, "upsert-attribute-def", d.Key, d.LabelRU, d.LabelEN, d.Type, strings.Join(d.Choices, "\n"), s.clock.Now()); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, "attribute.define", "attribute", d.Key, d.Type)
	})
	return d, err
}

// AttributeDefs lists the attribute definitions in display order.
func (s *Service) AttributeDefs(ctx context.Context) ([]AttributeDef, error) {
	rows, err := s.q.Query(ctx, nil, "list-attribute-defs")
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	defer rows.Close()
	var out []AttributeDef
	for rows.Next() {
		var d AttributeDef
		var choices string
		if err := rows.Scan(&d.Key, &d.LabelRU, &d.LabelEN, &d.Type, &choices); err != nil {
			return nil, sqldb.MapError(err)
		}
		if choices != "" {
			d.Choices = strings.Split(choices, "\n")
		}
		out = append(out, d)
	}
	return out, sqldb.MapError(rows.Err())
}

// Personas lists the configured personas in display order.
func (s *Service) Personas(ctx context.Context) ([]Persona, error) {
	rows, err := s.q.Query(ctx, nil, "list-personas")
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	defer rows.Close()
	var out []Persona
	for rows.Next() {
		var p Persona
		if err := rows.Scan(&p.Key, &p.NameRU, &p.NameEN, &p.GuidanceDo, &p.GuidanceDont); err != nil {
			return nil, sqldb.MapError(err)
		}
		out = append(out, p)
	}
	return out, sqldb.MapError(rows.Err())
}

// rules loads what validation needs from the database: persona keys and
// attribute definitions. Both are short lists.
func (s *Service) rules(ctx context.Context) (map[string]bool, map[string]AttributeDef, error) {
	ps, err := s.Personas(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("load personas: %w", err)
	}
	personas := map[string]bool{}
	for _, p := range ps {
		personas[p.Key] = true
	}
	ds, err := s.AttributeDefs(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("load attributes: %w", err)
	}
	attrs := map[string]AttributeDef{}
	for _, d := range ds {
		attrs[d.Key] = d
	}
	return personas, attrs, nil
}
