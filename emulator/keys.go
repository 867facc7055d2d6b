package emulator

import (
	"encoding/binary"
	"hash/maphash"
)

// keyer turns the names the emulator must remember (user names, EndUserIds,
// signature nonces) into 64-bit keys, so that a stored name costs 8 bytes
// and never holds on to the request it came from. The hash is keyed by a
// seed drawn per emulator, so no client can make two names meet on
// purpose. Two different names share a key with odds of about n/2^64 per
// new name among n stored: with a million stored names and a billion
// creates, below one in ten thousand. Such a meeting would answer a fresh
// name as taken (or a fresh nonce as used): the memory bound is bought
// with that risk, documented here.
type keyer struct{ seed maphash.Seed }

// newKeyer returns a keyer with a fresh random seed.
func newKeyer() keyer { return keyer{seed: maphash.MakeSeed()} }

// key is the key of one name.
func (k keyer) key(name string) uint64 { return maphash.String(k.seed, name) }

// pair is the key of two names together (an AccessKeyId and a nonce):
// the first one's length is hashed too, so ("a", "bc") and ("ab", "c")
// are different pairs.
func (k keyer) pair(a, b string) uint64 {
	var h maphash.Hash
	h.SetSeed(k.seed)
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(a)))
	h.Write(n[:])
	h.WriteString(a)
	h.WriteString(b)
	return h.Sum64()
}

// keySet is a set of keys.
type keySet map[uint64]struct{}

// has reports whether k is in the set.
func (s keySet) has(k uint64) bool {
	_, ok := s[k]
	return ok
}

// add puts k in the set.
func (s keySet) add(k uint64) { s[k] = struct{}{} }
