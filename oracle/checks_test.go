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
