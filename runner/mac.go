package runner

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"hash"
	"sync"
)

// macCache keeps keyed HMACs for reuse, by algorithm and key: hmac.New
// allocates and hashes the key's pads every time, a reset HMAC only
// restores them. It is safe for concurrent use (an HMAC is used by one
// signer at a time); a nil cache keys a new HMAC for each use. Unlike a
// sync.Pool per key, which the garbage collector empties, it keeps them:
// with many accounts, each account's pool would be empty at most uses.
type macCache struct {
	mu   sync.Mutex
	free map[macKey][]hash.Hash
}

// maxFreeMACs is how many unused HMACs macCache keeps of one key: one for
// each signer working at once, more or less.
const maxFreeMACs = 8

// macKey names a keyed HMAC: V1's, HMAC-SHA1 under secret+"&", or V3's,
// HMAC-SHA256 under secret.
type macKey struct {
	v1     bool
	secret string
}

// newMAC is a new HMAC keyed as k says.
func (k macKey) newMAC() hash.Hash {
	if k.v1 {
		return hmac.New(sha1.New, []byte(k.secret+"&"))
	}
	return hmac.New(sha256.New, []byte(k.secret))
}

// get is an HMAC keyed as k says, ready to use; give it back with put.
func (m *macCache) get(k macKey) hash.Hash {
	if m == nil {
		return k.newMAC()
	}
	m.mu.Lock()
	free := m.free[k]
	if len(free) == 0 {
		m.mu.Unlock()
		return k.newMAC()
	}
	mac := free[len(free)-1]
	m.free[k] = free[:len(free)-1]
	m.mu.Unlock()
	mac.Reset()
	return mac
}

// put gives back an HMAC get returned for k.
func (m *macCache) put(k macKey, mac hash.Hash) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.free == nil {
		m.free = map[macKey][]hash.Hash{}
	}
	if free := m.free[k]; len(free) < maxFreeMACs {
		m.free[k] = append(free, mac)
	}
}

// buffers are the chunked buffers of signing (newChunked), pooled: a few
// KB a request otherwise.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, hashChunk); return &b }}

// sha256s are SHA-256 hashes for the payload hash and the canonical
// request, pooled.
var sha256s = sync.Pool{New: func() any { return sha256.New() }}
