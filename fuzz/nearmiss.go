package fuzz

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"unicode"
	"unicode/utf16"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/specs"
)

// A near miss breaks a character class the way a careless client or a
// lenient target does: one letter in the wrong case, the punctuation next
// to an allowed one, a look-alike from another script, a full-width form,
// white space around the value, or one forbidden character inserted into a
// valid value. Every near-miss value is checked against the parameter's
// broad Pattern from the model (it must not match) and its documented
// lengths (it must keep them), so it breaks the pattern and nothing else.

// nearMissClass is one way of missing a character class narrowly.
type nearMissClass struct {
	// name appears in the case's label: "(near miss: case flip)".
	name string
	// edit lists the values made from rs by editing it at i, using the
	// character from (rs[i], or one borrowed from the pattern's alphabet
	// when no character of the value itself gives a near miss).
	edit func(rs []rune, i int, from rune) []string
}

// nearMisses are the near-miss classes.
var nearMisses = []nearMissClass{
	{"case flip", substitute(caseFlips)},
	{"neighbouring punctuation", substitute(punctuationNeighbours)},
	{"look-alike", substitute(lookAlikes)},
	{"full-width", substitute(fullWidth)},
	{"white space", padded},
	{"inserted character", inserted},
}

// randomShare is how many in randomShare+len(nearMisses) pattern breakers
// are the random spoiler (a probe character anywhere) rather than a near miss.
const randomShare = 2

// missed is a value drawn to break a pattern and how it was drawn (a
// label suffix, "" for the random spoiler).
type missed struct {
	value, how string
}

// patternBreaker draws a value of p outside its broad Pattern and inside
// its documented lengths: mostly a near miss, sometimes the random spoiler,
// so coverage stays broad.
func patternBreaker(op *specs.Operation, p *specs.Param) *rapid.Generator[missed] {
	base, pick := nearMissBase(op, p), rapid.IntRange(0, len(nearMisses)+randomShare-1)
	return rapid.Custom(func(t *rapid.T) missed {
		v, k := base.Draw(t, "value"), pick.Draw(t, "breaker")
		if k < len(nearMisses) {
			if m, ok := drawNearMiss(t, p, v, k); ok {
				return m
			}
		}
		return spoiled(t, p, v)
	})
}

// nearMissValue draws a value of p that misses its broad Pattern narrowly,
// from every near-miss class in turn (the random spoiler only when no class
// can break the drawn value).
func nearMissValue(op *specs.Operation, p *specs.Param) *rapid.Generator[missed] {
	base, pick := nearMissBase(op, p), rapid.IntRange(0, len(nearMisses)-1)
	return rapid.Custom(func(t *rapid.T) missed {
		v, k := base.Draw(t, "value"), pick.Draw(t, "near miss")
		if m, ok := drawNearMiss(t, p, v, k); ok {
			return m
		}
		return spoiled(t, p, v)
	})
}

// nearMissBase draws the valid values near misses are made from: two
// characters under the maximum where the bounds allow it, so padding and
// insertion keep the maximum.
func nearMissBase(op *specs.Operation, p *specs.Param) *rapid.Generator[string] {
	lo, hi := bounds(p)
	return sized(op, p, lo, max(lo, hi-2))
}

// spoiled is the random spoiler's value; it fails the draw when no probe
// character breaks the pattern anywhere in v.
func spoiled(t *rapid.T, p *specs.Param, v string) missed {
	bad, ok := spoil(t, p, v)
	if !ok {
		t.Fatalf("fuzz: no single character breaks the pattern of %s in %q", p.Path, v)
	}
	return missed{value: bad}
}

