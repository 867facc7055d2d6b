package fuzz

import (
	"encoding/binary"
	"hash/fnv"
)

// DrawSeed derives the seed of the i-th draw of a named stream of a run:
// every per-case seed of the suite comes from it, so that a case depends
// on (run seed, stream, index) only, never on the order of the draws.
// Streams name what they draw: "ram/valid", "eds-user/boundary/names".
func DrawSeed(run int64, stream string, i int) int64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(run))
	h.Write(b[:])
	h.Write([]byte(stream))
	binary.LittleEndian.PutUint64(b[:], uint64(i))
	h.Write(b[:])
	return int64(h.Sum64() >> 1)
}
