package suites

import (
	"crypto/sha256"
	"slices"
	"sort"

	"github.com/acsconform/acsconform/specs"
)

// requestIDs remembers every well-formed RequestId of a run in a few dozen
// bytes each, for the run-wide uniqueness verdict: a digest per ID with
// its count and the operations that returned it; the text is kept only
// for the IDs seen twice, the ones a finding names. Memory stays flat
// enough for a million exchanges.
type requestIDs struct {
	seen     map[[16]byte]idUse
	repeated map[[16]byte]string
	ops      []string // operation IDs, by bit
}

// idUse counts one RequestId's occurrences; ops has a bit per operation.
type idUse struct {
	count uint32
	ops   uint64
}

// newRequestIDs returns an empty record for a run over ops.
func newRequestIDs(ops []string) *requestIDs {
	return &requestIDs{seen: map[[16]byte]idUse{}, repeated: map[[16]byte]string{}, ops: ops}
}

// add records that operation op returned id.
func (r *requestIDs) add(op, id string) {
	key := digest(id)
	u := r.seen[key]
	u.count++
	if bit := slices.Index(r.ops, op); bit >= 0 && bit < 64 {
		u.ops |= 1 << bit
	}
	r.seen[key] = u
	if u.count == 2 {
		r.repeated[key] = id
	}
}

// repeatedFor lists, in order, the IDs seen more than once that op
// returned, with their counts and operations.
func (r *requestIDs) repeatedFor(op string) []repeatedID {
	bit := slices.Index(r.ops, op)
	var out []repeatedID
	for key, id := range r.repeated {
		u := r.seen[key]
		if bit < 0 || u.ops&(1<<bit) == 0 {
			continue
		}
		rep := repeatedID{id: id, count: int(u.count)}
		for i, name := range r.ops {
			if u.ops&(1<<i) != 0 {
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

// digest is a RequestId's key: the first 16 bytes of its SHA-256.
func digest(id string) [16]byte {
	sum := sha256.Sum256([]byte(id))
	var key [16]byte
	copy(key[:], sum[:16])
	return key
}

// opIDsOf lists the operations' IDs.
func opIDsOf(ops []*specs.Operation) []string {
	ids := make([]string, len(ops))
	for i, op := range ops {
		ids[i] = op.ID
	}
	return ids
}
