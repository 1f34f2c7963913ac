package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
)

// Limits on account fields.
const (
	MinPasswordLen = 10   // characters
	maxPasswordLen = 1024 // bytes; no real password is longer
	maxNameLen     = 200  // characters
	maxEmailLen    = 254
)

var loginPattern = regexp.MustCompile(`^[a-z0-9._-]{2,64}$`)

// NormalizeLogin is how a typed login is compared: trimmed and lower-cased,
// so that "Ivanov" at the sign-in form finds the account "ivanov".
func NormalizeLogin(login string) string { return strings.ToLower(strings.TrimSpace(login)) }

func validateLogin(login string) error {
	if !loginPattern.MatchString(login) {
		return vernost.Invalid("login", "must be 2 to 64 characters of a-z, 0-9, '.', '_' or '-'")
	}
	return nil
}

// ValidatePassword checks the password rules, so forms can check early.
func ValidatePassword(password string) error {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLen:
		return vernost.Invalid("password", "must be at least %d characters", MinPasswordLen)
	case len(password) > maxPasswordLen:
		return vernost.Invalid("password", "must be at most %d bytes", maxPasswordLen)
	case !utf8.ValidString(password):
		return vernost.Invalid("password", "is not valid UTF-8 text")
	}
	return nil
}

func validateName(name string) error {
	switch {
	case name == "":
		return vernost.Invalid("name", "is required")
	case utf8.RuneCountInString(name) > maxNameLen:
		return vernost.Invalid("name", "must be at most %d characters", maxNameLen)
	case !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0:
		return vernost.Invalid("name", "must be plain text on one line")
	}
	return nil
}

func validateEmail(email string) error {
	if email == "" {
		return nil
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || a.Name != "" || len(email) > maxEmailLen {
		return vernost.Invalid("email", "%q is not an email address", email)
	}
	return nil
}

func validateRole(r vernost.Role) error {
	if !r.Valid() {
		return vernost.Invalid("role", "%q is not a role (want agent, supervisor or admin)", r)
	}
	return nil
}

func validateLocale(l string) error {
	if l != "ru" && l != "en" {
		return vernost.Invalid("locale", "%q is not supported (want ru or en)", l)
	}
	return nil
}

// CreateUser adds an active user. The login is lower-cased; a taken login is
// a conflict.
func (s *Service) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	u := User{
		PublicID: vernost.PublicID(),
		Login:    NormalizeLogin(nu.Login),
		Name:     strings.TrimSpace(nu.Name),
		Email:    strings.TrimSpace(nu.Email),
		Role:     nu.Role,
		Locale:   nu.Locale,
		Active:   true,
	}
	if u.Locale == "" {
		u.Locale = "ru"
	}
	for _, err := range []error{validateLogin(u.Login), validateName(u.Name), validateEmail(u.Email),
		validateRole(u.Role), validateLocale(u.Locale), ValidatePassword(nu.Password)} {
		if err != nil {
			return User{}, err
		}
	}
	// Hash before the transaction: it is the slow part and must not hold
	// the writer.
	hash, err := HashPassword(nu.Password)
	if err != nil {
		return User{}, vernost.Internal(err)
	}
	u.CreatedAt = s.now()
	u.UpdatedAt = u.CreatedAt
	err = s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		err := s.q.QueryRow(ctx, tx, "insert-user", u.PublicID, u.Login, u.Name, u.Email, string(u.Role),
			hash, u.Locale, u.Active, u.CreatedAt).Scan(&u.ID)
		if sqldb.IsConflict(err) {
			return &vernost.Error{Code: vernost.EConflict, Field: "login", Message: fmt.Sprintf("login %q is taken", u.Login), Err: err}
		}
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		return s.log.Record(ctx, tx, "user.create", "user", u.PublicID, fmt.Sprintf("login=%s role=%s", u.Login, u.Role))
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// SetPassword replaces the password of login and ends all of that user's
// sessions, so a stolen session dies with the old password.
func (s *Service) SetPassword(ctx context.Context, login, password string) error {
	login = NormalizeLogin(login)
	if err := ValidatePassword(password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return vernost.Internal(err)
	}
	return s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		var id int64
		var publicID string
		err := s.q.QueryRow(ctx, tx, "set-password-hash", login, hash, s.now()).Scan(&id, &publicID)
		if errors.Is(err, sql.ErrNoRows) {
			return &vernost.Error{Code: vernost.ENotFound, Field: "login", Message: fmt.Sprintf("no user with login %q", login)}
		}
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := s.q.Exec(ctx, tx, "delete-user-sessions", id); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, "user.password", "user", publicID, "password changed; sessions ended")
	})
}

