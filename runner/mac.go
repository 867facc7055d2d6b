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
// restores them. It is safe for concurrent use (each HMAC is pooled, used
// by one signer at a time); a nil cache keys a new HMAC for each use.
type macCache struct {
	pools sync.Map // macKey -> *sync.Pool of hash.Hash
}

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

// get is an HMAC keyed as k says, reset; give it back with put.
func (m *macCache) get(k macKey) hash.Hash {
	if m == nil {
		return k.newMAC()
	}
	p, ok := m.pools.Load(k)
	if !ok {
		p, _ = m.pools.LoadOrStore(k, &sync.Pool{New: func() any { return k.newMAC() }})
	}
	mac := p.(*sync.Pool).Get().(hash.Hash)
	mac.Reset()
	return mac
}

// put gives back an HMAC get returned for k.
func (m *macCache) put(k macKey, mac hash.Hash) {
	if m == nil {
		return
	}
	if p, ok := m.pools.Load(k); ok {
		p.(*sync.Pool).Put(mac)
	}
}

// buffers are the chunked buffers of signing (newChunked), pooled: a few
// KB a request otherwise.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, hashChunk); return &b }}

// sha256s are SHA-256 hashes for the payload hash and the canonical
// request, pooled.
var sha256s = sync.Pool{New: func() any { return sha256.New() }}
