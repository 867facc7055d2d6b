package fuzz

import (
	"hash/fnv"
	"math"
	"regexp"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Run-unique names are a fixed-width tag, then a fixed-width counter, both
// written in the parameter's alphabet (so that names of one stream never
// collide: the counter differs; and names of two streams collide only if
// their tags do), then padding to the length the generator drew.
const (
	// tagBits is the size of a stream's tag: 32 bits, seven characters in
	// base 36. A run draws a few dozen streams, so two tags are equal with
	// odds below 1e-6.
	tagBits = 32
	// wideTagBits is the tag of names made per case (NewWideNames): 64
	// bits, thirteen characters in base 36, for millions of cases.
	wideTagBits = 64
	// counterBits bounds the names of one stream: 2^31, six characters in
	// base 36. A million-case run draws tens of millions at most.
	counterBits = 31
)

// Names makes the values of unique parameters (user names) distinct over a
// run: a tag derived from the seed, then a counter, written in the
// characters the parameter's pattern allows and padded to the length the
// generator drew, within the documented bounds. It is deterministic in the
// seed and the order of calls, and safe for concurrent use.
type Names struct {
	mu   sync.Mutex
	tag  uint64
	bits int // of tag
	next uint64
	// widths are the digits of the tag and of the counter in base
	// widthBase, kept for the next name (most are in one alphabet).
	widthBase              uint64
	tagWidth, counterWidth int
	// tagIn is the tag written in the alphabet tagAlpha (a shared list
	// of alphabet's, never changed), kept for the next name: writing 64
	// bits in base 36 was most of a name's work.
	tagIn    []byte
	tagAlpha []rune
	// facts are what name reads of the parameter it last named, kept
	// for the next name (most are of one parameter).
	facts nameFacts
}

// nameFacts are what name reads of a parameter: its alphabet, its
// length bounds and the pattern every reading accepts, with its shape.
type nameFacts struct {
	p      *specs.Param
	alpha  []rune
	lo, hi int
	re     *regexp.Regexp
	shape  classShape
}

// factsOf returns p's facts, read again only when p changes. The caller
// holds n.mu.
func (n *Names) factsOf(p *specs.Param) *nameFacts {
	if f := &n.facts; f.p != p {
		*f = nameFacts{p: p, alpha: alphabet(p), re: sure(p)}
		f.lo, f.hi = bounds(p)
		if f.re != nil {
			f.shape = shapeOf(f.re)
		}
	}
	return &n.facts
}

// NewNames returns the names of a run with this seed.
func NewNames(seed int64) *Names {
	h := fnv.New32a()
	h.Write([]byte(strconv.FormatInt(seed, 10)))
	return &Names{tag: uint64(h.Sum32()), bits: tagBits}
}

// NewWideNames returns names under a 64-bit tag: for names drawn per case
// rather than per stream, where a million cases must not share a tag.
func NewWideNames(seed uint64) *Names {
	h := fnv.New64a()
	h.Write([]byte(strconv.FormatUint(seed, 10)))
	return &Names{tag: h.Sum64(), bits: wideTagBits}
}

// newNames returns names with a tag derived from text.
func newNames(text string) *Names {
	h := fnv.New32a()
	h.Write([]byte(text))
	return &Names{tag: uint64(h.Sum32()), bits: tagBits}
}

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
func (n *Names) applyInPlace(op *specs.Operation, r wire.Request) { n.applyKeeping(op, r, keeping{}) }

// applyKeeping is applyInPlace leaving the values keep keeps as they are.
// Their names are drawn all the same, so that every other value, and every
// later call, gets the name applyInPlace gives it.
func (n *Names) applyKeeping(op *specs.Operation, r wire.Request, keep keeping) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, path := range UniquePaths(op) {
		p, ok := op.Lookup(path)
		if !ok {
			continue
		}
		top, field := specs.SplitPath(path)
		kept := keep.at(path)
		if field == "" {
			if v, ok := r.Params[top]; ok {
				if name := n.name(p, v); !kept(-1) {
					r.Params[top] = name
				}
			}
			continue
		}
		for i, el := range r.Lists[top] {
			if v, ok := el[field]; ok {
				if name := n.name(p, v); !kept(i) {
					el[field] = name
				}
			}
		}
	}
}

// renameInPlace replaces, in r's own maps, each distinct value of the
// parameter at path (a top-level name or "List[].Field") by the run's next
// name, the same value by the same name: values repeated on purpose (a
// case breaking a batch-unique rule) stay repeated, and none meets a value
// of another case.
func (n *Names) renameInPlace(op *specs.Operation, r wire.Request, path string) {
	p, ok := op.Lookup(path)
	if !ok {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	renamed := map[string]string{}
	rename := func(v string) string {
		if nv, ok := renamed[v]; ok {
			return nv
		}
		renamed[v] = n.name(p, v)
		return renamed[v]
	}
	top, field := specs.SplitPath(path)
	if field == "" {
		if v, ok := r.Params[top]; ok {
			r.Params[top] = rename(v)
		}
		return
	}
	for _, el := range r.Lists[top] {
		if v, ok := el[field]; ok {
			el[field] = rename(v)
		}
	}
}

// uniquePathCache holds UniquePaths by operation.
var uniquePathCache memo[*specs.Operation, []string]

// UniquePaths are the parameters of op under unique or batch-unique rules
// (a shared list: callers must not change it).
func UniquePaths(op *specs.Operation) []string { return uniquePathCache.get(op, findUniquePaths) }

// findUniquePaths is UniquePaths without the cache.
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
	f := n.factsOf(p)
	alpha, lo, hi := f.alpha, f.lo, f.hi
	if len(alpha) < 2 {
		return old
	}
	var buf [128]byte // room for a 64-bit tag and the counter in base 2
	id := n.appendID(buf[:0], alpha, n.next)
	if len(id) > hi {
		id = id[len(id)-hi:] // keep the counter, drop tag characters
	}
	for want := min(max(lo, utf8.RuneCountInString(old)), hi); len(id) < want; {
		id = append(id, byte(alpha[0])) // alphabet runes are ASCII
	}
	name := string(id)
	if f.re != nil && !f.shape.matches(f.re, name) { // of alphabet's runes
		return old
	}
	n.next++
	return name
}

