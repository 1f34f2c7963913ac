package web

import (
	"strings"
	"time"

	"github.com/vernost/vernost/internal/customer"
)

// eventView is one timeline entry in words: what happened, by whom, when,
// and for a merge the other card's address.
type eventView struct {
	ID     int64
	At     time.Time
	Actor  string
	Kind   string
	Title  string
	Lines  []string
	Link   string // the other card of a merge
	Source string // the file or client a change came from
}

// timeline turns stored events into sentences in one language.
type timeline struct {
	s        *Server
	lang     string
	personas []personaView
	labels   map[string]string // attribute key → label
}

func (tl timeline) t(key string, args ...any) string { return tl.s.catalog.T(tl.lang, key, args...) }

// describe writes every kind of event the customer service records; an
// unknown kind (from a newer version) still shows its name and text.
func (tl timeline) describe(e customer.Event) eventView {
	v := eventView{ID: e.ID, At: e.At, Actor: e.Actor, Kind: e.Kind, Source: e.Data.Source}
	v.Title = tl.t("event." + e.Kind)
	if v.Title == "event."+e.Kind {
		v.Title = e.Kind
	}
	d := e.Data
	switch e.Kind {
	case customer.EventUpdated, customer.EventManager:
		for _, c := range d.Changes {
			v.Lines = append(v.Lines, tl.change(c))
		}
	case customer.EventIdentityAdded, customer.EventIdentityRemoved:
		if d.Identity != nil {
			id := showIdentity(*d.Identity)
			v.Lines = append(v.Lines, tl.t("identity."+id.Kind)+": "+id.Shown)
		}
	case customer.EventFactAdded, customer.EventFactRemoved:
		if d.Fact != nil {
			v.Lines = append(v.Lines, tl.factKind(d.Fact.Kind)+": "+d.Fact.Text)
		}
	case customer.EventConsent:
		if k := d.Consent; k != nil {
			state := tl.t("consent.withdrawn")
			if k.Granted {
				state = tl.t("consent.granted")
			}
			v.Lines = append(v.Lines, tl.t("consent.line", tl.t("channel."+k.Channel), tl.t("consent.purpose."+k.Purpose), state, k.Source))
		}
	case customer.EventTags:
		if d.Text != "" {
			v.Lines = append(v.Lines, tl.t("event.tags_added", d.Text))
		}
		for _, c := range d.Changes {
			v.Lines = append(v.Lines, tl.t("event.tag_removed", c.Old))
		}
	case customer.EventMerged, customer.EventAbsorbed, customer.EventMergeUndone:
		if d.Other != "" {
			v.Link = customerURL(d.Other, "")
		}
		switch {
		case e.Kind == customer.EventMerged && d.Text != "":
			v.Lines = append(v.Lines, tl.t("event.merged_with", d.Text))
		case e.Kind == customer.EventMergeUndone && d.Text != "":
			v.Lines = append(v.Lines, tl.t("event.merge_id", d.Text))
		}
	case customer.EventErased:
		if d.Text != "" {
			v.Lines = append(v.Lines, tl.t("event.reason", d.Text))
		}
	default:
		if d.Text != "" {
			v.Lines = append(v.Lines, d.Text)
		}
	}
	return v
}

// change reads "field: old → new", with the values in words where the
// stored value is a code.
func (tl timeline) change(c customer.Change) string {
	label := tl.fieldLabel(c.Field)
	return label + ": " + tl.value(c.Field, c.Old) + " → " + tl.value(c.Field, c.New)
}

func (tl timeline) fieldLabel(field string) string {
	if key, ok := strings.CutPrefix(field, "attributes."); ok {
		if l := tl.labels[key]; l != "" {
			return l
		}
		return key
	}
	if l := tl.t("field." + field); l != "field."+field {
		return l
	}
	return field
}

func (tl timeline) value(field, v string) string {
	if v == "" {
		return "—"
	}
	switch field {
	case "persona":
		return findPersona(tl.personas, v).Name
	case "address_form":
		return tl.t("address_form." + v)
	case "preferred_channel":
		return tl.t("channel." + v)
	}
	return v
}

func (tl timeline) factKind(kind string) string {
	if l := tl.t("fact.kind." + kind); l != "fact.kind."+kind {
		return l
	}
	return kind
}
