package auth

import (
	"sync"
	"time"
)

// tokenCacheTTL is how long an authenticated API token is trusted without
// reading it again. A phone system looks a caller up on every call, and
// reading the token with its user was a third of each lookup's work.
// Revoking a token or changing a user through this service empties the
// cache at once; a change made by another process (the vernost user
// command) takes effect within this time.
const tokenCacheTTL = 5 * time.Second

// tokenCache holds tokens that authenticated, by their hash. Only valid
// tokens enter it, so its size is bounded by the tokens issued.
type tokenCache struct {
	mu  sync.Mutex
	m   map[string]cachedToken
	gen uint64 // counts clears: a token read before one is not kept after it
}

type cachedToken struct {
	t     Token
	u     User
	until time.Time
}

func (c *tokenCache) get(hash string, now time.Time) (Token, User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || !now.Before(e.until) {
		return Token{}, User{}, false
	}
	return e.t, e.u, true
}

// generation is taken before reading a token, for put.
func (c *tokenCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps a token read since generation gen, unless the cache was
// cleared meanwhile: the token may have been revoked after it was read.
func (c *tokenCache) put(hash string, t Token, u User, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil {
		c.m = map[string]cachedToken{}
	}
	c.m[hash] = cachedToken{t: t, u: u, until: now.Add(tokenCacheTTL)}
}

// clear forgets every token, after a change that may end one.
func (c *tokenCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.m)
	c.gen++
}
