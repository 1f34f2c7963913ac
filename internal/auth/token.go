package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
)

// Token is an API token for an integration. The plaintext is shown once, at
// creation; the database holds its SHA-256.
type Token struct {
	ID         int64
	PublicID   string
	Name       string
	UserID     int64 // the user the integration acts as
	Scopes     []string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// tokenPrefix marks vernost API tokens, so a leaked one is recognisable by
// secret scanners and cannot be confused with a session cookie.
const tokenPrefix = "vst_"

// Scopes lists every scope, in the order forms show them.
var Scopes = []string{ScopeCustomersRead, ScopeCustomersWrite, ScopeAdmin}

// HasScope reports whether t grants scope. Admin grants everything, and
// writing customers includes reading them.
func (t Token) HasScope(scope string) bool {
	for _, have := range t.Scopes {
		if have == scope || have == ScopeAdmin ||
			(have == ScopeCustomersWrite && scope == ScopeCustomersRead) {
			return true
		}
	}
	return false
}

const maxTokenName = 100

// CreateToken issues a token acting as userID with the given scopes. The
// admin scope needs an admin user. plaintext is "vst_" and 43 random
// characters; it cannot be shown again.
func (s *Service) CreateToken(ctx context.Context, userID int64, name string, scopes []string) (plaintext string, t Token, err error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > maxTokenName || storable(name, len(name)) != name {
		return "", Token{}, vernost.Invalid("name", "must be 1 to %d characters of text", maxTokenName)
	}
	if len(scopes) == 0 {
		return "", Token{}, vernost.Invalid("scopes", "at least one scope is required (%s)", strings.Join(Scopes, ", "))
	}
	t.Scopes = slices.Clone(scopes)
	slices.Sort(t.Scopes)
	t.Scopes = slices.Compact(t.Scopes)
	for _, sc := range t.Scopes {
		if !slices.Contains(Scopes, sc) {
			return "", Token{}, vernost.Invalid("scopes", "%q is not a scope (want %s)", sc, strings.Join(Scopes, ", "))
		}
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return "", Token{}, err
	}
	if !u.Active {
		return "", Token{}, vernost.Invalid("user", "%s is deactivated", u.Login)
	}
	if slices.Contains(t.Scopes, ScopeAdmin) && u.Role != vernost.RoleAdmin {
		return "", Token{}, vernost.Invalid("scopes", "the admin scope needs an admin user; %s is %s", u.Login, u.Role)
	}
	plaintext = tokenPrefix + randomToken()
	t.PublicID, t.Name, t.UserID, t.CreatedAt = vernost.PublicID(), name, userID, s.now()
	err = s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		err := s.q.QueryRow(ctx, tx, "insert-token", t.PublicID, t.Name, t.UserID, hashToken(plaintext),
			strings.Join(t.Scopes, " "), t.CreatedAt).Scan(&t.ID)
		if err != nil {
			return err
		}
		return s.log.Record(ctx, tx, "token.create", "token", t.PublicID,
			fmt.Sprintf("name=%q user=%s scopes=%s", t.Name, u.Login, strings.Join(t.Scopes, ",")))
	})
	if err != nil {
		return "", Token{}, err
	}
	return plaintext, t, nil
}

// AuthenticateToken resolves an API token to the token and its user. A
// wrong, revoked or deactivated user's token is unauthorized. Last use is
// written at most once a minute.
func (s *Service) AuthenticateToken(ctx context.Context, plaintext string) (Token, User, error) {
	if len(plaintext) != len(tokenPrefix)+tokenLen || !strings.HasPrefix(plaintext, tokenPrefix) {
		return Token{}, User{}, unauthorized("invalid API token")
	}
	hash := hashToken(plaintext)
	now := s.now()
	if t, u, ok := s.tokens.get(hash, now); ok {
		return t, u, nil
	}
	gen := s.tokens.generation()
	var t Token
	var u User
	row := s.q.QueryRow(ctx, nil, "token-by-hash", hash)
	err := scanToken(&t, row.Scan, userColumns(&u)...)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, User{}, unauthorized("invalid API token")
	}
	if err != nil {
		return Token{}, User{}, sqldb.MapError(err)
	}
	u.utc()
	switch {
	case t.RevokedAt != nil:
		return Token{}, User{}, unauthorized("the API token was revoked")
	case !u.Active:
		return Token{}, User{}, unauthorized("the API token's user is deactivated")
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchEvery {
		err := s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
			_, err := s.q.Exec(ctx, tx, "touch-token", t.ID, now)
			return err
		})
		if err != nil {
			return Token{}, User{}, err
		}
		t.LastUsedAt = &now
	}
	s.tokens.put(hash, t, u, now, gen)
	return t, u, nil
}

// ListTokens returns every token, revoked ones included, newest first.
func (s *Service) ListTokens(ctx context.Context) ([]Token, error) {
	rows, err := s.q.Query(ctx, nil, "list-tokens")
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		if err := scanToken(&t, rows.Scan); err != nil {
			return nil, sqldb.MapError(err)
		}
		out = append(out, t)
	}
	return out, sqldb.MapError(rows.Err())
}

// RevokeToken ends a token for good. Revoking a revoked token changes
// nothing and is not an error.
func (s *Service) RevokeToken(ctx context.Context, publicID string) error {
	defer s.tokens.clear() // after the commit, so no reader refills it with the old state
	return s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		var t Token
		err := scanToken(&t, s.q.QueryRow(ctx, tx, "token-by-public-id", publicID).Scan)
		if errors.Is(err, sql.ErrNoRows) {
			return vernost.Errorf(vernost.ENotFound, "no API token %q", publicID)
		}
		if err != nil {
			return err
		}
		if t.RevokedAt != nil {
			return nil
		}
		if _, err := s.q.Exec(ctx, tx, "revoke-token", t.ID, s.now()); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, "token.revoke", "token", t.PublicID, fmt.Sprintf("name=%q", t.Name))
	})
}

// scanToken scans the eight token columns, then extra, into t.
func scanToken(t *Token, scan func(...any) error, extra ...any) error {
	var scopes string
	var used, revoked sql.NullTime
	dest := append([]any{&t.ID, &t.PublicID, &t.Name, &t.UserID, &scopes, &t.CreatedAt, &used, &revoked}, extra...)
	if err := scan(dest...); err != nil {
		return err
	}
	t.Scopes = strings.Fields(scopes)
	t.CreatedAt = t.CreatedAt.UTC()
	t.LastUsedAt, t.RevokedAt = utcPtr(used), utcPtr(revoked)
	return nil
}

func utcPtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}
