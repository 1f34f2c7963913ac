// Package vernost holds the vocabulary every other package speaks: errors with
// codes, the acting user carried in a context, and the clock. It imports only
// the standard library.
package vernost

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to exactly one HTTP status in internal/web and to an
// exit status in cmd/vernost; domain code never chooses a status itself.
const (
	EInvalid      = "invalid"      // the input is wrong; Field names what
	ENotFound     = "not_found"    // no such thing, or not visible to the actor
	EConflict     = "conflict"     // clashes with what is stored (a taken identity)
	EUnauthorized = "unauthorized" // no valid session or token
	EForbidden    = "forbidden"    // authenticated, but the role does not allow it
	ETooLarge     = "too_large"    // a body or file over its limit
	ERateLimited  = "rate_limited" // too many attempts; try later
	EUnavailable  = "unavailable"  // a dependency is down or the operation cannot run here
	EInternal     = "internal"     // a bug or an unexpected failure; details are logged, not shown
)

// Error is an error a person may see. Message is safe to show; Err, if set, is
// the internal cause and is only logged.
type Error struct {
	Code    string
	Field   string // the offending input field, when there is one ("phones[1]", "birth_date")
	Message string
	Err     error
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with the given code and a formatted safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports bad input in one field: the field and why.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected failure; the person sees only "internal error".
func Internal(err error) *Error {
	return &Error{Code: EInternal, Message: "internal error", Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the safe message of err: the *Error's message, or a
// generic text for anything unexpected, so internals never leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EInternal {
		return e.Message
	}
	if err == nil {
		return ""
	}
	return "internal error"
}

// ErrorField returns the offending field named by err, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// FieldErrors collects every bad field of one input, so that a form can
// show each message beside its field instead of one at a time.
type FieldErrors []*Error

func (fe FieldErrors) Error() string {
	s := ""
	for i, e := range fe {
		if i > 0 {
			s += "; "
		}
		s += e.Error()
	}
	return s
}

// Add appends an invalid-field error.
func (fe *FieldErrors) Add(field, format string, args ...any) {
	*fe = append(*fe, Invalid(field, format, args...))
}

// AddErr appends err if it is non-nil, under field unless err names its own.
func (fe *FieldErrors) AddErr(field string, err error) {
	if err == nil {
		return
	}
	var e *Error
	if errors.As(err, &e) && e.Code == EInvalid {
		c := *e
		if c.Field == "" || field != "" {
			c.Field = field
		}
		*fe = append(*fe, &c)
		return
	}
	*fe = append(*fe, Invalid(field, "%s", err.Error()))
}

// Err returns nil if there are no errors, else an invalid *Error naming the
// first field whose cause is the whole list (errors.As finds it).
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Field: fe[0].Field, Message: fe[0].Message, Err: fe}
}
