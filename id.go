package vernost

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

// PublicID returns a random, URL-safe identifier for records shown in URLs and
// exports, so that internal int64 keys (and the size of the base) stay private.
// 80 random bits, lower-case base32 without padding: 16 characters.
func PublicID() string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("vernost: crypto/rand failed: " + err.Error())
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}
