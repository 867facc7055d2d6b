package fuzz

import (
	"hash/fnv"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// counterWidth is how many characters of a name count requests: enough for
// 36^4 (or base^4) distinct names per run.
const counterWidth = 4

// Names makes the values of unique parameters (user names) distinct over a
// run: a tag derived from the seed, then a counter, written in the
// characters the parameter's pattern allows and padded to the length the
// generator drew, within the documented bounds. It is deterministic in the
// seed and the order of calls, and safe for concurrent use.
type Names struct {
	mu   sync.Mutex
	tag  string
	next int
}

// NewNames returns the names of a run with this seed.
func NewNames(seed int64) *Names {
	h := fnv.New32a()
	h.Write([]byte(strconv.FormatInt(seed, 10)))
	return newNames(strconv.FormatUint(uint64(h.Sum32()), 36))
}

// newNames returns names with a given tag.
func newNames(tag string) *Names { return &Names{tag: tag} }

// Apply returns r with the value of every parameter under a unique or
// batch-unique rule replaced by the run's next name (each list element its
// own), where the pattern and length bounds of the spec allow one.
func (n *Names) Apply(op *specs.Operation, r wire.Request) wire.Request {
	r = r.Clone()
	n.applyInPlace(op, r)
	return r
}

// applyInPlace is Apply changing r's own maps: for a request the caller
// has just copied.
func (n *Names) applyInPlace(op *specs.Operation, r wire.Request) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, path := range uniquePaths(op) {
		p, ok := op.Lookup(path)
		if !ok {
			continue
		}
		top, field := specs.SplitPath(path)
		if field == "" {
			if v, ok := r.Params[top]; ok {
				r.Params[top] = n.name(p, v)
			}
			continue
		}
		for _, el := range r.Lists[top] {
			if v, ok := el[field]; ok {
				el[field] = n.name(p, v)
			}
		}
	}
}

// uniquePathCache holds uniquePaths by operation (the model never changes).
var uniquePathCache sync.Map // *specs.Operation -> []string

// uniquePaths are the parameters under unique or batch-unique rules (a
// shared list: callers must not change it).
func uniquePaths(op *specs.Operation) []string {
	if v, ok := uniquePathCache.Load(op); ok {
		return v.([]string)
	}
	paths := findUniquePaths(op)
	uniquePathCache.Store(op, paths)
	return paths
}

// findUniquePaths is uniquePaths without the cache.
func findUniquePaths(op *specs.Operation) []string {
	var paths []string
	seen := map[string]bool{}
	for _, r := range op.Rules {
		if (r.Kind == specs.RuleUnique || r.Kind == specs.RuleBatchUnique) && !seen[r.Param] {
			seen[r.Param] = true
			paths = append(paths, r.Param)
		}
	}
	return paths
}

// name returns the next name for p, as long as old where bounds allow, or
// old itself when p's pattern leaves no way to write one.
func (n *Names) name(p *specs.Param, old string) string {
	alpha := alphabet(p)
	if len(alpha) == 0 {
		return old
	}
	lo, hi := bounds(p)
	id := n.encode(alpha, n.next)
	if len(id) > hi {
		id = id[len(id)-hi:] // keep the counter, drop tag characters
	}
	want := max(lo, utf8.RuneCountInString(old))
	for len(id) < want && len(id) < hi {
		id += string(alpha[0])
	}
	if re := sure(p); re != nil && !matchesOfClass(re, id) { // id is of alphabet's runes
		return old
	}
	n.next++
	return id
}

// encode writes the tag and counter i in the alphabet.
func (n *Names) encode(alpha []rune, i int) string {
	out := make([]rune, 0, len(n.tag)+counterWidth)
	for _, c := range n.tag {
		out = append(out, alpha[int(c)%len(alpha)])
	}
	digits := make([]rune, counterWidth)
	for k := counterWidth - 1; k >= 0; k-- {
		digits[k] = alpha[i%len(alpha)]
		i /= len(alpha)
	}
	return string(append(out, digits...))
}

// alphabetCache holds alphabet by parameter (the model never changes).
var alphabetCache sync.Map // *specs.Param -> []rune

// alphabet is the lower-case letters and digits p's pattern allows (else
// upper-case letters, else any printable ASCII it allows); every ASCII
// letter and digit for a parameter without a pattern. The list is shared:
// callers must not change it.
func alphabet(p *specs.Param) []rune {
	if v, ok := alphabetCache.Load(p); ok {
		return v.([]rune)
	}
	alpha := findAlphabet(p)
	alphabetCache.Store(p, alpha)
	return alpha
}

// findAlphabet is alphabet without the cache.
func findAlphabet(p *specs.Param) []rune {
	cs := charset{{'a', 'z'}, {'0', '9'}}
	if re := sure(p); re != nil {
		class, _, _, ok := simpleClass(re)
		if !ok {
			return nil
		}
		cs = class
	}
	for _, want := range []charset{{{'a', 'z'}, {'0', '9'}}, {{'A', 'Z'}}, {{'!', '~'}}} {
		var out []rune
		for _, rg := range cs.intersect(want) {
			for r := rg[0]; r <= rg[1]; r++ {
				out = append(out, r)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}
