package web

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/customer"
)

// Duplicate review and merges in the customers API: for supervisors, who
// may merge.

type apiDuplicateList struct {
	Pairs     []customer.DuplicatePair `json:"pairs"`
	MatchedAt *time.Time               `json:"matched_at" doc:"when the matching pass that found the pairs ran; null if none has"`
}

type apiMergeRequest struct {
	Survivor string           `json:"survivor" doc:"public id of the card that stays"`
	Absorbed string           `json:"absorbed" doc:"public id of the card folded into it"`
	Winners  customer.Winners `json:"winners,omitempty" doc:"per field, survivor (default) or absorbed: whose value the merged card keeps"`
}

type apiMergeUndone struct {
	ID     string `json:"id"`
	Status string `json:"status" enum:"undone"`
}

// apiNoBody is the body of actions that need no input: empty or {}.
type apiNoBody struct{}

func (s *Server) apiDuplicates(w http.ResponseWriter, r *http.Request) error {
	limit, err := parseCount("limit", r.URL.Query().Get("limit"), 200)
	if err != nil {
		return err
	}
	if err := s.customers.RefreshDuplicates(r.Context(), duplicatesWait); err != nil {
		return err
	}
	list, err := s.customers.Duplicates(r.Context(), int(limit))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiDuplicateList{Pairs: list.Pairs, MatchedAt: list.MatchedAt})
	return nil
}

func decodeAPIMerge(r *http.Request) (apiMergeRequest, error) {
	var in apiMergeRequest
	if err := decodeJSON(r, &in); err != nil {
		return in, err
	}
	in.Survivor, in.Absorbed = strings.TrimSpace(in.Survivor), strings.TrimSpace(in.Absorbed)
	var fe vernost.FieldErrors
	if in.Survivor == "" {
		fe.Add("survivor", "is required: the public id of the card that stays")
	}
	if in.Absorbed == "" {
		fe.Add("absorbed", "is required: the public id of the card folded into the survivor")
	}
	return in, fe.Err()
}

func (s *Server) apiPreviewMerge(w http.ResponseWriter, r *http.Request) error {
	in, err := decodeAPIMerge(r)
	if err != nil {
		return err
	}
	c, err := s.customers.PreviewMerge(r.Context(), in.Survivor, in.Absorbed, in.Winners)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiMerge(w http.ResponseWriter, r *http.Request) error {
	in, err := decodeAPIMerge(r)
	if err != nil {
		return err
	}
	rec, err := s.customers.Merge(r.Context(), in.Survivor, in.Absorbed, in.Winners)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rec)
	return nil
}

func (s *Server) apiUndoMerge(w http.ResponseWriter, r *http.Request) error {
	if err := decodeOptionalJSON(r, &apiNoBody{}); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := s.customers.UndoMerge(r.Context(), id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiMergeUndone{ID: id, Status: "undone"})
	return nil
}

// decodeOptionalJSON is decodeJSON for bodies that may be left out.
func decodeOptionalJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return decodeJSON(r, v)
}
