package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argonParams are the argon2id cost parameters of one hash.
type argonParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// currentParams follow the OWASP Password Storage Cheat Sheet baseline for
// argon2id (19 MiB, 2 passes, 1 lane): about 30 ms on one core, which keeps
// sign-in quick on a small server while making offline guessing expensive.
var currentParams = argonParams{Memory: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// Bounds accepted when reading a stored hash. They admit any sensible
// setting and refuse values that would make one check eat the machine.
const (
	maxMemory  = 1 << 20 // KiB, 1 GiB
	maxTime    = 64
	minSaltLen = 8
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 64
)

var b64 = base64.RawStdEncoding.Strict()

// HashPassword returns an argon2id hash of password in the PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, salt and hash in unpadded
// standard base64.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	p := currentParams
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	return encodePHC(p, salt, key), nil
}

// CheckPassword reports whether password matches hash. A hash that is not a
// well-formed argon2id PHC string is an error, never a match.
func CheckPassword(hash, password string) (bool, error) {
	p, salt, key, err := parsePHC(hash)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// needsRehash reports whether hash was made with other parameters than the
// current ones, so a successful sign-in can upgrade it.
func needsRehash(hash string) bool {
	p, salt, key, err := parsePHC(hash)
	return err != nil || p != currentParams || len(salt) != saltLen || len(key) != keyLen
}

func encodePHC(p argonParams, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

var errBadHash = errors.New("password hash is not an argon2id PHC string")

// parsePHC reads a hash written by encodePHC. It is strict: parameters in the
// order m, t, p, decimal without signs or leading zeros, canonical base64, so
// that every accepted string is exactly what encodePHC would write.
func parsePHC(s string) (p argonParams, salt, key []byte, err error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("%w: unsupported version %q", errBadHash, parts[2])
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return p, nil, nil, fmt.Errorf("%w: want parameters m, t, p", errBadHash)
	}
	var vals [3]uint32
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(kv[i], name+"=")
		if !ok {
			return p, nil, nil, fmt.Errorf("%w: parameter %d is not %s", errBadHash, i+1, name)
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || strconv.FormatUint(n, 10) != v {
			return p, nil, nil, fmt.Errorf("%w: %s=%q is not a number", errBadHash, name, v)
		}
		vals[i] = uint32(n)
	}
	p = argonParams{Memory: vals[0], Time: vals[1]}
	switch {
	case vals[2] < 1 || vals[2] > 255:
		return p, nil, nil, fmt.Errorf("%w: p=%d out of range", errBadHash, vals[2])
	case vals[1] < 1 || vals[1] > maxTime:
		return p, nil, nil, fmt.Errorf("%w: t=%d out of range", errBadHash, vals[1])
	case vals[0] < 8*vals[2] || vals[0] > maxMemory:
		return p, nil, nil, fmt.Errorf("%w: m=%d out of range", errBadHash, vals[0])
	}
	p.Threads = uint8(vals[2])
	if salt = decodeB64(parts[4]); len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return p, nil, nil, fmt.Errorf("%w: bad salt", errBadHash)
	}
	if key = decodeB64(parts[5]); len(key) < minKeyLen || len(key) > maxKeyLen {
		return p, nil, nil, fmt.Errorf("%w: bad hash", errBadHash)
	}
	return p, salt, key, nil
}

// decodeB64 decodes canonical unpadded base64, or returns nil. The decoder
// alone would skip embedded newlines; re-encoding catches them.
func decodeB64(s string) []byte {
	b, err := b64.DecodeString(s)
	if err != nil || b64.EncodeToString(b) != s {
		return nil
	}
	return b
}
