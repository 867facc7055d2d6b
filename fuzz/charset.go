package fuzz

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/specs"
)

// charset is a set of runes as inclusive ranges; strings are drawn from it
// range first, so a small range (digits) is as likely as a large one (CJK).
type charset [][2]rune

// safe limits drawn runes to printable, encodable characters of the Basic
// Multilingual Plane: no control characters, no surrogates.
var safe = charset{{0x20, 0x7e}, {0xa0, 0xd7ff}, {0xe000, 0xfffd}}

// intersect returns the runes in both sets.
func (c charset) intersect(d charset) charset {
	var out charset
	for _, a := range c {
		for _, b := range d {
			lo, hi := max(a[0], b[0]), min(a[1], b[1])
			if lo <= hi {
				out = append(out, [2]rune{lo, hi})
			}
		}
	}
	return out
}

// runeGen draws the runes of a charset with one draw per rune: the draw
// picks a range (each range equally likely, so digits are as common as
// CJK ideographs), then a rune within it.
type runeGen struct {
	cs    charset
	width int // of the widest range
	// index draws k, range k/width and rune k%width in it (modulo its
	// size). It keeps every index: a filter draws the bits and records the
	// groups rapid.Custom would around the same draw (rapid v1.3: the
	// draw, inside a "try" group, inside the generator's own), without
	// the *rapid.T that a Custom makes for every draw.
	index *rapid.Generator[int]
}

// rune returns the generator of the set's runes.
func (c charset) rune() runeGen {
	width := 1
	for _, rg := range c {
		width = max(width, int(rg[1]-rg[0])+1)
	}
	every := func(int) bool { return true }
	return runeGen{cs: c, width: width, index: rapid.IntRange(0, len(c)*width-1).Filter(every)}
}

// Draw draws one rune.
func (g runeGen) Draw(t *rapid.T, label string) rune { return g.at(g.index.Draw(t, label)) }

// at is the rune of index k.
func (g runeGen) at(k int) rune {
	rg := g.cs[k/g.width]
	return rg[0] + rune(k%g.width%(int(rg[1]-rg[0])+1))
}

// drawString draws n runes from g.
func drawString(t *rapid.T, g runeGen, n int) string { return string(drawRunes(t, g, n)) }

// drawRunes is drawString's runes, for a caller that changes some.
func drawRunes(t *rapid.T, g runeGen, n int) []rune {
	rs := make([]rune, n)
	for i := range rs {
		rs[i] = g.Draw(t, "char")
	}
	return rs
}

// classShape is what simpleClass found in one pattern.
type classShape struct {
	cs     charset
	lo, hi int
	ok     bool
	// anchored: the class is anchored at both ends (^[a-z]+$), so a
	// string of its runes matches exactly when its length is within lo..hi.
	anchored bool
}

// classShapes caches simpleClass by pattern: patterns come from the model
// and never change, and parsing one again on every draw was a hot path.
var classShapes memo[*regexp.Regexp, classShape]

// simpleClass recognizes a pattern that is one character class repeated,
// anchored or not (^[a-z0-9_]+$, [0-9]{3,5}), and returns the class
// (limited to safe runes) and the repeat bounds (hi -1: unbounded). The
// class is shared: callers must not change it.
func simpleClass(re *regexp.Regexp) (cs charset, lo, hi int, ok bool) {
	shape := shapeOf(re)
	return shape.cs, shape.lo, shape.hi, shape.ok
}

// shapeOf is simpleClass's cached shape of re.
func shapeOf(re *regexp.Regexp) classShape { return classShapes.get(re, parseShape) }

// parseShape is shapeOf without the cache.
func parseShape(re *regexp.Regexp) classShape {
	var shape classShape
	shape.cs, shape.lo, shape.hi, shape.ok, shape.anchored = parseSimpleClass(re)
	return shape
}

// matchesOfClass reports whether re matches s, a string of runes of re's
// class (simpleClass): by length alone when the class is anchored at both
// ends, else by running re.
func matchesOfClass(re *regexp.Regexp, s string) bool { return shapeOf(re).matches(re, s) }

// matches is matchesOfClass for re, whose shape is shape.
func (shape classShape) matches(re *regexp.Regexp, s string) bool {
	if shape.ok && shape.anchored {
		n := utf8.RuneCountInString(s)
		return n >= shape.lo && (shape.hi < 0 || n <= shape.hi)
	}
	return re.MatchString(s)
}

