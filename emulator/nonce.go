package emulator

import (
	"slices"
	"sync"
	"time"
)

// Nonce memory bounds.
const (
	// maxNonces bounds the nonces remembered at once: beyond it the
	// oldest are forgotten first, a generation at a time. At 8 bytes each
	// the cache stays under about 5 MiB; it holds the whole validity
	// window (MaxClockSkew) of traffic up to about 580 requests a second.
	maxNonces = 1 << 19
	// nonceGeneration is how many nonces, in arrival order, share a
	// generation: the newest is a set, the older ones sorted slices.
	nonceGeneration = 1 << 14
)

// nonceCache remembers the signature nonces seen, as keys (see keyer),
// each for as long as a request carrying it can still pass the timestamp
// check: a replay after that is rejected as expired whatever its nonce.
// Memory is bounded by time (that window) and by count (maxNonces).
type nonceCache struct {
	mu sync.Mutex
	// old are the full generations, oldest first; current takes the
	// newest nonces, its latest expiry in currentExpires.
	old            []nonceGen
	current        keySet
	currentExpires int64
	n              int
}

// nonceGen is a full generation: its keys, sorted, and the latest instant
// (Unix nanoseconds) after which a request carrying one of them can no
// longer pass the timestamp check.
type nonceGen struct {
	keys    []uint64
	expires int64
}

// newNonceCache returns an empty cache.
func newNonceCache() *nonceCache {
	return &nonceCache{current: keySet{}}
}

// remember records key, whose request may pass the timestamp check until
// expires, as seen at now, and reports whether it was new. A nonce is
// forgotten once now is past the expiry of every nonce of its generation,
// or when maxNonces newer ones came after it.
func (c *nonceCache) remember(key uint64, expires, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(now)
	if c.current.has(key) {
		return false
	}
	for _, g := range c.old {
		if _, used := slices.BinarySearch(g.keys, key); used {
			return false
		}
	}
	c.current.add(key)
	c.currentExpires = max(c.currentExpires, expires.UnixNano())
	c.n++
	if len(c.current) == nonceGeneration {
		keys := make([]uint64, 0, len(c.current))
		for k := range c.current {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		c.old = append(c.old, nonceGen{keys: keys, expires: c.currentExpires})
		c.current, c.currentExpires = keySet{}, 0
	}
	for c.n > maxNonces && len(c.old) > 0 {
		c.drop()
	}
	return true
}

// expire forgets, oldest first, the generations whose every expiry is
// past, and the newest set when all of it is. A generation that holds one
// nonce expiring late (a timestamp ahead of the clock) holds the ones
// after it until then; the count bound still holds.
func (c *nonceCache) expire(now time.Time) {
	t := now.UnixNano()
	for len(c.old) > 0 && c.old[0].expires < t {
		c.drop()
	}
	if len(c.old) == 0 && len(c.current) > 0 && c.currentExpires < t {
		c.n -= len(c.current)
		c.current, c.currentExpires = keySet{}, 0
	}
}

// drop forgets the oldest full generation.
func (c *nonceCache) drop() {
	c.n -= len(c.old[0].keys)
	c.old[0] = nonceGen{}
	c.old = c.old[1:]
}

// len is how many nonces are remembered.
func (c *nonceCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
