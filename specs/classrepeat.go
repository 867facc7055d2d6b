package specs

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"unicode"
)

// ClassRepeat is the shape of a pattern that is one character class
// repeated, anchored or not (^[a-z0-9_]+$, [0-9]{3,5}): a generator draws
// its values rune by rune, and a matcher (Matcher) need not run it.
type ClassRepeat struct {
	// Class is the runes the class matches, as inclusive ranges in
	// ascending order ("." is every rune but a newline). It is shared:
	// callers must not change it.
	Class [][2]rune
	// Min and Max bound the repeats; Max -1 means no bound.
	Min, Max int
	// Anchored: the class is anchored at both ends of the text (^...$,
	// not (?m) line anchors), so a string matches exactly when each of
	// its runes is in Class and their count is within Min..Max.
	Anchored bool
}

// ClassRepeatOf returns the shape of re when re is one character class
// repeated by *, + or {m,n} (not one optional character, ?), between
// anchors or not; ok is false for any other pattern.
func ClassRepeatOf(re *regexp.Regexp) (shape ClassRepeat, ok bool) {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return ClassRepeat{}, false
	}
	subs := []*syntax.Regexp{tree}
	if tree.Op == syntax.OpConcat {
		subs = tree.Sub
	}
	all := len(subs)
	subs = trimAnchors(subs)
	if len(subs) != 1 {
		return ClassRepeat{}, false
	}
	rep := subs[0]
	lo, hi, isRepeat := RepeatBounds(rep)
	if !isRepeat || rep.Op == syntax.OpQuest { // one optional character: no class of lengths
		return ClassRepeat{}, false
	}
	class, ok := RuneClass(rep.Sub[0])
	anchored := all == 3 && tree.Sub[0].Op == syntax.OpBeginText && tree.Sub[2].Op == syntax.OpEndText
	return ClassRepeat{Class: class, Min: lo, Max: hi, Anchored: anchored}, ok
}

// trimAnchors drops begin and end anchors (of the text or of a line)
// around a concatenation.
func trimAnchors(subs []*syntax.Regexp) []*syntax.Regexp {
	for len(subs) > 0 && (subs[0].Op == syntax.OpBeginText || subs[0].Op == syntax.OpBeginLine) {
		subs = subs[1:]
	}
	for len(subs) > 0 && (subs[len(subs)-1].Op == syntax.OpEndText || subs[len(subs)-1].Op == syntax.OpEndLine) {
		subs = subs[:len(subs)-1]
	}
	return subs
}

// RepeatBounds are how many times a repetition (*, +, ?, {m,n}) repeats
// its operand, hi -1 for no bound; ok is false for another node.
func RepeatBounds(n *syntax.Regexp) (lo, hi int, ok bool) {
	switch n.Op {
	case syntax.OpStar:
		return 0, -1, true
	case syntax.OpPlus:
		return 1, -1, true
	case syntax.OpQuest:
		return 0, 1, true
	case syntax.OpRepeat:
		return n.Min, n.Max, true
	}
	return 0, 0, false
}

// Every rune, and every rune but a newline: what "." matches with (?s)
// and without.
var (
	anyRune      = [][2]rune{{0, unicode.MaxRune}}
	anyRuneNotNL = [][2]rune{{0, '\n' - 1}, {'\n' + 1, unicode.MaxRune}}
)

// RuneClass returns the runes one regexp node matches, as inclusive
// ranges in ascending order, if it matches one rune: a class, one
// literal character (each case of it under (?i)), or ".".
func RuneClass(n *syntax.Regexp) ([][2]rune, bool) {
	switch n.Op {
	case syntax.OpCharClass:
		class := make([][2]rune, 0, len(n.Rune)/2)
		for i := 0; i+1 < len(n.Rune); i += 2 {
			class = append(class, [2]rune{n.Rune[i], n.Rune[i+1]})
		}
		return class, true
	case syntax.OpLiteral:
		if len(n.Rune) == 1 {
			return literalClass(n.Rune[0], n.Flags&syntax.FoldCase != 0), true
		}
	case syntax.OpAnyCharNotNL:
		return anyRuneNotNL, true
	case syntax.OpAnyChar:
		return anyRune, true
	}
	return nil, false
}

// literalClass is the runes a literal character matches: itself, and
// when fold is set every rune of its case-folding orbit (as the regexp
// engine compares them).
func literalClass(r rune, fold bool) [][2]rune {
	class := [][2]rune{{r, r}}
	if !fold {
		return class
	}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		class = append(class, [2]rune{f, f})
	}
	slices.SortFunc(class, func(a, b [2]rune) int { return int(a[0] - b[0]) })
	return class
}
