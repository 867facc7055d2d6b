package specs_test

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/specs"
)

// shapePatterns are patterns beside the documents' that exercise every
// way ClassRepeatOf reads a pattern, or refuses to.
var shapePatterns = []string{
	`^[a-z0-9_]+$`, `[0-9]{3,5}`, `^[A-Za-z]{2,4}$`, `^[a-z]*$`, `^[a-z]{0,3}$`, `^[a-z]{2,}$`,
	`(?m)^[a-z]{1,3}$`, `^[a-z]{2,}`, `x`, `^x+$`, `^\d{6}$`, `^.{1,5}$`, `(?s)^.{1,5}$`, `^[^@\n]+$`,
	`(?i)^k+$`, `^[Kk]{1,2}$`, `(?i)^[a-z]{1,3}$`, `^[a-zA-Z0-9\.@\-一-龥]+$`, `^[😀-😂]{2}$`,
	`^[a-z]?$`, `^(?:ab)+$`, `^([a-z])+$`, `^^[a-z]+$$`, `^$`, `\A[a-z]+\z`, `^[\x{FFFD}a]{1,4}$`,
}

// matcherPatterns are every pattern of the documents and shapePatterns.
func matcherPatterns(t *testing.T) []string {
	t.Helper()
	patterns := slices.Clone(shapePatterns)
	for _, p := range documentPatterns(t) {
		patterns = append(patterns, p)
	}
	return patterns
}

// matcherInputs are strings to match against re: runes of its class (when
// it is a ClassRepeat) at every length around its bounds, and the same
// with a stranger inside (another rune, a newline, invalid UTF-8, U+FFFD,
// a rune outside the Basic Multilingual Plane), plus a fixed spread.
func matcherInputs(re *regexp.Regexp, rnd *rand.Rand) []string {
	inputs := []string{"", "a", "A", "0", "_", "k", "K", "\u212a", "\n", "a\n", "\xff", "\xc3", "\ufffd", "😀", "中", "a@b.c", "86-13912345678"}
	shape, ok := specs.ClassRepeatOf(re)
	if !ok {
		return inputs
	}
	strangers := []string{"\n", "\xff", "\xe4\xb8", "\ufffd", "😀", "中", "@", " ", "Z", "z", "é"}
	for _, n := range []int{0, 1, 2, 3, shape.Min - 1, shape.Min, shape.Min + 1, shape.Max - 1, shape.Max, shape.Max + 1, 20, 65, 130} {
		if n < 0 {
			continue
		}
		for range 4 {
			s := classString(shape.Class, n, rnd)
			inputs = append(inputs, s)
			for _, x := range strangers {
				inputs = append(inputs, insertAt(s, x, rnd), s+x, x+s)
			}
		}
	}
	return inputs
}

// classString is n runes drawn from class: the ends of a range as often
// as its inside.
func classString(class [][2]rune, n int, rnd *rand.Rand) string {
	var b strings.Builder
	for range n {
		rg := class[rnd.IntN(len(class))]
		r := rg[0] + rune(rnd.Int64N(int64(rg[1]-rg[0])+1))
		switch rnd.IntN(4) {
		case 0:
			r = rg[0]
		case 1:
			r = rg[1]
		}
		if !utf8.ValidRune(r) {
			r = rg[0] // a surrogate: take the range's start instead
		}
		b.WriteRune(r)
	}
	return b.String()
}

// insertAt puts x at a random rune boundary of s.
func insertAt(s, x string, rnd *rand.Rand) string {
	cuts := []int{len(s)}
	for i := range s {
		cuts = append(cuts, i)
	}
	i := cuts[rnd.IntN(len(cuts))]
	return s[:i] + x + s[i:]
}

// A Matcher agrees with its pattern's MatchString on every pattern of the
// documents and more, over strings of the pattern's class at lengths
// around its bounds, with and without a stranger (multi-byte runes,
// invalid UTF-8, a newline) inside.
func TestMatcherAgreesWithThePattern(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewPCG(1, 2))
	fast := 0
	for _, pattern := range matcherPatterns(t) {
		re := regexp.MustCompile(pattern)
		m := specs.NewMatcher(re)
		if shape, ok := specs.ClassRepeatOf(re); ok && shape.Anchored {
			fast++
		}
		for _, s := range matcherInputs(re, rnd) {
			assert.Equal(t, m.MatchString(s), re.MatchString(s), "%s on %q", pattern, s)
		}
	}
	assert.Assert(t, fast >= 10, "only %d patterns take the table", fast)
}

// The shapes ClassRepeatOf reads, and those it refuses, with the reason
// each is what it is.
func TestClassRepeatOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pattern string
		want    specs.ClassRepeat
		ok      bool
		reason  string
	}{
		{`^[a-c_]+$`, specs.ClassRepeat{Class: [][2]rune{{'_', '_'}, {'a', 'c'}}, Min: 1, Max: -1, Anchored: true}, true, "a class repeated between text anchors"},
		{`[0-9]{3,5}`, specs.ClassRepeat{Class: [][2]rune{{'0', '9'}}, Min: 3, Max: 5}, true, "unanchored: a match may be anywhere"},
		{`(?m)^[0-9]*$`, specs.ClassRepeat{Class: [][2]rune{{'0', '9'}}, Min: 0, Max: -1}, true, "line anchors match around a newline: not anchored to the text"},
		{`(?i)^k{2}$`, specs.ClassRepeat{Class: [][2]rune{{'K', 'K'}, {'k', 'k'}, {'\u212a', '\u212a'}}, Min: 2, Max: 2, Anchored: true}, true, "a folded literal is its whole case orbit"},
		{`^.+$`, specs.ClassRepeat{Class: [][2]rune{{0, '\n' - 1}, {'\n' + 1, utf8.MaxRune}}, Min: 1, Max: -1, Anchored: true}, true, "any rune but a newline"},
		{`^[a-z]?$`, specs.ClassRepeat{}, false, "one optional character has no class of lengths"},
		{`^[a-z]+-[0-9]+$`, specs.ClassRepeat{}, false, "two classes"},
		{`^(?:ab)+$`, specs.ClassRepeat{}, false, "a repeated string, not a character"},
	} {
		got, ok := specs.ClassRepeatOf(regexp.MustCompile(tc.pattern))
		assert.Equal(t, ok, tc.ok, "%s: %s", tc.pattern, tc.reason)
		if ok {
			assert.DeepEqual(t, got, tc.want)
		}
	}
}
