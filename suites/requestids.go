package suites

import (
	"hash/maphash"
	"slices"
	"sort"

	"github.com/acsconform/acsconform/specs"
)

// requestIDs remembers every well-formed RequestId of a run, for the
// run-wide uniqueness verdict, in about 10 bytes each: a 64-bit hash of
// the ID (keyed by a seed drawn per run) in a sorted slice per operation,
// new hashes gathered in a small sorted buffer merged in every
// idBuffer IDs. The text is kept only for the IDs seen twice, the ones a
// finding names. A million exchanges cost about 10 MB.
//
// The record is exact but for hash collisions: two different IDs share a
// hash with odds of about n²/2^65 over a run of n IDs (3e-8 at a million,
// 3e-4 at a hundred million), and then the second would be reported as a
// repeat. Nothing probabilistic beyond that (no Bloom filter): a repeat
// is never missed, and no ID is ever forgotten.
type requestIDs struct {
	seed maphash.Seed
	// ops are the operation IDs; sets[i] holds the hashes of the IDs
	// first returned by ops[i], sets[len(ops)] those of any other
	// operation.
	ops  []string
	sets []idSet
	// repeated are the IDs seen more than once, by hash.
	repeated map[uint64]*idUse
}

// idBuffer is how many new hashes wait in an idSet's buffer before they
// are merged into its sorted slice.
const idBuffer = 4096

// idSet is a set of hashes: sorted, plus a small sorted buffer of the
// latest ones.
type idSet struct {
	sorted, buf []uint64
}

// idUse is one repeated RequestId: its text, how often it came and, a bit
// per operation index, which operations returned it.
type idUse struct {
	id    string
	count int
	ops   uint64
}

// newRequestIDs returns an empty record for a run over ops.
func newRequestIDs(ops []string) *requestIDs {
	return &requestIDs{seed: maphash.MakeSeed(), ops: ops, sets: make([]idSet, len(ops)+1), repeated: map[uint64]*idUse{}}
}

// add records that operation op returned id.
func (r *requestIDs) add(op, id string) {
	h := maphash.String(r.seed, id)
	at := r.opIndex(op)
	if u := r.repeated[h]; u != nil {
		u.count++
		u.ops |= opBit(at)
		return
	}
	for i := range r.sets {
		if r.sets[i].has(h) {
			r.repeated[h] = &idUse{id: id, count: 2, ops: opBit(i) | opBit(at)}
			return
		}
	}
	r.sets[at].add(h)
}

// opIndex is op's index in r.ops, len(r.ops) for another operation.
func (r *requestIDs) opIndex(op string) int {
	if i := slices.Index(r.ops, op); i >= 0 {
		return i
	}
	return len(r.ops)
}

// opBit is the bit of operation index i (none past 63).
func opBit(i int) uint64 {
	if i >= 64 {
		return 0
	}
	return 1 << i
}

// repeatedFor lists, in order, the IDs seen more than once that op
// returned, with their counts and operations; none when op is not one of
// the run's operations.
func (r *requestIDs) repeatedFor(op string) []repeatedID {
	bit := slices.Index(r.ops, op)
	var out []repeatedID
	for _, u := range r.repeated {
		if bit < 0 || u.ops&opBit(bit) == 0 {
			continue
		}
		rep := repeatedID{id: u.id, count: u.count}
		for i, name := range r.ops {
			if u.ops&opBit(i) != 0 {
				rep.ops = append(rep.ops, name)
			}
		}
		out = append(out, rep)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// repeatedID is a RequestId returned more than once.
type repeatedID struct {
	id    string
	count int
	ops   []string
}

// has reports whether h is in the set.
func (s *idSet) has(h uint64) bool {
	_, in := slices.BinarySearch(s.buf, h)
	if !in {
		_, in = slices.BinarySearch(s.sorted, h)
	}
	return in
}

// add puts h, not in the set yet, in the set.
func (s *idSet) add(h uint64) {
	i, _ := slices.BinarySearch(s.buf, h)
	s.buf = slices.Insert(s.buf, i, h)
	if len(s.buf) >= idBuffer {
		s.merge()
	}
}

// merge moves the buffer into the sorted slice, merging from the back in
// place (the slice grows by append's factor, about 1.25 when large).
func (s *idSet) merge() {
	n, m := len(s.sorted), len(s.buf)
	s.sorted = slices.Grow(s.sorted, m)[:n+m]
	i, j := n-1, m-1
	for k := n + m - 1; j >= 0; k-- {
		if i >= 0 && s.sorted[i] > s.buf[j] {
			s.sorted[k] = s.sorted[i]
			i--
		} else {
			s.sorted[k] = s.buf[j]
			j--
		}
	}
	s.buf = s.buf[:0]
}

// opIDsOf lists the operations' IDs.
func opIDsOf(ops []*specs.Operation) []string {
	ids := make([]string, len(ops))
	for i, op := range ops {
		ids[i] = op.ID
	}
	return ids
}
