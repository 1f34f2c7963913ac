package customer

import (
	"context"
	"encoding/json"
	"math"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
)

// Event kinds on the timeline. Later capabilities add their own
// (interactions, surveys, purchases) through AddEvent.
const (
	EventCreated         = "created"
	EventImported        = "imported"
	EventUpdated         = "updated"
	EventIdentityAdded   = "identity_added"
	EventIdentityRemoved = "identity_removed"
	EventFactAdded       = "fact_added"
	EventFactRemoved     = "fact_removed"
	EventConsent         = "consent"
	EventManager         = "manager"
	EventTags            = "tags"
	EventMerged          = "merged"
	EventAbsorbed        = "absorbed"
	EventMergeUndone     = "merge_undone"
	EventErased          = "erased"
	EventNote            = "note"
)

// Event is one entry of a customer's timeline.
type Event struct {
	ID    int64     `json:"id"`
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	Kind  string    `json:"kind"`
	Data  EventData `json:"data"`
}

// EventData holds what an event says; each kind uses a few fields.
type EventData struct {
	Changes  []Change  `json:"changes,omitempty"`
	Identity *Identity `json:"identity,omitempty"`
	Fact     *Fact     `json:"fact,omitempty"`
	Consent  *Consent  `json:"consent,omitempty"`
	Other    string    `json:"other,omitempty"`  // the other customer of a merge
	Source   string    `json:"source,omitempty"` // an import file, an API client
	Text     string    `json:"text,omitempty"`
}

// Change is one field's old and new value.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// addEvent writes a timeline entry inside tx for the actor in ctx.
func (s *Service) addEvent(ctx context.Context, tx *sqldb.Tx, customerID int64, kind string, data EventData) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	_, err = s.q.Exec(ctx, tx, "insert-event", customerID, s.clock.Now(), vernost.ActorFrom(ctx).Name, kind, string(b))
	return err
}

// AddNote puts a free-text note on the timeline; notes from every
// conversation feed the next one.
func (s *Service) AddNote(ctx context.Context, publicID, text string) error {
	f, err := checkFact(FactInput{Kind: "other", Text: text})
	if err != nil {
		return vernost.Invalid("text", "%s", vernost.ErrorMessage(err))
	}
	return s.edit(ctx, publicID, "customer.note", func(tx *sqldb.Tx, id int64) error {
		return s.addEvent(ctx, tx, id, EventNote, EventData{Text: f.Text})
	})
}

// Timeline returns events newest first: up to limit events older than the
// event id before (0 for the newest).
func (s *Service) Timeline(ctx context.Context, publicID string, before int64, limit int) ([]Event, error) {
	id, err := s.resolve(ctx, nil, publicID)
	if err != nil {
		return nil, err
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.q.Query(ctx, nil, "events-of", id, before, limit)
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		var data string
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Kind, &data); err != nil {
			return nil, sqldb.MapError(err)
		}
		e.At = e.At.UTC()
		if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
			return nil, vernost.Internal(err)
		}
		out = append(out, e)
	}
	return out, sqldb.MapError(rows.Err())
}
