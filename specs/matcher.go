package specs

import (
	"regexp"
	"regexp/syntax"
	"unicode/utf8"
)

// Matcher is a pattern's MatchString, made once per pattern. A pattern
// that is, between text anchors, a sequence of runs of one class each
// (^[a-z0-9_]+$, ^[0-9]+-[0-9]+$, ^[^@ ]+@[^@ ]+$, ^[0-9A-F]{8}-[0-9A-F]{4}$)
// whose split is forced is matched without running it: each run takes the
// runes of its class, counted against its bounds, through a table of the
// class's ASCII runes and its ranges for the rest, as the pattern would (an
// invalid UTF-8 byte is one rune, U+FFFD, for both).
type Matcher struct {
	re *regexp.Regexp
	// runs stand for the pattern when it has that shape (nil: it is run).
	runs []classRun
}

// classRun is from min to max (-1: no bound) runes of one class.
type classRun struct {
	ascii    [utf8.RuneSelf]bool
	class    [][2]rune
	min, max int
}

// NewMatcher returns the matcher of re.
func NewMatcher(re *regexp.Regexp) *Matcher {
	return &Matcher{re: re, runs: runsOf(re)}
}

// Table reports whether the matcher decides without running the pattern.
func (m *Matcher) Table() bool { return m.runs != nil }

// MatchString reports whether s matches the pattern.
func (m *Matcher) MatchString(s string) bool {
	if m.runs == nil {
		return m.re.MatchString(s)
	}
	i := 0
	for k := range m.runs {
		n, w := m.runs[k].take(s[i:])
		if n < m.runs[k].min {
			return false
		}
		i += w
	}
	return i == len(s)
}

// take counts the runes of the run's class that s starts with, up to the
// run's max, and their bytes.
func (run *classRun) take(s string) (n, bytes int) {
	for bytes < len(s) && (run.max < 0 || n < run.max) {
		if c := s[bytes]; c < utf8.RuneSelf {
			if !run.ascii[c] {
				break
			}
			bytes++
		} else {
			r, w := utf8.DecodeRuneInString(s[bytes:])
			if !inRanges(run.class, r) {
				break
			}
			bytes += w
		}
		n++
	}
	return n, bytes
}

// runsOf reads re as runs of one class each between text anchors, nil
// when it is not, or when its split into runs is not forced: then every
// run but a lone one takes at least one rune, and a run of variable
// length shares no rune with the next, so that each run takes all the
// runes of its class it meets.
func runsOf(re *regexp.Regexp) []classRun {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil || tree.Op != syntax.OpConcat || len(tree.Sub) < 3 ||
		tree.Sub[0].Op != syntax.OpBeginText || tree.Sub[len(tree.Sub)-1].Op != syntax.OpEndText {
		return nil
	}
	var runs []classRun
	for _, n := range tree.Sub[1 : len(tree.Sub)-1] {
		more, ok := nodeRuns(n)
		if !ok {
			return nil
		}
		runs = append(runs, more...)
	}
	if !forced(runs) {
		return nil
	}
	for k := range runs {
		for c := range runs[k].ascii {
			runs[k].ascii[c] = inRanges(runs[k].class, rune(c))
		}
	}
	return runs
}

// nodeRuns reads one node of a concatenation as runs: a repeated single
// character, or one or more literal characters.
func nodeRuns(n *syntax.Regexp) ([]classRun, bool) {
	if lo, hi, ok := RepeatBounds(n); ok {
		class, ok := RuneClass(n.Sub[0])
		return []classRun{{class: class, min: lo, max: hi}}, ok
	}
	if n.Op == syntax.OpLiteral {
		runs := make([]classRun, len(n.Rune))
		for i, r := range n.Rune {
			runs[i] = classRun{class: literalClass(r, n.Flags&syntax.FoldCase != 0), min: 1, max: 1}
		}
		return runs, true
	}
	class, ok := RuneClass(n)
	return []classRun{{class: class, min: 1, max: 1}}, ok
}

// forced reports whether runs split any string one way only (runsOf).
func forced(runs []classRun) bool {
	if len(runs) == 1 {
		return true
	}
	for k, run := range runs {
		if run.min < 1 {
			return false
		}
		if k+1 < len(runs) && run.max != run.min && overlap(run.class, runs[k+1].class) {
			return false
		}
	}
	return true
}

// overlap reports whether two sets of inclusive ranges share a rune.
func overlap(a, b [][2]rune) bool {
	for _, x := range a {
		for _, y := range b {
			if x[0] <= y[1] && y[0] <= x[1] {
				return true
			}
		}
	}
	return false
}

// inRanges reports whether r is in one of the inclusive ranges.
func inRanges(ranges [][2]rune, r rune) bool {
	for _, rg := range ranges {
		if r >= rg[0] && r <= rg[1] {
			return true
		}
	}
	return false
}
