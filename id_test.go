package vernost

import (
	"strings"
	"testing"
	"time"
)

func TestPublicIDsAscendAndDiffer(t *testing.T) {
	const n = 200_000 // many per millisecond: the monotonic branch runs
	prev := ""
	seen := make(map[string]bool, n)
	for range n {
		id := PublicID()
		if len(id) != 16 || strings.Trim(id, "0123456789abcdefghjkmnpqrstvwxyz") != "" {
			t.Fatalf("PublicID() = %q: want 16 characters of lower-case Crockford base32", id)
		}
		if id <= prev {
			t.Fatalf("PublicID() = %q after %q: ids must ascend", id, prev)
		}
		if seen[id] {
			t.Fatalf("PublicID() repeated %q", id)
		}
		seen[id], prev = true, id
	}
}

func TestPublicIDCarriesTheTime(t *testing.T) {
	before := time.Now()
	id := PublicID()
	b, err := idEncoding.DecodeString(id)
	if err != nil {
		t.Fatal(err)
	}
	var ms uint64
	for _, x := range b[:6] {
		ms = ms<<8 | uint64(x)
	}
	ms >>= 6 // 48 bits read, 42 are the time
	at := idEpoch.Add(time.Duration(ms) * time.Millisecond)
	if d := at.Sub(before); d < -time.Millisecond || d > time.Second {
		t.Errorf("id %s holds %v, made at %v", id, at, before)
	}
}

func TestPublicIDOverflowBorrowsTheNextMillisecond(t *testing.T) {
	ids.Lock()
	ids.ms, ids.random = 1<<41, 1<<38-1 // far in the future: this millisecond is full
	ids.Unlock()
	a := PublicID()
	b := PublicID()
	if !(a < b) {
		t.Errorf("after overflow: %q then %q, want ascending", a, b)
	}
	ids.Lock()
	if ids.ms != 1<<41+1 {
		t.Errorf("ms = %d, want the next millisecond %d", ids.ms, uint64(1<<41+1))
	}
	ids.ms, ids.random = 0, 0
	ids.Unlock()
}
