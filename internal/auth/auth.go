// Package auth holds the accounts of the people who use vernost and the ways
// they prove who they are: passwords (argon2id), sessions stored in the
// database with a CSRF token each, login rate limiting, and hashed, scoped API
// tokens for integrations. Every change is written to the audit log in the
// same transaction.
//
// Secrets never reach the database in the clear: passwords are stored as
// argon2id hashes, session and API tokens as their SHA-256.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/sqldb"
)

//go:embed queries.sql queries.postgres.sql
var queryFiles embed.FS

// User is a person who signs in: an agent, a supervisor or an admin.
type User struct {
	ID        int64
	PublicID  string
	Login     string
	Name      string
	Email     string
	Role      vernost.Role
	Locale    string // "ru" or "en"
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Actor returns u as the actor of a request coming from ip.
func (u User) Actor(ip string) vernost.Actor {
	return vernost.Actor{UserID: u.ID, Name: u.Login, Role: u.Role, IP: ip}
}

// NewUser is what CreateUser needs. Locale "" means "ru".
type NewUser struct {
	Login, Name, Email, Password string
	Role                         vernost.Role
	Locale                       string
}

// UserUpdate changes the fields that are not nil.
type UserUpdate struct {
	Name, Email, Locale *string
	Role                *vernost.Role
	Active              *bool
}

// Session is a signed-in browser. The cookie holds a secret token; the
// database holds only its hash.
type Session struct {
	UserID    int64
	CSRFToken string // echoed by every state-changing request
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CheckCSRF reports whether token is this session's CSRF token, in constant
// time so that the comparison leaks nothing about the right value.
func (s Session) CheckCSRF(token string) bool {
	return s.CSRFToken != "" && subtle.ConstantTimeCompare([]byte(s.CSRFToken), []byte(token)) == 1
}

// Scopes for API tokens.
const (
	ScopeCustomersRead  = "customers:read"
	ScopeCustomersWrite = "customers:write"
	ScopeAdmin          = "admin"
)

// Session lifetime: a session ends after IdleTimeout without a request, and
// in any case MaxSessionAge after sign-in.
const (
	IdleTimeout   = 12 * time.Hour
	MaxSessionAge = 7 * 24 * time.Hour
)

// touchEvery bounds how often a session's or token's last use is written:
// reads happen on every request, a write per request would be waste.
const touchEvery = time.Minute

// Service manages users, sessions and API tokens.
type Service struct {
	db    *sqldb.DB
	q     *sqldb.Queries
	clock vernost.Clock
	log   *audit.Log
	// dummyHash is checked against when a login is unknown, so that an
	// unknown login costs as much time as a wrong password.
	dummyHash string
	tokens    tokenCache
}

// New prepares the queries and returns a service writing its audit entries
// to log.
func New(ctx context.Context, db *sqldb.DB, clock vernost.Clock, log *audit.Log) (*Service, error) {
	if log == nil {
		return nil, errors.New("auth: an audit log is required")
	}
	if clock == nil {
		clock = vernost.SystemClock{}
	}
	dummy, err := HashPassword(randomToken())
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	q, err := sqldb.LoadQueries(ctx, db, queryFiles)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return &Service{db: db, q: q, clock: clock, log: log, dummyHash: dummy}, nil
}

// Close releases the prepared statements.
func (s *Service) Close() { s.q.Close() }

// now is the clock's time in UTC at the precision both engines store.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// randomToken returns 32 random bytes, base64url without padding (43 chars).
func randomToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("auth: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// tokenLen is the length of a randomToken.
var tokenLen = base64.RawURLEncoding.EncodedLen(32)

// hashToken is how a session or API token is stored and looked up. The
// tokens carry 256 random bits, so a fast hash is enough: there is nothing
// to guess.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// userColumns returns scan destinations for the ten user columns in the
// order the queries list them.
func userColumns(u *User) []any {
	return []any{&u.ID, &u.PublicID, &u.Login, &u.Name, &u.Email, (*string)(&u.Role), &u.Locale, &u.Active, &u.CreatedAt, &u.UpdatedAt}
}

// utc puts the scanned times of u in UTC: PostgreSQL returns local time.
func (u *User) utc() {
	u.CreatedAt = u.CreatedAt.UTC()
	u.UpdatedAt = u.UpdatedAt.UTC()
}

// storable makes untrusted text safe to store on both engines (valid UTF-8,
// no NUL, which PostgreSQL refuses) and at most n bytes long.
func storable(s string, n int) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")
	if len(s) <= n {
		return s
	}
	// Cut at a rune boundary.
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// unauthorized is the error for a missing, wrong or expired credential.
func unauthorized(format string, args ...any) error {
	return vernost.Errorf(vernost.EUnauthorized, format, args...)
}