// drawNearMiss draws a near miss of v of class k or, when that class
// cannot break v, of another class drawn among those that can; ok is
// false when none can.
func drawNearMiss(t *rapid.T, p *specs.Param, v string, k int) (missed, bool) {
	rs := []rune(v)
	if len(rs) == 0 {
		return missed{}, false
	}
	start := rapid.IntRange(0, len(rs)-1).Draw(t, "near-miss position")
	order := append([]int{k}, rapid.Permutation(classIndexes).Draw(t, "fallback classes")...)
	for _, j := range order {
		c := nearMisses[j]
		if cands := c.candidates(p, rs, start); len(cands) > 0 {
			s := rapid.SampledFrom(cands).Draw(t, "near miss")
			return missed{value: s, how: " (near miss: " + c.name + ")"}, true
		}
	}
	return missed{}, false
}

// classIndexes are the indexes of nearMisses.
var classIndexes = func() []int {
	out := make([]int, len(nearMisses))
	for i := range out {
		out[i] = i
	}
	return out
}()

// candidates are the class's near misses of rs: edits of its own
// characters at the first position from start that has one, else edits at
// start with characters borrowed from the pattern's ASCII alphabet.
func (c nearMissClass) candidates(p *specs.Param, rs []rune, start int) []string {
	for k := range rs {
		i := (start + k) % len(rs)
		if out := misses(p, c.edit(rs, i, rs[i])); len(out) > 0 {
			return out
		}
	}
	var out []string
	for _, a := range patternAlphabet(p.Pattern) {
		out = append(out, misses(p, c.edit(rs, start, a))...)
	}
	return out
}

// misses keeps the values outside p's broad Pattern that keep p's lengths.
func misses(p *specs.Param, vs []string) []string {
	var out []string
	for _, v := range vs {
		if !p.Pattern.MatchString(v) && keepsLengths(p, v) {
			out = append(out, v)
		}
	}
	return out
}

// keepsLengths reports whether v keeps p's documented lengths however
// characters are counted (code points, UTF-16 units).
func keepsLengths(p *specs.Param, v string) bool {
	runes := []rune(v)
	for _, n := range []int{len(runes), len(utf16.Encode(runes))} {
		if p.MinLength != nil && n < *p.MinLength || p.MaxLength != nil && n > *p.MaxLength {
			return false
		}
	}
	return true
}

// substitute is an edit replacing the character at i by each variant of from.
func substitute(variants func(rune) []rune) func(rs []rune, i int, from rune) []string {
	return func(rs []rune, i int, from rune) []string {
		var out []string
		for _, v := range variants(from) {
			out = append(out, string(rs[:i])+string(v)+string(rs[i+1:]))
		}
		return out
	}
}

// caseFlips is r in the other case, if r has one.
func caseFlips(r rune) []rune {
	switch {
	case unicode.IsUpper(r):
		return others(r, unicode.ToLower(r))
	case unicode.IsLower(r):
		return others(r, unicode.ToUpper(r))
	}
	return nil
}

// others lists the runes of vs that are not r.
func others(r rune, vs ...rune) []rune {
	var out []rune
	for _, v := range vs {
		if v != r {
			out = append(out, v)
		}
	}
	return out
}

// punctuationNeighbours are the ASCII punctuation characters next to r in
// the code table, when r is ASCII punctuation ('.' gives '-' and '/').
func punctuationNeighbours(r rune) []rune {
	if specs.CharClass(r) != "special" {
		return nil
	}
	var out []rune
	for _, n := range []rune{r - 1, r + 1} {
		if specs.CharClass(n) == "special" {
			out = append(out, n)
		}
	}
	return out
}

// lookAlike maps ASCII characters to characters of other scripts (and
// punctuation) that look the same: Cyrillic, Greek, dotless i.
var lookAlike = map[rune][]rune{
	'a': {'а'}, 'c': {'с'}, 'e': {'е'}, 'i': {'ı', 'і'}, 'j': {'ј'}, 'o': {'о', 'ο'},
	'p': {'р'}, 's': {'ѕ'}, 'x': {'х'}, 'y': {'у'},
	'A': {'А', 'Α'}, 'B': {'В', 'Β'}, 'C': {'С'}, 'E': {'Е', 'Ε'}, 'H': {'Н', 'Η'},
	'I': {'І', 'Ι'}, 'K': {'К', 'Κ'}, 'M': {'М', 'Μ'}, 'O': {'О', 'Ο'}, 'P': {'Р', 'Ρ'},
	'T': {'Т', 'Τ'}, 'X': {'Х', 'Χ'}, '0': {'О'}, '3': {'З'},
	'-': {'‐', '−'}, '.': {'․'}, '@': {'＠'},
}

