package auth

import (
	"strings"
	"testing"
	"time"
)

func TestRateKey(t *testing.T) {
	tests := []struct{ ip, want string }{
		{"192.0.2.1", "192.0.2.1"},
		{"192.0.2.1:5555", "192.0.2.1"},
		{"::ffff:192.0.2.1", "192.0.2.1"},
		{"2001:db8::1", "2001:db8::/64"},
		{"2001:db8::1:2:3:4", "2001:db8::/64"},
		{"2001:db8:0:1::1", "2001:db8:0:1::/64"},
		{"[2001:db8::1]:443", "2001:db8::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"", ""},
		{"unix-socket", "unix-socket"},
		{"bad\x00\xffaddr", "bad\uFFFDaddr"},
		{strings.Repeat("x", 100), strings.Repeat("x", 64)},
	}
	for _, tt := range tests {
		if got := rateKey(tt.ip); got != tt.want {
			t.Errorf("rateKey(%q) = %q, want %q", tt.ip, got, tt.want)
		}
	}
}

func TestSessionExpiry(t *testing.T) {
	created := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		sinceCreated time.Duration
		want         time.Time
	}{
		{0, created.Add(IdleTimeout)},
		{3 * 24 * time.Hour, created.Add(3*24*time.Hour + IdleTimeout)},
		{MaxSessionAge - IdleTimeout, created.Add(MaxSessionAge)},
		{MaxSessionAge - time.Hour, created.Add(MaxSessionAge)},
	}
	for _, tt := range tests {
		if got := sessionExpiry(created, created.Add(tt.sinceCreated)); !got.Equal(tt.want) {
			t.Errorf("sessionExpiry(+%v) = %v, want %v", tt.sinceCreated, got, tt.want)
		}
	}
}

func TestStorable(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"ivan", 64, "ivan"},
		{"iv\x00an", 64, "ivan"},
		{"ёжик", 5, "ёж"}, // 2 bytes a rune: cut at a rune boundary, never inside one
		{"ёжик", 4, "ёж"},
		{"a\xffb", 64, "a\uFFFDb"},
	}
	for _, tt := range tests {
		if got := storable(tt.in, tt.n); got != tt.want {
			t.Errorf("storable(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
