package specs_test

import (
	"math/rand/v2"
	"regexp"
	"regexp/syntax"
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
	`^[a-z]+[0-9]+$`, `^[a-z]+[a-c]$`, `^[a-z]{2}[a-c]+$`, `^a+a$`, `^[0-9]{3}[0-9]{2}$`, `^x[a-z]*y$`,
	`^[^@]+@[^@]+$`, `(?i)^ab+c$`, `^[a-z]+-?[0-9]+$`, `^[0-9]{1,3}\.[0-9]{1,3}$`, `^.+@.+$`, `^[a-z]{2,4}[0-9]{1,2}[a-z]{2}$`, `^[a-z]+-?[a-z0-9]+$`, `^[a-z]+[0-9]*[a-z]$`,
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

// piece is one node of a concatenation read as runes of one class
// repeated from min to max (-1: no bound) times, for drawing strings.
type piece struct {
	class    [][2]rune
	min, max int
}

// pieces reads re's top-level concatenation (anchors left out) as pieces,
// when every node of it is one character repeated or literal characters.
func pieces(t *testing.T, re *regexp.Regexp) ([]piece, bool) {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	assert.NilError(t, err)
	subs := []*syntax.Regexp{tree}
	if tree.Op == syntax.OpConcat {
		subs = tree.Sub
	}
	var out []piece
	for _, n := range subs {
		switch {
		case n.Op == syntax.OpBeginText || n.Op == syntax.OpEndText || n.Op == syntax.OpBeginLine || n.Op == syntax.OpEndLine:
		case n.Op == syntax.OpLiteral:
			for _, r := range n.Rune {
				class, _ := specs.RuneClass(&syntax.Regexp{Op: syntax.OpLiteral, Rune: []rune{r}, Flags: n.Flags})
				out = append(out, piece{class, 1, 1})
			}
		default:
			lo, hi, ok := specs.RepeatBounds(n)
			sub := n
			if ok {
				sub = n.Sub[0]
			} else {
				lo, hi = 1, 1
			}
			class, ok := specs.RuneClass(sub)
			if !ok {
				return nil, false
			}
			out = append(out, piece{class, lo, hi})
		}
	}
	return out, len(out) > 0
}

// matcherInputs are strings to match against re: runes of its classes
// (when it is a concatenation of repeated characters) at counts around
// each one's bounds, and the same with a stranger inside (another rune, a
// newline, invalid UTF-8, U+FFFD, a rune outside the Basic Multilingual
// Plane), plus a fixed spread.
func matcherInputs(t *testing.T, re *regexp.Regexp, rnd *rand.Rand) []string {
	inputs := []string{"", "a", "A", "0", "_", "k", "K", "\u212a", "\n", "a\n", "\xff", "\xc3", "\ufffd", "😀", "中", "a@b.c", "86-13912345678"}
	ps, ok := pieces(t, re)
	if !ok {
		return inputs
	}
	strangers := []string{"\n", "\xff", "\xe4\xb8", "\ufffd", "😀", "中", "@", "-", " ", "Z", "z", "é", "0"}
	for range 300 {
		var b strings.Builder
		for _, p := range ps {
			b.WriteString(classString(p.class, count(p, rnd), rnd))
		}
		s := b.String()
		inputs = append(inputs, s)
		x := strangers[rnd.IntN(len(strangers))]
		inputs = append(inputs, insertAt(s, x, rnd), s+x, x+s)
	}
	return inputs
}

// count is a number of repeats of p around its bounds: at them, one
// inside or outside, or anywhere up to 70.
func count(p piece, rnd *rand.Rand) int {
	hi := p.max
	if hi < 0 {
		hi = p.min + 20
	}
	n := []int{p.min, p.min - 1, p.min + 1, hi, hi - 1, hi + 1, rnd.IntN(70)}[rnd.IntN(7)]
	return max(n, 0)
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
		if m.Table() {
			fast++
		}
		for _, s := range matcherInputs(t, re, rnd) {
			assert.Equal(t, m.MatchString(s), re.MatchString(s), "%s on %q", pattern, s)
		}
	}
	assert.Assert(t, fast >= 20, "only %d patterns take the table", fast)
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
