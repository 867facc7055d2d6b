package oracle

import (
	"testing"

	"github.com/acsconform/acsconform/specs"
)

// ruleOf returns a rule of the embedded model by ID.
func ruleOf(t *testing.T, m *specs.Model, op, id string) *specs.Rule {
	t.Helper()
	r, ok := opOf(t, m, op).Rule(id)
	if !ok {
		t.Fatalf("no rule %s", id)
	}
	return r
}

// TestCheckComplexity: the character classes of a password, with the
// spec's unsure characters (a space) and non-ASCII characters, each of
// which may count for one class under some reading.
func TestCheckComplexity(t *testing.T) {
	m := loaded(t)
	eds := ruleOf(t, m, "eds-user", "eds-user.Users[].Password.complexity")
	edsTop := ruleOf(t, m, "eds-user", "eds-user.Password.complexity")
	bh := ruleOf(t, m, "bastionhost", "bastionhost.Password.complexity")
	bhSure := *bh
	bhSure.UnsureChars = ""
	for _, c := range []struct {
		reason string
		rule   *specs.Rule
		value  string
		want   Eval
	}{
		{reason: "eds-user: upper, lower and digit, no space", rule: eds, value: "Abcdefgh12", want: Satisfied},
		{reason: "eds-user: three classes and a space, which one reading forbids (the emulator's)",
			rule: eds, value: "Abcdef 12gh", want: Ambiguous},
		{reason: "eds-user top-level Password: the same rule, the same space", rule: edsTop, value: "Abcdef 12gh", want: Ambiguous},
		{reason: "eds-user: two classes and a space: unsure-chars lets the space count for the missing class, so acceptance stays allowed (no eds-user reading counts it, but the spec records only that it is unsure)",
			rule: eds, value: "Abcdef ghij", want: Ambiguous},
		{reason: "eds-user: one class and a space: one space fills at most one of the two missing classes",
			rule: eds, value: "abcdef ghij", want: Broken},
		{reason: "eds-user: two classes and a CJK character, which some reading may count as a letter or special",
			rule: eds, value: "Abcdefghij中", want: Ambiguous},
		{reason: "eds-user: three classes and a CJK character: non-ASCII never makes a satisfied value ambiguous",
			rule: eds, value: "Abcdefgh1中", want: Satisfied},
		{reason: "eds-user: one class and two equal CJK characters count for one class at most",
			rule: eds, value: "abcdefghij中中", want: Broken},
		{reason: "Bastionhost: all four classes, no space", rule: bh, value: "Abcdef1!", want: Satisfied},
		{reason: "Bastionhost: four classes and a space, which one reading forbids", rule: bh, value: "Abcde f1!", want: Ambiguous},
		{reason: "Bastionhost: three classes and a space, which one reading calls special", rule: bh, value: "Abcde f12", want: Ambiguous},
		{reason: "Bastionhost: two classes and a space: one space fills at most one of the two missing classes",
			rule: bh, value: "Abcde fgh", want: Broken},
		{reason: "a rule without unsure characters counts a space in no class (the oracle reads the spec, not the quote)",
			rule: &bhSure, value: "Abcde f12", want: Broken},
		{reason: "a rule without unsure characters: four classes and a space satisfy it",
			rule: &bhSure, value: "Abcde f1!", want: Satisfied},
	} {
		if got := checkComplexity(nil, c.rule, c.value); got != c.want {
			t.Errorf("%s %q: got %v, want %v (%s)", c.rule.ID, c.value, got, c.want, c.reason)
		}
	}
}

// TestLengths: a value's length in code points and in UTF-16 code units,
// an invalid byte counting as one of each (U+FFFD) and a character
// outside the Basic Multilingual Plane as two units.
func TestLengths(t *testing.T) {
	for _, tc := range []struct {
		v            string
		runes, units int
		reason       string
	}{
		{"", 0, 0, "empty"},
		{"abc", 3, 3, "ASCII"},
		{"中文é", 3, 3, "multi-byte, in the BMP"},
		{"a😀b", 3, 4, "an emoji is a surrogate pair in UTF-16"},
		{"a\xffb\xe4\xb8", 5, 5, "each invalid byte is one U+FFFD"},
		{"\U0010FFFF\ufffd", 2, 3, "the last code point; U+FFFD itself"},
	} {
		runes, units := lengths(tc.v)
		if runes != tc.runes || units != tc.units {
			t.Errorf("lengths(%q) = %d, %d; want %d, %d (%s)", tc.v, runes, units, tc.runes, tc.units, tc.reason)
		}
	}
}
