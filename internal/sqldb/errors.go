package sqldb

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/vernost/vernost"
)

// MapError translates driver errors into vernost errors, once, here. Errors
// that already are vernost errors pass through untouched; unknown ones become
// internal errors that keep the cause for the log.
func MapError(err error) error {
	if err == nil {
		return nil
	}
	var ve *vernost.Error
	if errors.As(err, &ve) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &vernost.Error{Code: vernost.EUnavailable, Message: "the request was cancelled or took too long", Err: err}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &vernost.Error{Code: vernost.ENotFound, Message: "not found", Err: err}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &vernost.Error{Code: vernost.EConflict, Message: "already exists", Err: err}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &vernost.Error{Code: vernost.EInvalid, Message: "refers to something that does not exist", Err: err}
		case sqlite3.SQLITE_CONSTRAINT_NOTNULL, sqlite3.SQLITE_CONSTRAINT_CHECK:
			return &vernost.Error{Code: vernost.EInvalid, Message: "a required value is missing or out of range", Err: err}
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return &vernost.Error{Code: vernost.EUnavailable, Message: "the database is busy; try again", Err: err}
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &vernost.Error{Code: vernost.EConflict, Message: "already exists", Err: err}
		case "23503":
			return &vernost.Error{Code: vernost.EInvalid, Message: "refers to something that does not exist", Err: err}
		case "23502", "23514", "22001", "22P02", "22007", "22008":
			return &vernost.Error{Code: vernost.EInvalid, Message: "a required value is missing or out of range", Err: err}
		case "40001", "40P01", "55P03", "57014":
			return &vernost.Error{Code: vernost.EUnavailable, Message: "the database is busy; try again", Err: err}
		}
	}
	return vernost.Internal(err)
}

// IsConflict reports whether err is a uniqueness violation (mapped or not).
func IsConflict(err error) bool { return vernost.ErrorCode(MapError(err)) == vernost.EConflict }
