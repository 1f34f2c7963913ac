package auth_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/vernost/vernost/internal/auth"
)

var phcFormat = regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashPasswordRoundTrip(t *testing.T) {
	for _, password := range []string{goodPassword, "пароль из слов ёж", "", "x"} {
		hash, err := auth.HashPassword(password)
		if err != nil {
			t.Fatalf("HashPassword(%q): %v", password, err)
		}
		if !phcFormat.MatchString(hash) {
			t.Errorf("HashPassword(%q) = %q, want PHC argon2id with OWASP parameters", password, hash)
		}
		if ok, err := auth.CheckPassword(hash, password); !ok || err != nil {
			t.Errorf("CheckPassword(right password %q) = %t, %v; want true", password, ok, err)
		}
		if ok, err := auth.CheckPassword(hash, password+" "); ok || err != nil {
			t.Errorf("CheckPassword(wrong password) = %t, %v; want false, nil", ok, err)
		}
	}
	a, _ := auth.HashPassword(goodPassword)
	b, _ := auth.HashPassword(goodPassword)
	if a == b {
		t.Errorf("two hashes of one password are equal (%s): the salt is not random", a)
	}
}

// TestCheckPasswordReferenceVector checks a hash written by the argon2
// reference implementation (phc-winner-argon2, test.c), so hashes made
// elsewhere with other parameters are read correctly.
func TestCheckPasswordReferenceVector(t *testing.T) {
	const ref = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	for _, tt := range []struct {
		password string
		want     bool
	}{{"password", true}, {"Password", false}} {
		ok, err := auth.CheckPassword(ref, tt.password)
		if ok != tt.want || err != nil {
			t.Errorf("CheckPassword(reference, %q) = %t, %v; want %t", tt.password, ok, err, tt.want)
		}
	}
}

func TestCheckPasswordRejectsBadHashes(t *testing.T) {
	const salt, key = "c29tZXNhbHQ", "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	good := "$argon2id$v=19$m=65536,t=2,p=1$" + salt + "$" + key
	if ok, err := auth.CheckPassword(good, "password"); !ok || err != nil {
		t.Fatalf("control hash rejected: %t, %v", ok, err)
	}
	bad := map[string]string{
		"empty":                "",
		"bcrypt":               "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":              strings.Replace(good, "argon2id", "argon2i", 1),
		"version 16":           strings.Replace(good, "v=19", "v=16", 1),
		"no version":           "$argon2id$m=65536,t=2,p=1$" + salt + "$" + key,
		"params out of order":  strings.Replace(good, "m=65536,t=2", "t=2,m=65536", 1),
		"missing p":            strings.Replace(good, ",p=1", "", 1),
		"extra param":          strings.Replace(good, "p=1", "p=1,x=2", 1),
		"plus sign":            strings.Replace(good, "t=2", "t=+2", 1),
		"leading zero":         strings.Replace(good, "t=2", "t=02", 1),
		"zero time":            strings.Replace(good, "t=2", "t=0", 1),
		"huge time":            strings.Replace(good, "t=2", "t=1000", 1),
		"zero lanes":           strings.Replace(good, "p=1", "p=0", 1),
		"256 lanes":            strings.Replace(good, "p=1", "p=256", 1),
		"memory below 8p":      strings.Replace(good, "m=65536", "m=7", 1),
		"memory over 1 GiB":    strings.Replace(good, "m=65536", "m=1048577", 1),
		"memory overflow":      strings.Replace(good, "m=65536", "m=4294967296", 1),
		"padded salt":          strings.Replace(good, salt, salt+"=", 1),
		"salt not base64":      strings.Replace(good, salt, "c29tZX!hbHQ", 1),
		"salt with newline":    strings.Replace(good, salt, "c29tZXNh\nbHQ", 1),
		"salt too short":       strings.Replace(good, salt, "c29tZQ", 1),
		"non-canonical salt":   strings.Replace(good, salt, "c29tZXNhbHR", 1),
		"hash too short":       strings.Replace(good, key, "CTFhFdXPJO1aFaMa", 1),
		"trailing dollar":      good + "$",
		"trailing newline":     good + "\n",
		"no leading dollar":    good[1:],
		"url-safe base64 hash": strings.Replace(good, key, "-"+key[1:], 1),
	}
	for name, hash := range bad {
		ok, err := auth.CheckPassword(hash, "password")
		if ok || err == nil {
			t.Errorf("%s: CheckPassword(%q) = %t, %v; want false and an error", name, hash, ok, err)
		}
	}
}
