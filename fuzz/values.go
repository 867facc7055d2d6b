package fuzz

import (
	"encoding/json"
	"regexp"
	"strconv"
	"sync"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/specs"
)

// openSpan is how far past its minimum a value with no documented maximum
// is drawn by the valid generators (boundary cases go further).
const openSpan = 24

// bounds are the documented length bounds of p for a value that keeps
// them: at least one character (an empty optional value reads as absent).
func bounds(p *specs.Param) (lo, hi int) {
	lo = 1
	if p.MinLength != nil && *p.MinLength > lo {
		lo = *p.MinLength
	}
	hi = lo + openSpan
	if p.MaxLength != nil {
		hi = *p.MaxLength
	}
	return lo, hi
}

// lengths returns a drawer of lengths in [lo, hi], often exactly lo or
// hi. Both draws always happen, so rapid shrinks an edge length towards lo
// step by step.
func lengths(lo, hi int) func(t *rapid.T) int {
	edge, within := rapid.IntRange(0, 3), rapid.IntRange(lo, max(lo, hi))
	return func(t *rapid.T) int {
		e, n := edge.Draw(t, "length-edge"), within.Draw(t, "length")
		switch e {
		case 2:
			return lo
		case 3:
			return max(lo, hi)
		}
		return n
	}
}

// validValue draws a value of p that keeps every documented rule on it
// under every reading.
func validValue(op *specs.Operation, p *specs.Param) *rapid.Generator[string] {
	lo, hi := bounds(p)
	return sized(op, p, lo, hi)
}

// sizedKey identifies a cached sized generator.
type sizedKey struct {
	op     *specs.Operation
	p      *specs.Param
	lo, hi int
}

// sizedCache holds the generators sized built, which are immutable.
var sizedCache memo[sizedKey, *rapid.Generator[string]]

// sized draws a value of p whose length in characters is in [lo, hi] and
// that keeps every other rule on p (pattern, enum, format, complexity).
func sized(op *specs.Operation, p *specs.Param, lo, hi int) *rapid.Generator[string] {
	return sizedCache.get(sizedKey{op, p, lo, hi}, func(k sizedKey) *rapid.Generator[string] {
		return newSized(k.op, k.p, k.lo, k.hi)
	})
}

// newSized builds the generator sized returns.
func newSized(op *specs.Operation, p *specs.Param, lo, hi int) *rapid.Generator[string] {
	if lo > hi {
		return impossible(p, lo, hi)
	}
	enum, _ := p.Enumeration()
	switch {
	case p.Style == specs.StyleJSON && len(enum) > 0:
		return jsonArray(p, enum)
	case len(enum) > 0:
		return rapid.SampledFrom(enum)
	case p.Kind == specs.KindInteger:
		return rapid.Map(rapid.Int64Range(0, 1<<32), func(n int64) string { return strconv.FormatInt(n, 10) })
	case p.Kind == specs.KindBoolean:
		return rapid.SampledFrom([]string{"true", "false"})
	}
	if rule := ruleOn(op, p, specs.RuleComplexity); rule != nil {
		return password(lo, hi, rule.Classes, rule.UnsureChars)
	}
	if re := sure(p); re != nil {
		return matching(re, lo, hi)
	}
	g, n := freeText.rune(), lengths(lo, hi)
	return rapid.Custom(func(t *rapid.T) string { return trimmed(t, g, n(t)) })
}

// trimmed draws n runes from g that neither start nor end with a space,
// so a target that trims values sees the same value.
func trimmed(t *rapid.T, g runeGen, n int) string {
	rs := drawRunes(t, g, n)
	for _, i := range []int{0, len(rs) - 1} {
		if i >= 0 && rs[i] == ' ' {
			rs[i] = '_'
		}
	}
	return string(rs)
}

// impossible is a generator that fails: no value has lo..hi characters
// (a spec whose minimum exceeds its maximum, or its pattern's repeat).
func impossible(p *specs.Param, lo, hi int) *rapid.Generator[string] {
	name := "a value"
	if p != nil {
		name = p.Path
	}
	g := rapid.Custom(func(t *rapid.T) string {
		t.Fatalf("fuzz: no %s has %d..%d characters", name, lo, hi)
		return ""
	})
	neverDraws(g)
	return g
}

