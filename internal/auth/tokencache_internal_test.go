package auth

import (
	"testing"
	"time"
)

// A token read before a clear is not kept after it: it may be the state a
// revocation just ended.
func TestTokenCacheDropsReadsFromBeforeAClear(t *testing.T) {
	var c tokenCache
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	gen := c.generation()
	c.clear() // a revocation commits while the token is being read
	c.put("h", Token{Name: "stale"}, User{}, now, gen)
	if _, _, ok := c.get("h", now); ok {
		t.Error("a token read before the clear was kept")
	}
	c.put("h", Token{Name: "fresh"}, User{}, now, c.generation())
	if tok, _, ok := c.get("h", now.Add(tokenCacheTTL-time.Nanosecond)); !ok || tok.Name != "fresh" {
		t.Errorf("within the TTL: %+v %v, want the fresh token", tok, ok)
	}
	if _, _, ok := c.get("h", now.Add(tokenCacheTTL)); ok {
		t.Error("kept past the TTL")
	}
}
