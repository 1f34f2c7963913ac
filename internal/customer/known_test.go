package customer

import (
	"fmt"
	"testing"
)

// The filter never forgets a key, however far it grows past its first
// size, and keeps its false positives near the rate it was built for.
func TestKnownKeysGrowWithoutForgetting(t *testing.T) {
	k := newKnownKeys(100_000)
	k.stages[0] = newBlockFilter(50_000) // small, so that the test sees it grow
	const n = 300_000
	for i := range n {
		k.add("phone", fmt.Sprintf("+7916%07d", i))
	}
	if len(k.stages) < 3 {
		t.Fatalf("%d stages for %d keys, want the filter to have grown", len(k.stages), n)
	}
	for i := range n {
		if v := fmt.Sprintf("+7916%07d", i); !k.mayHold("phone", v) {
			t.Fatalf("lost %s", v)
		}
	}
	if k.mayHold("email", "+79160000001") == k.mayHold("phone", "+79160000001") && k.mayHold("email", "+79160000002") {
		t.Error("the kind is not part of the key")
	}
	false := 0
	const probes = 100_000
	for i := range probes {
		if k.mayHold("phone", fmt.Sprintf("+7926%07d", i)) {
			false++
		}
	}
	if rate := float64(false) / probes; rate > 0.02 {
		t.Errorf("false-positive rate %.4f over %d stages, want under 2%%", rate, len(k.stages))
	} else {
		t.Logf("false-positive rate %.4f over %d stages", rate, len(k.stages))
	}
}

// BenchmarkKnownKeys is the filter's cost per key of a load: one test and
// one add, over two million keys.
func BenchmarkKnownKeys(b *testing.B) {
	k := newKnownKeys(2_000_000)
	values := make([]string, 2_000_000)
	for i := range values {
		values[i] = fmt.Sprintf("+7916%07d", i)
	}
	b.ResetTimer()
	for i := range b.N {
		v := values[i%len(values)]
		if !k.mayHold("phone", v) {
			k.add("phone", v)
		}
	}
}
