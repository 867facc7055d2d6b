package specs

import (
	"regexp"
	"unicode/utf8"
)

// Matcher is a pattern's MatchString, made once per pattern. A pattern
// that is one class repeated between anchors (ClassRepeat) is matched
// without running it: a table of the class's ASCII runes, its ranges for
// the rest, and a count of runes decide, as the pattern would (an
// invalid UTF-8 byte is one rune, U+FFFD, for both).
type Matcher struct {
	re *regexp.Regexp
	// fast is set when the pattern is an anchored ClassRepeat; then
	// ascii, class, min and max stand for it.
	fast     bool
	ascii    [utf8.RuneSelf]bool
	class    [][2]rune
	min, max int
}

// NewMatcher returns the matcher of re.
func NewMatcher(re *regexp.Regexp) *Matcher {
	m := &Matcher{re: re}
	shape, ok := ClassRepeatOf(re)
	if !ok || !shape.Anchored {
		return m
	}
	m.fast, m.class, m.min, m.max = true, shape.Class, shape.Min, shape.Max
	for c := range m.ascii {
		m.ascii[c] = inRanges(m.class, rune(c))
	}
	return m
}

// Table reports whether the matcher decides without running the pattern.
func (m *Matcher) Table() bool { return m.fast }

// MatchString reports whether s matches the pattern.
func (m *Matcher) MatchString(s string) bool {
	if !m.fast {
		return m.re.MatchString(s)
	}
	n := 0
	for i := 0; i < len(s); n++ {
		if m.max >= 0 && n >= m.max {
			return false
		}
		if c := s[i]; c < utf8.RuneSelf {
			if !m.ascii[c] {
				return false
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if !inRanges(m.class, r) {
			return false
		}
		i += w
	}
	return n >= m.min
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