// sure is the pattern every reading accepts: StrictPattern, else Pattern.
func sure(p *specs.Param) *regexp.Regexp {
	if p.StrictPattern != nil {
		return p.StrictPattern
	}
	return p.Pattern
}

// matching draws strings of re with a length in [lo, hi]: from the
// pattern's character class when it is one class repeated, else from the
// pattern itself, filtered by length.
func matching(re *regexp.Regexp, lo, hi int) *rapid.Generator[string] {
	if cs, least, most, ok := simpleClass(re); ok {
		lo = max(lo, least)
		if most >= 0 && most < hi {
			hi = most
		}
		if lo > hi {
			return impossible(nil, lo, hi)
		}
		g, n := cs.rune(), lengths(lo, hi)
		return rapid.Custom(func(t *rapid.T) string { return drawString(t, g, n(t)) })
	}
	g := rapid.StringMatching(re.String()).Filter(func(s string) bool {
		n := utf8.RuneCountInString(s)
		return n >= lo && n <= hi
	})
	if least, most, ok := matchLengths(re); ok && (least > hi || most >= 0 && most < lo) {
		neverDraws(g) // no match of re has lo..hi characters
	}
	return g
}

// hopeless holds the generators that fail on every draw whatever the
// random data (no string has the lengths they want): example gives up on
// them at once instead of trying a thousand times. They stay the same
// generators, so that drawing them inside another generator consumes the
// same random data as ever.
var hopeless sync.Map // *rapid.Generator[V] -> struct{}

// neverDraws records that g fails on every draw.
func neverDraws[V any](g *rapid.Generator[V]) { hopeless.Store(g, struct{}{}) }

// drawsNever reports whether g is known to fail on every draw.
func drawsNever[V any](g *rapid.Generator[V]) bool {
	_, never := hopeless.Load(g)
	return never
}

// password draws a value of length [lo, hi] holding at least one character
// of each of classes, every character printable ASCII of those classes and
// none of the unsure characters (valid under every reading, and broken
// under every reading when classes are too few).
func password(lo, hi int, classes []string, unsure string) *rapid.Generator[string] {
	var all charset
	each := make([]runeGen, len(classes))
	for i, c := range classes {
		cs := classSet(c, unsure)
		all = append(all, cs...)
		each[i] = cs.rune()
	}
	anyChar, n := all.rune(), lengths(lo, hi)
	return rapid.Custom(func(t *rapid.T) string {
		size := max(n(t), len(classes))
		rs := make([]rune, 0, size)
		for _, g := range each {
			rs = append(rs, g.Draw(t, "class-char"))
		}
		for len(rs) < size {
			rs = append(rs, anyChar.Draw(t, "char"))
		}
		return string(rapid.Permutation(rs).Draw(t, "password"))
	})
}

// jsonArray draws a JSON array of distinct enum values, as many as the
// documented item bounds allow (at least one).
func jsonArray(p *specs.Param, enum []string) *rapid.Generator[string] {
	lo, hi := 1, len(enum)
	if p.MinItems != nil && *p.MinItems > lo {
		lo = *p.MinItems
	}
	if p.MaxItems != nil && *p.MaxItems < hi {
		hi = *p.MaxItems
	}
	return rapid.Custom(func(t *rapid.T) string {
		items := rapid.SliceOfNDistinct(rapid.SampledFrom(enum), lo, hi, rapid.ID[string]).Draw(t, "items")
		b, _ := json.Marshal(items)
		return string(b)
	})
}

// ruleOn returns the first rule of kind on p's path, nil if none.
func ruleOn(op *specs.Operation, p *specs.Param, kind specs.RuleKind) *specs.Rule {
	for _, r := range op.Rules {
		if r.Kind == kind && r.Param == p.Path {
			return r
		}
	}
	return nil
}
