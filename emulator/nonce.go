package emulator

import (
	"sync"
	"time"
)

// maxNonces bounds the nonces remembered at once: beyond it the oldest are
// forgotten first. Each costs about 40 bytes (a key in the set, a key and
// an expiry in the queue), so the cache stays under about 10 MiB.
const maxNonces = 1 << 18

// nonceCache remembers the signature nonces seen, as keys (see keyer),
// each for as long as a request carrying it can still pass the timestamp
// check: a replay after that is rejected as expired whatever its nonce.
// Memory is bounded by time (that window) and by count (maxNonces).
type nonceCache struct {
	mu   sync.Mutex
	seen keySet
	// queue holds the remembered nonces in the order they came, a ring
	// of n entries from head, grown by doubling up to maxNonces.
	queue   []nonceEntry
	head, n int
}

// nonceEntry is one remembered nonce and the instant after which a
// request carrying it can no longer pass the timestamp check.
type nonceEntry struct {
	key     uint64
	expires int64 // Unix nanoseconds
}

// newNonceCache returns an empty cache.
func newNonceCache() *nonceCache {
	return &nonceCache{seen: keySet{}}
}

// remember records key, whose request may pass the timestamp check until
// expires, as seen at now, and reports whether it was new. A nonce is
// forgotten once now is past its expiry, or when maxNonces newer ones
// came after it.
func (c *nonceCache) remember(key uint64, expires, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(now)
	if c.seen.has(key) {
		return false
	}
	if c.n == maxNonces {
		c.drop()
	}
	if c.n == len(c.queue) {
		c.grow()
	}
	c.queue[(c.head+c.n)%len(c.queue)] = nonceEntry{key: key, expires: expires.UnixNano()}
	c.n++
	c.seen.add(key)
	return true
}

// expire forgets, oldest first, the nonces whose expiry is past. One that
// came early but expires late (its timestamp ahead of the clock) holds the
// ones after it until its own expiry; the count bound still holds.
func (c *nonceCache) expire(now time.Time) {
	t := now.UnixNano()
	for c.n > 0 && c.queue[c.head].expires < t {
		c.drop()
	}
}

// drop forgets the oldest nonce.
func (c *nonceCache) drop() {
	delete(c.seen, c.queue[c.head].key)
	c.head = (c.head + 1) % len(c.queue)
	c.n--
}

// grow doubles the queue (up to maxNonces), keeping its order.
func (c *nonceCache) grow() {
	size := min(max(2*len(c.queue), 1024), maxNonces)
	q := make([]nonceEntry, size)
	for i := range c.n {
		q[i] = c.queue[(c.head+i)%len(c.queue)]
	}
	c.queue, c.head = q, 0
}

// len is how many nonces are remembered.
func (c *nonceCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
