package clv

import (
	"math"
	"math/bits"
)

// ageTable maps (x, T) to a score by open addressing. It stands in for a Go
// map because it is looked up once per customer: hashing a struct with a
// float field through the map's generic hash cost more than all the other
// work per customer.
type ageTable struct {
	slots []ageSlot // 2^(64-shift) of them, at most half full
	shift uint
	used  int
}

type ageSlot struct {
	x     int
	T     float64
	full  bool
	score purchaseScore
}

// find returns the slot holding (x, T), or, with found false, nil.
func (t *ageTable) find(x int, T float64) (slot *ageSlot, found bool) {
	if len(t.slots) == 0 {
		return nil, false
	}
	mask := len(t.slots) - 1
	for i := t.home(x, T); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if !s.full {
			return nil, false
		}
		if s.x == x && s.T == T {
			return s, true
		}
	}
}

// insert adds (x, T), which must not be in the table, and returns its slot.
func (t *ageTable) insert(x int, T float64, score purchaseScore) *ageSlot {
	if 2*(t.used+1) > len(t.slots) {
		t.grow()
	}
	mask := len(t.slots) - 1
	i := t.home(x, T)
	for t.slots[i].full {
		i = (i + 1) & mask
	}
	t.slots[i] = ageSlot{x: x, T: T, full: true, score: score}
	t.used++
	return &t.slots[i]
}

func (t *ageTable) grow() {
	old := t.slots
	n := max(64, 2*len(old))
	t.slots, t.shift, t.used = make([]ageSlot, n), uint(65-bits.Len(uint(n))), 0
	for _, s := range old {
		if s.full {
			t.insert(s.x, s.T, s.score)
		}
	}
}

// home is the first slot to probe: Fibonacci hashing of x and the bits of T,
// taking the top bits of the product, which depend on all bits of the key.
// T = -0 and +0 get different slots; they merely share no work.
func (t *ageTable) home(x int, T float64) int {
	h := (math.Float64bits(T) ^ uint64(x)*0xbf58476d1ce4e5b9) * 0x9e3779b97f4a7c15
	return int(h >> t.shift)
}
