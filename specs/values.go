package specs

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Unsure reports whether the docs leave open if value is valid for p: it
// matches the broad Pattern but not the StrictPattern, or it equals an Enum
// value only when case is ignored and EnumCaseInsensitive is set. For such
// a value the target may accept the request (some reading says it is valid)
// or answer one of the broken rule's outcomes (another reading says it is
// not); the rule's Ambiguity names the note.
func (p *Param) Unsure(value string) bool {
	if p.Pattern != nil && p.StrictPattern != nil && p.Pattern.MatchString(value) && !p.StrictPattern.MatchString(value) {
		return true
	}
	enum := p.Enum
	if p.Style == StyleJSON && p.Items != nil {
		enum = p.Items.Enum
	}
	return p.EnumCaseInsensitive && !slices.Contains(enum, value) &&
		slices.ContainsFunc(enum, func(e string) bool { return strings.EqualFold(e, value) })
}

// Length is a value's length as the seeds count it: in characters (runes).
func Length(value string) int { return utf8.RuneCountInString(value) }

// CharClass returns the character class of r as a complexity rule names it:
// "upper" (A-Z), "lower" (a-z), "digit" (0-9), "special" (any other
// printable ASCII character except space), or "" for anything else (space,
// control and non-ASCII characters count in no class).
func CharClass(r rune) string {
	switch {
	case r >= 'A' && r <= 'Z':
		return "upper"
	case r >= 'a' && r <= 'z':
		return "lower"
	case r >= '0' && r <= '9':
		return "digit"
	case r > ' ' && r <= '~':
		return "special"
	}
	return ""
}

// ClassesIn returns how many of classes value has at least one character of.
func ClassesIn(value string, classes []string) int {
	seen := map[string]bool{}
	for _, r := range value {
		if c := CharClass(r); c != "" && slices.Contains(classes, c) {
			seen[c] = true
		}
	}
	return len(seen)
}
