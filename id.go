package vernost

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"sync"
	"time"
)

// PublicID returns an identifier for records shown in URLs and exports, so
// that internal int64 keys (and the size of the base) stay private: 16
// characters of lower-case Crockford base32 holding 80 bits, of which the
// first 42 are milliseconds since 2020 and the other 38 random.
//
// The time prefix makes ids sort by creation, so a bulk load appends to the
// right edge of each unique index instead of dirtying a random page of it
// per row. Ids made by one process in the same millisecond still ascend: the
// random part grows by a random step, so neighbours are not guessable.
func PublicID() string {
	ids.Lock()
	defer ids.Unlock()
	ms := uint64(time.Since(idEpoch).Milliseconds())
	if ms > ids.ms {
		ids.ms, ids.random = ms, randomBits(38)
	} else if ids.random += 1 + randomBits(24); ids.random >= 1<<38 {
		// More ids in one millisecond than the random part can hold:
		// borrow the next millisecond.
		ids.ms, ids.random = ids.ms+1, randomBits(37)
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[0:8], ids.ms<<22|ids.random>>16)
	binary.BigEndian.PutUint16(b[8:10], uint16(ids.random))
	return idEncoding.EncodeToString(b[:10])
}

var (
	idEpoch    = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)
	ids        struct {
		sync.Mutex
		ms, random uint64
	}
)

func randomBits(n uint) uint64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("vernost: crypto/rand failed: " + err.Error())
	}
	return binary.BigEndian.Uint64(b[:]) >> (64 - n)
}