// lookAlikes are the look-alikes of r.
func lookAlikes(r rune) []rune { return lookAlike[r] }

// fullWidth is the full-width form of a printable ASCII character (Ａ, ０, ＿).
func fullWidth(r rune) []rune {
	if r > ' ' && r <= '~' {
		return []rune{r + 0xfee0}
	}
	return nil
}

// whiteSpace are the spaces padded around a value: ASCII, no-break and
// ideographic (none is a control character, so the value stays documented).
var whiteSpace = []string{" ", "\u00a0", "\u3000"}

// padded is the edit putting white space before, after or around rs.
func padded(rs []rune, _ int, _ rune) []string {
	v := string(rs)
	out := make([]string, 0, 3*len(whiteSpace))
	for _, w := range whiteSpace {
		out = append(out, w+v, v+w, w+v+w)
	}
	return out
}

// inserted is the edit putting one probe character before rs[i].
func inserted(rs []rune, i int, _ rune) []string {
	out := make([]string, 0, len(probe))
	for _, c := range probe {
		out = append(out, string(rs[:i])+string(c)+string(rs[i:]))
	}
	return out
}

// alphabets caches patternAlphabet by pattern.
var alphabets memo[*regexp.Regexp, []rune]

// patternAlphabet lists the printable ASCII characters (space aside) that appear
// in re as literals or in its character classes: what a near miss borrows
// when the value itself offers nothing to edit (no letter to flip).
func patternAlphabet(re *regexp.Regexp) []rune { return alphabets.get(re, findPatternAlphabet) }

// findPatternAlphabet is patternAlphabet without the cache.
func findPatternAlphabet(re *regexp.Regexp) []rune {
	var cs charset
	if tree, err := syntax.Parse(re.String(), syntax.Perl); err == nil {
		cs = collect(tree, nil)
	}
	var out []rune
	for r := rune('!'); r <= '~'; r++ {
		if cs.contains(r) {
			out = append(out, r)
		}
	}
	return out
}

// collect adds the runes of n's literals and character classes to cs.
func collect(n *syntax.Regexp, cs charset) charset {
	if class, ok := classOf(n); ok && n.Op != syntax.OpAnyChar && n.Op != syntax.OpAnyCharNotNL {
		cs = append(cs, class...)
	}
	if n.Op == syntax.OpLiteral {
		for _, r := range n.Rune {
			cs = append(cs, [2]rune{r, r})
		}
	}
	for _, sub := range n.Sub {
		cs = collect(sub, cs)
	}
	return cs
}

// NearMiss returns a generator of cases breaking a pattern rule, or a
// format rule written as a pattern, with a near miss only: a case flip,
// neighbouring punctuation, a look-alike, a full-width form, white space
// around the value or one forbidden character inserted. InvalidFor draws
// these most of the time too. It panics when the rule's parameter has no
// pattern (NearMissable).
func NearMiss(op *specs.Operation, rule *specs.Rule) *rapid.Generator[Case] {
	if !NearMissable(op, rule) {
		panic(fmt.Sprintf("fuzz: rule %s has no pattern to miss", rule.ID))
	}
	gen := nearMissValue(op, paramOf(op, rule))
	return rapid.Custom(func(t *rapid.T) Case {
		return labelled(patternCase(t, op, rule, gen), rule)
	})
}

// NearMissable reports whether NearMiss can break rule: a pattern rule, or
// a format rule whose format the spec writes as a pattern.
func NearMissable(op *specs.Operation, rule *specs.Rule) bool {
	if rule.Kind != specs.RulePattern && rule.Kind != specs.RuleFormat {
		return false
	}
	p := paramOf(op, rule)
	return p.Pattern != nil
}
