package fuzz

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
)

// byteEdge is one byte-versus-character boundary case and what it must be.
type byteEdge struct {
	label string
	valid bool
	// size checks the value's characters and bytes against the bound.
	size func(chars, bytes, bound int) bool
}

// maxEdges are the byte-versus-character cases at a maximum length.
var maxEdges = []byteEdge{
	{"at the maximum length in multi-byte characters", true, func(c, b, n int) bool { return c == n && b > n }},
	{"one over the maximum length in multi-byte characters", false, func(c, b, n int) bool { return c == n+1 }},
	{"at the maximum length in bytes", true, func(c, b, n int) bool { return b == n && c < n }},
	{"one byte over the maximum length", true, func(c, b, n int) bool { return b == n+1 && c <= n }},
}

// TestByteBoundariesOfMultiByteParameters: every parameter whose
// documented characters include multi-byte ones (CJK by its pattern, or
// free text) has boundary cases at its maximum in multi-byte characters
// (valid, though longer in bytes), one character over (invalid), and at
// the maximum and one over it in bytes (valid): a target counting bytes is
// caught.
func TestByteBoundariesOfMultiByteParameters(t *testing.T) {
	t.Parallel()
	patterned := 0
	for _, op := range model(t).Operations {
		cases := boundaryCases(op, 4)
		for p, s := range allParams(op) {
			if !hasByteBoundaries(op, p) {
				continue
			}
			if p.Pattern != nil {
				patterned++
			}
			for _, e := range maxEdges {
				checkByteEdge(t, op, p, boundaryCase(t, cases, s.String()+" "+e.label), e)
			}
		}
	}
	if patterned == 0 {
		t.Error("no parameter's pattern allows multi-byte characters")
	}
}

// boundaryCase returns the one case whose label holds want.
func boundaryCase(t *testing.T, cases []Case, want string) Case {
	t.Helper()
	var found []Case
	for _, c := range cases {
		if strings.Contains(c.Label, " "+want+" (") {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d boundary cases %q", len(found), want)
	}
	return found[0]
}

// checkByteEdge checks one case's value sizes and the oracle's verdict.
func checkByteEdge(t *testing.T, op *specs.Operation, p *specs.Param, c Case, e byteEdge) {
	t.Helper()
	vs := oracle.Values(p.Path, c.Request)
	if len(vs) == 0 {
		t.Fatalf("%s: no value sent", c.Label)
	}
	v := vs[0]
	if !e.size(utf8.RuneCountInString(v), len(v), *p.MaxLength) {
		t.Errorf("%s: %d characters, %d bytes", c.Label, utf8.RuneCountInString(v), len(v))
	}
	verdict := oracle.Judge(op, c.Request, freshState(op, c.Request), account)
	want := []string(nil)
	if !e.valid {
		want = []string{op.ID + "." + p.Path + "." + string(specs.RuleMaxLength)}
	}
	if got := ids(verdict.Broken); strings.Join(got, ",") != strings.Join(want, ",") || len(verdict.Ambiguous) > 0 {
		t.Errorf("%s: breaks %v (ambiguous %v), want %v", c.Label, got, ids(verdict.Ambiguous), want)
	}
	if e.valid != verdict.Accepts() {
		t.Errorf("%s: accepted %v, want %v", c.Label, verdict.Accepts(), e.valid)
	}
}

// TestByteBoundariesAtAMinimum: a free-text parameter with a minimum of
// three characters gets three CJK characters (valid) and two (invalid,
// though six bytes), each labelled with its sizes.
func TestByteBoundariesAtAMinimum(t *testing.T) {
	t.Parallel()
	lo, hi := 3, 5
	p := &specs.Param{Path: "X", Kind: specs.KindString, MinLength: &lo, MaxLength: &hi}
	got := map[string]string{}
	for _, b := range byteBoundaries(&specs.Operation{}, p) {
		got[b.label] = b.value
	}
	tests := []struct {
		label     string
		runes, by int
	}{
		{"at the minimum length in multi-byte characters (3 characters, 9 bytes)", 3, 9},
		{"one under the minimum length in multi-byte characters (2 characters, 6 bytes)", 2, 6},
		{"at the maximum length in bytes (3 characters, 5 bytes)", 3, 5},
		{"one byte over the maximum length (4 characters, 6 bytes)", 4, 6},
	}
	for _, tt := range tests {
		v, ok := got[tt.label]
		if !ok || utf8.RuneCountInString(v) != tt.runes || len(v) != tt.by {
			t.Errorf("%s: got %q (%v)", tt.label, v, got)
		}
	}
}

// TestPasswordsHaveNoMultiByteLengthEdges: the seeds do not say which
// characters a password may hold, so no password length case demands
// acceptance of a multi-byte one.
func TestPasswordsHaveNoMultiByteLengthEdges(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		for p := range allParams(op) {
			if ruleOn(op, p, specs.RuleComplexity) != nil && len(byteBoundaries(op, p)) > 0 {
				t.Errorf("%s.%s: byte boundaries for a password", op.ID, p.Path)
			}
		}
	}
}