// UpdateUser changes the fields set in up. Deactivating a user ends their
// sessions. The last active admin can be neither demoted nor deactivated, so
// nobody is ever locked out of administration.
func (s *Service) UpdateUser(ctx context.Context, publicID string, up UserUpdate) (User, error) {
	if err := up.validate(); err != nil {
		return User{}, err
	}
	defer s.tokens.clear() // the user's tokens may now be refused or scoped by another role
	var out User
	err := s.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		// Admins are locked before the user, in every transaction that may
		// change a role, so two such transactions cannot deadlock.
		var admins []int64
		if up.Role != nil || up.Active != nil {
			var err error
			if admins, err = s.activeAdmins(ctx, tx); err != nil {
				return err
			}
		}
		var cur User
		err := s.q.QueryRow(ctx, tx, "lock-user-by-public-id", publicID).Scan(userColumns(&cur)...)
		if errors.Is(err, sql.ErrNoRows) {
			return vernost.Errorf(vernost.ENotFound, "no user %q", publicID)
		}
		if err != nil {
			return fmt.Errorf("read user: %w", err)
		}
		cur.utc()
		next, changes := up.apply(cur)
		if len(changes) == 0 {
			out = cur
			return nil
		}
		wasAdmin := slices.Contains(admins, cur.ID)
		if wasAdmin && (next.Role != vernost.RoleAdmin || !next.Active) && len(admins) == 1 {
			return vernost.Errorf(vernost.EConflict, "%s is the last active admin and cannot be demoted or deactivated; make another admin first", cur.Login)
		}
		next.UpdatedAt = s.now()
		if _, err := s.q.Exec(ctx, tx, "update-user", next.ID, next.Name, next.Email, next.Locale,
			string(next.Role), next.Active, next.UpdatedAt); err != nil {
			return err
		}
		if cur.Active && !next.Active {
			if _, err := s.q.Exec(ctx, tx, "delete-user-sessions", next.ID); err != nil {
				return err
			}
		}
		out = next
		return s.log.Record(ctx, tx, "user.update", "user", next.PublicID, strings.Join(changes, "; "))
	})
	if err != nil {
		return User{}, err
	}
	return out, nil
}

func (s *Service) activeAdmins(ctx context.Context, tx *sqldb.Tx) ([]int64, error) {
	rows, err := s.q.Query(ctx, tx, "lock-active-admins")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (up UserUpdate) validate() error {
	if up.Name != nil {
		if err := validateName(strings.TrimSpace(*up.Name)); err != nil {
			return err
		}
	}
	if up.Email != nil {
		if err := validateEmail(strings.TrimSpace(*up.Email)); err != nil {
			return err
		}
	}
	if up.Locale != nil {
		if err := validateLocale(*up.Locale); err != nil {
			return err
		}
	}
	if up.Role != nil {
		if err := validateRole(*up.Role); err != nil {
			return err
		}
	}
	return nil
}

// apply returns u with up applied and a readable line per changed field, for
// the audit log.
func (up UserUpdate) apply(u User) (User, []string) {
	var changes []string
	set := func(field string, dst *string, src *string) {
		if src == nil {
			return
		}
		v := strings.TrimSpace(*src)
		if v != *dst {
			changes = append(changes, fmt.Sprintf("%s: %q → %q", field, *dst, v))
			*dst = v
		}
	}
	set("name", &u.Name, up.Name)
	set("email", &u.Email, up.Email)
	set("locale", &u.Locale, up.Locale)
	set("role", (*string)(&u.Role), (*string)(up.Role))
	if up.Active != nil && *up.Active != u.Active {
		changes = append(changes, fmt.Sprintf("active: %t → %t", u.Active, *up.Active))
		u.Active = *up.Active
	}
	return u, changes
}

// ListUsers returns every user, by login.
func (s *Service) ListUsers(ctx context.Context) ([]User, error) {
	rows, err := s.q.Query(ctx, nil, "list-users")
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		if err := rows.Scan(userColumns(&u)...); err != nil {
			return nil, sqldb.MapError(err)
		}
		u.utc()
		out = append(out, u)
	}
	return out, sqldb.MapError(rows.Err())
}

// UserByID returns the user with internal id, or a not-found error.
func (s *Service) UserByID(ctx context.Context, id int64) (User, error) {
	return s.userBy(ctx, "user-by-id", id)
}

// UserByPublicID returns the user with the public id, or a not-found error.
func (s *Service) UserByPublicID(ctx context.Context, publicID string) (User, error) {
	return s.userBy(ctx, "user-by-public-id", publicID)
}

// UserByLogin returns the user with login (compared normalised), or a
// not-found error.
func (s *Service) UserByLogin(ctx context.Context, login string) (User, error) {
	return s.userBy(ctx, "user-by-login", NormalizeLogin(login))
}

func (s *Service) userBy(ctx context.Context, query string, key any) (User, error) {
	var u User
	err := s.q.QueryRow(ctx, nil, query, key).Scan(userColumns(&u)...)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, &vernost.Error{Code: vernost.ENotFound, Message: fmt.Sprintf("no user %v", key), Err: err}
	}
	if err != nil {
		return User{}, sqldb.MapError(err)
	}
	u.utc()
	return u, nil
}
