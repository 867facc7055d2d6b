package emulator

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// rule is one documented rule: a stable name (the spec's rule ID where it
// has one) and the check, which returns the error for a request breaking it.
type rule struct {
	name  string
	check func(req *request) *apiError
}

// firstBroken runs rules in order and returns the first error. A rule
// switched off by a fault of its name is skipped.
func (e *Emulator) firstBroken(rules []rule, req *request) *apiError {
	for _, r := range rules {
		if e.faults.has(r.name) {
			continue
		}
		if err := r.check(req); err != nil {
			return err
		}
	}
	return nil
}

// tooLong reports whether v has more than max characters (runes).
func tooLong(v string, max int) bool { return utf8.RuneCountInString(v) > max }

// tooShort reports whether v has fewer than min characters (runes).
func tooShort(v string, min int) bool { return utf8.RuneCountInString(v) < min }

// oneOf reports whether v is one of values, exactly.
func oneOf(v string, values ...string) bool {
	for _, x := range values {
		if v == x {
			return true
		}
	}
	return false
}

// emailAddress is the emulator's reading of an email address wherever the
// docs name one without a format: text, one @, text, no spaces.
var emailAddress = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)

// isInt64 reports whether v is a decimal integer (an optional minus, digits)
// that fits 64 bits.
func isInt64(v string) bool {
	_, err := strconv.ParseInt(v, 10, 64)
	return err == nil && !strings.HasPrefix(v, "+")
}

// Character classes of password complexity rules.
const (
	classUpper = iota
	classLower
	classDigit
	classSpecial
)

// passwordClasses returns which of upper, lower, digit and special (ASCII
// punctuation and symbols) characters s contains, and whether it contains a
// space. With fold (FaultCaseInsensitivePatterns) a letter of either case
// counts as both.
func passwordClasses(s string, fold bool) (classes [4]bool, hasSpace bool) {
	for _, r := range s {
		switch {
		case (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z'):
			upper := r <= 'Z'
			classes[classUpper] = classes[classUpper] || upper || fold
			classes[classLower] = classes[classLower] || !upper || fold
		case r >= '0' && r <= '9':
			classes[classDigit] = true
		case unicode.IsSpace(r):
			hasSpace = true
		case r > ' ' && r < 0x7f:
			classes[classSpecial] = true
		}
	}
	return classes, hasSpace
}

// countClasses counts the true entries.
func countClasses(classes [4]bool) int {
	n := 0
	for _, c := range classes {
		if c {
			n++
		}
	}
	return n
}
