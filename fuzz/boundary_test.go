package fuzz

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
)

// allParams lists every parameter of op with its site (fields in element 1).
func allParams(op *specs.Operation) map[*specs.Param]site {
	out := map[*specs.Param]site{}
	for _, p := range op.Params {
		if p.Style == specs.StyleFlat {
			for _, f := range fieldsOf(p) {
				out[f] = site{top: p.Name, field: f.Name, el: 0}
			}
			continue
		}
		out[p] = site{top: p.Name, el: -1}
	}
	return out
}

func TestBoundaryLengthsMeetTheirRules(t *testing.T) {
	t.Parallel()
	checked := 0
	for _, op := range model(t).Operations {
		base := Valid(op).Example(5)
		for p, s := range allParams(op) {
			for _, b := range lengthBoundaries(op, p, 5) {
				r := base.Clone()
				s.set(&r, b.value)
				v := oracle.Judge(op, r, freshState(op, r), account)
				broken := map[specs.RuleKind]bool{}
				for _, rule := range v.Broken {
					if rule.Param == p.Path {
						broken[rule.Kind] = true
					}
				}
				checked++
				tests := []struct {
					reason string
					label  string
					kind   specs.RuleKind
					want   bool
				}{
					{"a value at the minimum keeps the minimum", "at the minimum", specs.RuleMinLength, false},
					{"a value one under the minimum breaks it", "one under the minimum", specs.RuleMinLength, true},
					{"a value at the maximum keeps the maximum", "at the maximum", specs.RuleMaxLength, false},
					{"a value one over the maximum breaks it", "one over the maximum", specs.RuleMaxLength, true},
				}
				for _, tt := range tests {
					if strings.HasPrefix(b.label, tt.label) && broken[tt.kind] != tt.want {
						t.Errorf("%s: %s.%s %s: broken %v", tt.reason, op.ID, s, b.label, ids(v.Broken))
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Error("no length boundary was checked")
	}
}

func TestBoundaryCoversEveryParameter(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		cases := boundaryCases(op, 1)
		text := ""
		for _, c := range cases {
			if c.Base.Params == nil {
				t.Errorf("%s: %s names no base request", op.ID, c.Label)
			}
			text += c.Label + "\n"
		}
		for p, s := range allParams(op) {
			if !strings.Contains(text, " "+s.String()+" ") {
				t.Errorf("%s: no boundary case for %s", op.ID, p.Path)
			}
		}
		if !reflect.DeepEqual(cases, Boundary(op, 1)) {
			t.Errorf("%s: Boundary is not deterministic by seed", op.ID)
		}
	}
}

func TestBoundaryOddCharactersAreUndocumented(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		for _, c := range boundaryCases(op, 2) {
			odd := strings.Contains(c.Label, "NUL") || strings.Contains(c.Label, "invalid UTF-8") || strings.Contains(c.Label, "DEL")
			v := oracle.Judge(op, c.Request, nil, "")
			if odd && !v.Undocumented {
				t.Errorf("%s: %s is not judged undocumented", op.ID, c.Label)
			}
			if v.Allows(500, "InternalError") {
				t.Errorf("%s: %s allows a 5xx", op.ID, c.Label)
			}
		}
	}
}

// TestBoundaryUnsureCharactersAreAmbiguous: a valid value padded with an
// unsure character (a space) is still a boundary case, and the oracle
// allows both acceptance and the rule's error for it.
func TestBoundaryUnsureCharactersAreAmbiguous(t *testing.T) {
	t.Parallel()
	rules := 0
	for _, op := range model(t).Operations {
		for _, rule := range complexityWithUnsure(op) {
			rules++
			if n := checkPaddedCases(t, op, rule); n == 0 {
				t.Errorf("%s: no boundary case pads %s with spaces", op.ID, rule.Param)
			}
		}
	}
	if rules == 0 {
		t.Error("no complexity rule names unsure characters")
	}
}

// checkPaddedCases checks op's boundary cases that pad rule's parameter
// with spaces, and returns how many there were.
func checkPaddedCases(t *testing.T, op *specs.Operation, rule *specs.Rule) int {
	t.Helper()
	n := 0
	for _, c := range boundaryCases(op, 3) {
		padded := slices.ContainsFunc(oracle.Values(rule.Param, c.Request), func(v string) bool {
			return len(v) > 2 && strings.HasPrefix(v, " ") && strings.HasSuffix(v, " ")
		})
		if !strings.HasSuffix(c.Label, " padded with spaces") || !padded {
			continue
		}
		n++
		v := oracle.Judge(op, c.Request, freshState(op, c.Request), account)
		if len(v.Broken) > 0 || !v.Accepts() || !slices.Contains(v.Ambiguous, rule) {
			t.Errorf("%s: %s: want %s ambiguous and nothing broken, got %s", op.ID, c.Label, rule.ID, v)
		}
	}
	return n
}
