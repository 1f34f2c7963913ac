package auth

import "testing"

// FuzzParsePHC checks that the stored-hash parser never panics, never
// accepts parameters outside its bounds, and accepts only canonical strings:
// whatever it reads, encodePHC writes back byte for byte.
func FuzzParsePHC(f *testing.F) {
	for _, seed := range []string{
		"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5Q",
		"$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
		"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNh\nbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$argon2id$v=19$m=4294967295,t=64,p=255$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5Q",
		"",
		"$$$$$",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, salt, key, err := parsePHC(s)
		if err != nil {
			return
		}
		if p.Memory > maxMemory || p.Memory < 8*uint32(p.Threads) || p.Time < 1 || p.Time > maxTime || p.Threads < 1 {
			t.Errorf("parsePHC(%q) accepted out-of-bounds parameters %+v", s, p)
		}
		if len(salt) < minSaltLen || len(salt) > maxSaltLen || len(key) < minKeyLen || len(key) > maxKeyLen {
			t.Errorf("parsePHC(%q) accepted salt of %d or key of %d bytes", s, len(salt), len(key))
		}
		if back := encodePHC(p, salt, key); back != s {
			t.Errorf("parsePHC accepted a non-canonical hash:\n  in  %q\n  out %q", s, back)
		}
	})
}
