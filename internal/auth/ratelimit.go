package auth

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/sqldb"
)

// Sign-in rate limits: failed attempts allowed per login and per client
// address within LoginWindow. A success clears the per-login count (the
// person got in); the per-address count is not cleared, so one valid account
// cannot be used to keep guessing others from the same address.
const (
	MaxFailuresPerLogin = 5
	MaxFailuresPerIP    = 20
	LoginWindow         = 15 * time.Minute
)

// RateLimitError is the cause inside a vernost.ERateLimited error. The web
// layer reads it with RetryAt to set a Retry-After header.
type RateLimitError struct {
	RetryAt time.Time
}

func (e *RateLimitError) Error() string {
	return "rate limited until " + e.RetryAt.Format(time.RFC3339)
}

// RetryAt returns when a rate-limited request may be retried.
func RetryAt(err error) (time.Time, bool) {
	var rl *RateLimitError
	if errors.As(err, &rl) {
		return rl.RetryAt, true
	}
	return time.Time{}, false
}

// checkRate refuses a sign-in while login or ipKey has used up its failures.
func (s *Service) checkRate(ctx context.Context, login, ipKey string, now time.Time) error {
	since := now.Add(-LoginWindow)
	retry, err := s.blockedUntil(ctx, "recent-failures-by-login", login, since, MaxFailuresPerLogin)
	if err != nil {
		return err
	}
	if ipKey != "" {
		byIP, err := s.blockedUntil(ctx, "recent-failures-by-ip", ipKey, since, MaxFailuresPerIP)
		if err != nil {
			return err
		}
		if byIP.After(retry) {
			retry = byIP
		}
	}
	if !retry.After(now) {
		return nil
	}
	minutes := int(math.Ceil(retry.Sub(now).Minutes()))
	return &vernost.Error{
		Code:    vernost.ERateLimited,
		Message: fmt.Sprintf("too many failed sign-in attempts; try again in %d min, after %s UTC", minutes, retry.Format("15:04:05")),
		Err:     &RateLimitError{RetryAt: retry},
	}
}

// blockedUntil returns when key's block lifts: the newest limit failures are
// fetched, and once the oldest of them leaves the window fewer than limit
// remain. The zero time means not blocked.
func (s *Service) blockedUntil(ctx context.Context, query, key string, since time.Time, limit int) (time.Time, error) {
	rows, err := s.q.Query(ctx, nil, query, key, since, limit)
	if err != nil {
		return time.Time{}, sqldb.MapError(err)
	}
	defer rows.Close()
	var n int
	var oldest time.Time
	for rows.Next() {
		if err := rows.Scan(&oldest); err != nil {
			return time.Time{}, sqldb.MapError(err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return time.Time{}, sqldb.MapError(err)
	}
	if n < limit {
		return time.Time{}, nil
	}
	return oldest.UTC().Add(LoginWindow), nil
}

// rateKey is the address a failure is counted against. IPv6 clients usually
// hold a whole /64, so that prefix counts as one address; IPv4-mapped
// addresses count as their IPv4 form. Text that is no address is kept, made
// storable.
func rateKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		ap, err := netip.ParseAddrPort(ip)
		if err != nil {
			return storable(ip, 64)
		}
		addr = ap.Addr()
	}
	addr = addr.Unmap().WithZone("")
	if addr.Is6() {
		return netip.PrefixFrom(addr, 64).Masked().String()
	}
	return addr.String()
}