// parseSimpleClass is simpleClass without the cache, and whether the
// class is anchored at both ends of the text.
func parseSimpleClass(re *regexp.Regexp) (cs charset, lo, hi int, ok, anchored bool) {
	shape, ok := specs.ClassRepeatOf(re)
	if !ok {
		return nil, 0, 0, false, false
	}
	cs = charset(shape.Class).intersect(safe)
	return cs, shape.Min, shape.Max, len(cs) > 0, shape.Anchored
}

// classOf returns the runes one regexp node matches, if it matches one
// rune ("." any safe rune).
func classOf(n *syntax.Regexp) (charset, bool) {
	if n.Op == syntax.OpAnyChar || n.Op == syntax.OpAnyCharNotNL {
		return safe, true
	}
	cs, ok := specs.RuneClass(n)
	return charset(cs), ok
}

// freeText is what a parameter without a pattern is drawn from: letters,
// digits, a space, the characters percent-encoding treats specially, and
// CJK ideographs (three bytes each in UTF-8, one character).
var freeText = charset{
	{'a', 'z'}, {'A', 'Z'}, {'0', '9'}, {' ', ' '},
	{'+', '+'}, {'*', '*'}, {'~', '~'}, {'%', '%'}, {'&', '&'}, {'=', '='}, {'/', '/'},
	{'_', '_'}, {'-', '.'}, {0x4e00, 0x9fa5},
}

// classSet is the printable ASCII runes of one complexity class, as
// specs.CharClass classifies them, without the rule's unsure characters.
func classSet(class, unsure string) charset {
	var cs charset
	for r := rune(0x20); r <= 0x7e; r++ {
		if specs.CharClass(r) != class || strings.ContainsRune(unsure, r) {
			continue
		}
		if n := len(cs); n > 0 && cs[n-1][1] == r-1 {
			cs[n-1][1] = r
			continue
		}
		cs = append(cs, [2]rune{r, r})
	}
	return cs
}

// probe is a spread of printable characters used to break patterns: ASCII
// punctuation, letters of both cases, digits, a space, Latin-1, CJK and an
// emoji.
var probe = []rune(" !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~aZ0é中€😀")

// contains reports whether r is in the set.
func (c charset) contains(r rune) bool {
	for _, rg := range c {
		if r >= rg[0] && r <= rg[1] {
			return true
		}
	}
	return false
}

// matchLengths is the least and the most characters (runes) a string
// matching re can have, most -1 when unbounded; ok is false when the
// pattern does not parse.
func matchLengths(re *regexp.Regexp) (least, most int, ok bool) {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return 0, -1, false
	}
	least, most = treeLengths(tree)
	return least, most, true
}

// treeLengths is matchLengths of a parsed pattern: the runes each node
// writes (anchors and other empty-width assertions none).
func treeLengths(n *syntax.Regexp) (least, most int) {
	switch n.Op {
	case syntax.OpLiteral:
		return len(n.Rune), len(n.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1, 1
	case syntax.OpCapture:
		return treeLengths(n.Sub[0])
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi, _ := specs.RepeatBounds(n)
		return repeatLengths(lo, hi, n.Sub[0])
	case syntax.OpConcat:
		return concatLengths(n.Sub)
	case syntax.OpAlternate:
		return alternateLengths(n.Sub)
	case syntax.OpNoMatch:
		return 0, -1 // no string at all: claim nothing
	}
	return 0, 0 // empty match, anchors, word boundaries
}

// repeatLengths is treeLengths of sub repeated lo to hi times.
func repeatLengths(lo, hi int, sub *syntax.Regexp) (least, most int) {
	subLeast, subMost := treeLengths(sub)
	least = lo * subLeast
	switch {
	case subMost == 0:
		return least, 0
	case hi < 0 || subMost < 0:
		return least, -1
	}
	return least, hi * subMost
}

// concatLengths is treeLengths of a concatenation.
func concatLengths(subs []*syntax.Regexp) (least, most int) {
	for _, sub := range subs {
		l, m := treeLengths(sub)
		least += l
		if most >= 0 {
			most = addBound(most, m)
		}
	}
	return least, most
}

// alternateLengths is treeLengths of an alternation.
func alternateLengths(subs []*syntax.Regexp) (least, most int) {
	for i, sub := range subs {
		l, m := treeLengths(sub)
		if i == 0 || l < least {
			least = l
		}
		if i == 0 || most >= 0 && (m < 0 || m > most) {
			most = m
		}
	}
	return least, most
}

// addBound adds two upper bounds, -1 meaning unbounded.
func addBound(a, b int) int {
	if a < 0 || b < 0 {
		return -1
	}
	return a + b
}
