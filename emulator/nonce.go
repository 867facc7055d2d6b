package emulator

import (
	"sync"
	"time"
)

// Nonce memory bounds.
const (
	// nonceTTL is how long a nonce is remembered: a timestamp may be
	// MaxClockSkew off either way, so a nonce stays replayable-detectable
	// for twice that.
	nonceTTL = 2 * MaxClockSkew
	// maxNonces bounds the memory: beyond it the oldest nonces are
	// forgotten first.
	maxNonces = 1 << 18
)

// nonceCache remembers the signature nonces seen, each for nonceTTL, in
// bounded memory.
type nonceCache struct {
	mu    sync.Mutex
	seen  map[string]time.Time
	order []nonceEntry // insertion order, oldest first, from head on
	head  int
}

// nonceEntry is one remembered nonce and when it was seen.
type nonceEntry struct {
	key  string
	seen time.Time
}

// newNonceCache returns an empty cache.
func newNonceCache() *nonceCache {
	return &nonceCache{seen: make(map[string]time.Time)}
}

// remember records key as seen at now and reports whether it was new.
func (c *nonceCache) remember(key string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(now)
	if _, used := c.seen[key]; used {
		return false
	}
	c.seen[key] = now
	c.order = append(c.order, nonceEntry{key, now})
	return true
}

// expire forgets the nonces older than nonceTTL and, beyond maxNonces, the
// oldest ones. The queue is compacted once half of it is spent.
func (c *nonceCache) expire(now time.Time) {
	for c.head < len(c.order) {
		oldest := c.order[c.head]
		if now.Sub(oldest.seen) <= nonceTTL && len(c.order)-c.head < maxNonces {
			break
		}
		delete(c.seen, oldest.key)
		c.head++
	}
	if c.head > 0 && c.head >= len(c.order)/2 {
		c.order = append(c.order[:0:0], c.order[c.head:]...)
		c.head = 0
	}
}
