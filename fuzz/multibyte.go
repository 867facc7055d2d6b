package fuzz

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/acsconform/acsconform/specs"
)

// The specs count lengths in characters (specs.Length; every seed says
// "characters", 字符 or 字符或汉字), so a target counting UTF-8 bytes
// instead is wrong exactly where a value's bytes and characters fall on
// different sides of a bound. byteBoundaries puts values there, for a
// parameter whose documented characters include multi-byte ones.

// byteBoundaries are a parameter's length edges in multi-byte characters
// and in bytes: at the maximum in multi-byte characters (valid, more
// bytes than the maximum), one character over (invalid), exactly the
// maximum and one over it in bytes in fewer characters (both valid); at
// the minimum in multi-byte characters (valid) and one character under it
// with at least the minimum in bytes (invalid). Each valid value matches
// the sure pattern and each invalid one the broad pattern, so only a
// length rule can be broken.
func byteBoundaries(op *specs.Operation, p *specs.Param) []boundaryValue {
	wide, ok := wideRune(op, p)
	if !ok {
		return nil
	}
	var out []boundaryValue
	add := func(label, v string, valid bool) {
		if matchesFor(p, v, valid) {
			out = append(out, boundaryValue{fmt.Sprintf("%s (%d characters, %d bytes)", label, specs.Length(v), len(v)), v})
		}
	}
	if p.MaxLength != nil {
		n := *p.MaxLength
		add("at the maximum length in multi-byte characters", strings.Repeat(string(wide), n), true)
		add("one over the maximum length in multi-byte characters", strings.Repeat(string(wide), n+1), false)
		if narrow, ok := narrowRune(p); ok {
			add("at the maximum length in bytes", ofBytes(wide, narrow, n), true)
			add("one byte over the maximum length", ofBytes(wide, narrow, n+1), true)
		}
	}
	if p.MinLength != nil && *p.MinLength > 1 {
		n := *p.MinLength
		add("at the minimum length in multi-byte characters", strings.Repeat(string(wide), n), true)
		if (n-1)*utf8.RuneLen(wide) >= n {
			add("one under the minimum length in multi-byte characters", strings.Repeat(string(wide), n-1), false)
		}
	}
	return out
}

// wideRune is the multi-byte character p's documented characters surely
// include (widest): from its sure pattern's class, or a CJK ideograph for
// free text. A parameter with a complexity rule has none: its seed does
// not say which characters a password may hold.
func wideRune(op *specs.Operation, p *specs.Param) (rune, bool) {
	if ruleOn(op, p, specs.RuleComplexity) != nil {
		return 0, false
	}
	return widest(p)
}

// narrowRune is a one-byte character p allows: the first of the letters
// and digits its unique names are drawn from (alphabet).
func narrowRune(p *specs.Param) (rune, bool) {
	for _, r := range alphabet(p) {
		if r < utf8.RuneSelf {
			return r, true
		}
	}
	return 0, false
}

// ofBytes is a value of exactly n bytes: one wide character, then narrow
// ones ("" when one wide character is already more).
func ofBytes(wide, narrow rune, n int) string {
	rest := n - utf8.RuneLen(wide)
	if rest < 0 {
		return ""
	}
	return string(wide) + strings.Repeat(string(narrow), rest)
}

// matchesFor reports whether v is a non-empty value matching the pattern
// a valid value (the sure one) or an invalid one (the broad one) must match.
func matchesFor(p *specs.Param, v string, valid bool) bool {
	re := p.Pattern
	if valid {
		re = sure(p)
	}
	return v != "" && (re == nil || re.MatchString(v))
}