// appendID appends the tag and counter i written in the alphabet, each
// at a fixed width, so that distinct (tag, counter) pairs give distinct
// names. It panics past 2^31 names of one stream rather than reuse a name.
// The caller holds n.mu (the widths are kept in n).
func (n *Names) appendID(out []byte, alpha []rune, i uint64) []byte {
	if i >= 1<<counterBits {
		panic("fuzz: more than 2^31 run-unique names drawn from one stream")
	}
	_, counterWidth := n.widths(uint64(len(alpha)))
	out = append(out, n.tagDigits(alpha)...)
	return appendDigits(out, alpha, i, counterWidth)
}

// tagDigits is the tag written in alpha at its fixed width, computed
// again only when the alphabet changes. The caller holds n.mu.
func (n *Names) tagDigits(alpha []rune) []byte {
	if len(n.tagAlpha) != len(alpha) || &n.tagAlpha[0] != &alpha[0] {
		tagWidth, _ := n.widths(uint64(len(alpha)))
		n.tagIn = appendDigits(n.tagIn[:0], alpha, n.tag, tagWidth)
		n.tagAlpha = alpha
	}
	return n.tagIn
}

// widths are how many digits in base the largest tag and the largest
// counter need, computed again only when base changes.
func (n *Names) widths(base uint64) (tag, counter int) {
	if base != n.widthBase {
		n.widthBase = base
		n.tagWidth = digitsFor(math.MaxUint64>>(64-n.bits), base)
		n.counterWidth = digitsFor(1<<counterBits-1, base)
	}
	return n.tagWidth, n.counterWidth
}

// appendDigits appends v written in base len(alpha), most significant
// digit first, at exactly width digits (the alphabet's runes are ASCII).
func appendDigits(out []byte, alpha []rune, v uint64, width int) []byte {
	base := uint64(len(alpha))
	start := len(out)
	out = append(out, make([]byte, width)...)
	for k := start + width - 1; k >= start; k-- {
		out[k] = byte(alpha[v%base])
		v /= base
	}
	return out
}

// digitsFor is how many base digits the largest value v needs.
func digitsFor(v, base uint64) int {
	n := 1
	for ; v >= base; v /= base {
		n++
	}
	return n
}

// alphabetCache holds alphabet by parameter.
var alphabetCache memo[*specs.Param, []rune]

// alphabet is the lower-case letters and digits p's pattern allows (else
// upper-case letters, else any printable ASCII it allows); every ASCII
// letter and digit for a parameter without a pattern. The list is shared:
// callers must not change it.
func alphabet(p *specs.Param) []rune { return alphabetCache.get(p, findAlphabet) }

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

// overlayTries bounds the draws Overlay makes before it keeps a value.
const overlayTries = 8

// Overlay returns old with each ASCII letter and digit replaced by another
// of the same kind (lower-case, upper-case, digit), drawn from the
// stream's tag and its next counter, so that the value keeps its length in
// characters and bytes, its other characters where they were, and its
// match of p's broad and strict patterns: a boundary value (a name at the
// maximum length, one with a NUL) stays that boundary, fresh for this run.
// It returns old when no draw keeps the patterns' verdicts.
func (n *Names) Overlay(p *specs.Param, old string) string {
	n.mu.Lock()
	seed := n.tag*0x9e3779b97f4a7c15 ^ n.next
	n.next++
	n.mu.Unlock()
	want := patternVerdicts(p, old)
	for try := 0; try < overlayTries; try++ {
		v, changed := overlayDraw(old, splitmix(seed+uint64(try)))
		if !changed {
			return old
		}
		if patternVerdicts(p, v) == want {
			return v
		}
	}
	return old
}

// overlayDraw replaces old's ASCII letters and digits from the random
// stream state; changed is false when old has none.
func overlayDraw(old string, state uint64) (string, bool) {
	out := []byte(old)
	changed := false
	for i, c := range out {
		var first, size byte
		switch {
		case c >= 'a' && c <= 'z':
			first, size = 'a', 26
		case c >= 'A' && c <= 'Z':
			first, size = 'A', 26
		case c >= '0' && c <= '9':
			first, size = '0', 10
		default:
			continue
		}
		state = splitmix(state)
		out[i] = first + byte(state%uint64(size))
		changed = true
	}
	return string(out), changed
}

// splitmix is one step of SplitMix64: a well-mixed 64-bit value of x.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// patternVerdicts is whether v matches p's broad and strict patterns.
func patternVerdicts(p *specs.Param, v string) [2]bool {
	var m [2]bool
	if p.Pattern != nil {
		m[0] = p.Pattern.MatchString(v)
	}
	if p.StrictPattern != nil {
		m[1] = p.StrictPattern.MatchString(v)
	}
	return m
}
