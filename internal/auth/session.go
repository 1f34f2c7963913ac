package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
)

// errWrongCredentials is the one answer to a bad login or password, whichever
// it was, so the form does not tell which logins exist.
var errWrongCredentials = vernost.Errorf(vernost.EUnauthorized, "wrong login or password")

// Login signs a person in. It refuses while the login or the address is rate
// limited, checks the password in constant time (an unknown login costs one
// argon2id check like any other), records the attempt, and on success
// creates a session. token is the cookie value: 32 random bytes, base64url;
// only its SHA-256 is stored.
func (s *Service) Login(ctx context.Context, login, password, ip, userAgent string) (token string, sess Session, u User, err error) {
	login = storable(NormalizeLogin(login), 64)
	if login == "" {
		return "", Session{}, User{}, vernost.Invalid("login", "is required")
	}
	if password == "" {
		return "", Session{}, User{}, vernost.Invalid("password", "is required")
	}
	now := s.now()
	ipKey := rateKey(ip)
	if err := s.checkRate(ctx, login, ipKey, now); err != nil {
		return "", Session{}, User{}, err
	}

	var hash string
	err = s.q.QueryRow(ctx, nil, "user-and-hash-by-login", login).Scan(append(userColumns(&u), &hash)...)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", Session{}, User{}, sqldb.MapError(err)
	}
	if !known {
		hash = s.dummyHash
	}
	u.utc()
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return "", Session{}, User{}, vernost.Internal(fmt.Errorf("user %s: %w", login, err))
	}
	switch {
	case !known:
		return "", Session{}, User{}, s.loginFailed(ctx, login, ipKey, ip, "", "unknown login", errWrongCredentials)
	case !ok:
		return "", Session{}, User{}, s.loginFailed(ctx, login, ipKey, ip, u.PublicID, "wrong password", errWrongCredentials)
	case !u.Active:
		// Said plainly only to someone who knows the password.
		return "", Session{}, User{}, s.loginFailed(ctx, login, ipKey, ip, u.PublicID, "account deactivated",
			vernost.Errorf(vernost.EUnauthorized, "this account is deactivated; ask an administrator"))
	}

	token = randomToken()
	sess = Session{UserID: u.ID, CSRFToken: randomToken(), CreatedAt: now, ExpiresAt: sessionExpiry(now, now)}
	var rehash string
	if needsRehash(hash) {
		// Upgrade an old hash while the password is at hand.
		if rehash, err = HashPassword(password); err != nil {
			return "", Session{}, User{}, vernost.Internal(err)
		}
	}
	actx := vernost.WithActor(ctx, u.Actor(ip))
	err = s.db.WithTx(actx, func(tx *sqldb.Tx) error {
		if _, err := s.q.Exec(actx, tx, "insert-attempt", login, ipKey, true, now); err != nil {
			return err
		}
		if _, err := s.q.Exec(actx, tx, "insert-session", hashToken(token), u.ID, sess.CSRFToken,
			storable(ip, 64), storable(userAgent, 512), now, sess.ExpiresAt); err != nil {
			return err
		}
		if rehash != "" {
			if _, err := s.q.Exec(actx, tx, "rehash-password", u.ID, rehash); err != nil {
				return err
			}
		}
		return s.log.Record(actx, tx, "session.login", "user", u.PublicID, "")
	})
	if err != nil {
		return "", Session{}, User{}, err
	}
	return token, sess, u, nil
}

// loginFailed records a failed attempt and its audit entry, then returns
// answer (or the error that kept it from being recorded).
func (s *Service) loginFailed(ctx context.Context, login, ipKey, ip, publicID, why string, answer error) error {
	actx := vernost.WithActor(ctx, vernost.Actor{Name: login, IP: ip})
	err := s.db.WithTx(actx, func(tx *sqldb.Tx) error {
		if _, err := s.q.Exec(actx, tx, "insert-attempt", login, ipKey, false, s.now()); err != nil {
			return err
		}
		return s.log.Record(actx, tx, "session.login_failed", "user", publicID, why)
	})
	if err != nil {
		return err
	}
	return answer
}

// sessionExpiry is when a session created at created and last used at now
// ends: after IdleTimeout of quiet, and never later than MaxSessionAge.
func sessionExpiry(created, now time.Time) time.Time {
	idle := now.Add(IdleTimeout)
	if abs := created.Add(MaxSessionAge); abs.Before(idle) {
		return abs
	}
	return idle
}

// Authenticate resolves a session token to its session and user and slides
// the idle expiry forward. A missing, expired or ended session, or an
// inactive user, is unauthorized.
func (s *Service) Authenticate(ctx context.Context, token string) (Session, User, error) {
	if len(token) != tokenLen {
		return Session{}, User{}, unauthorized("not signed in")
	}
	idHash := hashToken(token)
	var sess Session
	var u User
	var lastSeen time.Time
	dest := append([]any{&sess.CSRFToken, &sess.CreatedAt, &lastSeen, &sess.ExpiresAt}, userColumns(&u)...)
	err := s.q.QueryRow(ctx, nil, "session-by-hash", idHash).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, User{}, unauthorized("not signed in or the session has ended")
	}
	if err != nil {
		return Session{}, User{}, sqldb.MapError(err)
	}
	u.utc()
	sess.UserID = u.ID
	sess.CreatedAt, sess.ExpiresAt, lastSeen = sess.CreatedAt.UTC(), sess.ExpiresAt.UTC(), lastSeen.UTC()
	now := s.now()
	if !now.Before(sess.ExpiresAt) {
		return Session{}, User{}, unauthorized("the session has expired; sign in again")
	}
	if !u.Active {
		return Session{}, User{}, unauthorized("this account is deactivated")
	}
	if now.Sub(lastSeen) >= touchEvery {
		exp := sessionExpiry(sess.CreatedAt, now)
		err := s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
			_, err := s.q.Exec(ctx, tx, "touch-session", idHash, now, exp)
			return err
		})
		if err != nil {
			return Session{}, User{}, err
		}
		sess.ExpiresAt = exp
	}
	return sess, u, nil
}

// Logout ends the session of token. Ending a session that does not exist is
// not an error: the person is signed out either way.
func (s *Service) Logout(ctx context.Context, token string) error {
	if len(token) != tokenLen {
		return nil
	}
	return s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		var userID int64
		err := s.q.QueryRow(ctx, tx, "delete-session", hashToken(token)).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		var u User
		if err := s.q.QueryRow(ctx, tx, "user-by-id", userID).Scan(userColumns(&u)...); err != nil {
			return err
		}
		actx := vernost.WithActor(ctx, u.Actor(vernost.ActorFrom(ctx).IP))
		return s.log.Record(actx, tx, "session.logout", "user", u.PublicID, "")
	})
}

// attemptRetention is how long sign-in attempts are kept: far longer than
// LoginWindow, short enough that the table stays small.
const attemptRetention = 24 * time.Hour

// PurgeExpired deletes expired sessions and sign-in attempts older than a
// day, and returns how many rows went. A periodic worker calls it.
func (s *Service) PurgeExpired(ctx context.Context) (int, error) {
	now := s.now()
	var n int64
	err := s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		n = 0
		for _, step := range []struct {
			query  string
			before time.Time
		}{{"purge-sessions", now}, {"purge-attempts", now.Add(-attemptRetention)}} {
			res, err := s.q.Exec(ctx, tx, step.query, step.before)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += k
		}
		return nil
	})
	return int(n), err
}
