package fuzz

import (
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
)

// nearMissRules lists every rule of op NearMiss can break.
func nearMissRules(op *specs.Operation) []*specs.Rule {
	var out []*specs.Rule
	for _, rule := range op.Rules {
		if NearMissable(op, rule) {
			out = append(out, rule)
		}
	}
	return out
}

// siteFor is where a rule's value goes in a test request: the parameter,
// or the field of the first element.
func siteFor(rule *specs.Rule) site {
	top, field := specs.SplitPath(rule.Param)
	if field == "" {
		return site{top: top, el: -1}
	}
	return site{top: top, field: field, el: 0}
}

func TestNearMissBreaksExactlyItsRule(t *testing.T) {
	t.Parallel()
	n := 0
	for _, op := range model(t).Operations {
		base := Valid(op).Example(7)
		for _, rule := range nearMissRules(op) {
			n++
			p, s := paramOf(op, rule), siteFor(rule)
			t.Run(rule.ID, rapid.MakeCheck(func(t *rapid.T) {
				m := nearMissValue(op, p).Draw(t, "near miss")
				if m.how == "" || p.Pattern.MatchString(m.value) {
					t.Fatalf("%q%s is no near miss outside %s", m.value, m.how, p.Pattern)
				}
				r := base.Clone()
				s.set(&r, m.value)
				v := oracle.Judge(op, r, freshState(op, r), account)
				if got := ids(v.Broken); !slices.Equal(got, []string{rule.ID}) || len(v.Ambiguous) > 0 {
					t.Fatalf("%q%s: breaks %v (ambiguous %v), want only %s", m.value, m.how, got, ids(v.Ambiguous), rule.ID)
				}
			}))
		}
	}
	if n == 0 {
		t.Error("no rule has a pattern to miss")
	}
}

func TestNearMissCasesAreLabelledWithTheirRule(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		for _, rule := range nearMissRules(op) {
			for seed := range 3 {
				c := NearMiss(op, rule).Example(seed)
				v := oracle.Judge(op, c.Request, freshState(op, c.Base), account)
				if c.Rule != rule || !strings.Contains(c.Label, "(near miss: ") || !slices.Equal(ids(v.Broken), []string{rule.ID}) {
					t.Errorf("%s: %q breaks %v", rule.ID, c.Label, ids(v.Broken))
				}
			}
		}
	}
}

// lowerCaseOnly finds a parameter whose sure pattern is one class holding
// lower-case letters and no upper-case one.
func lowerCaseOnly(t *testing.T) (*specs.Operation, *specs.Param) {
	t.Helper()
	for _, op := range model(t).Operations {
		for _, rule := range nearMissRules(op) {
			p := paramOf(op, rule)
			if cs, _, _, ok := simpleClass(sure(p)); ok && cs.contains('a') && !cs.contains('A') {
				return op, p
			}
		}
	}
	t.Fatal("no parameter allows lower-case letters only")
	return nil, nil
}

// TestNearMissDistribution: over a fixed set of seeds, the pattern breaker
// of a lower-case-only parameter draws every near-miss class, near misses
// most of the time, and the same values for the same seeds.
func TestNearMissDistribution(t *testing.T) {
	t.Parallel()
	op, p := lowerCaseOnly(t)
	const draws = 400
	count := map[string]int{}
	gen := patternBreaker(op, p)
	for seed := range draws {
		m := gen.Example(seed)
		if again := gen.Example(seed); again != m {
			t.Fatalf("seed %d: %q then %q", seed, m.value, again.value)
		}
		count[m.how]++
	}
	for _, c := range nearMisses {
		if got := count[" (near miss: "+c.name+")"]; got < draws/len(nearMisses)/4 {
			t.Errorf("%s: %d %s near misses in %d draws: %v", p.Path, got, c.name, draws, count)
		}
	}
	if random := count[""]; random == 0 || random > draws/2 {
		t.Errorf("%s: %d random breakers in %d draws, want some and fewer than near misses", p.Path, random, draws)
	}
}

func TestNearMissClassesMissNarrowly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		class    string
		from     rune
		want     []rune
		reason   string
		variants func(rune) []rune
	}{
		{"case flip", 'a', []rune{'A'}, "a lower-case letter flips to upper case", caseFlips},
		{"case flip", 'Q', []rune{'q'}, "an upper-case letter flips to lower case", caseFlips},
		{"case flip", '7', nil, "a digit has no case", caseFlips},
		{"neighbouring punctuation", '.', []rune{'-', '/'}, "'.' sits between '-' and '/'", punctuationNeighbours},
		{"neighbouring punctuation", '_', []rune{'^', '`'}, "'_' sits between '^' and '`'", punctuationNeighbours},
		{"neighbouring punctuation", '@', []rune{'?'}, "'A' after '@' is no punctuation", punctuationNeighbours},
		{"look-alike", 'o', []rune{'о', 'ο'}, "Cyrillic and Greek o", lookAlikes},
		{"look-alike", 'i', []rune{'ı', 'і'}, "dotless i and Cyrillic i", lookAlikes},
		{"full-width", 'A', []rune{'Ａ'}, "full-width A", fullWidth},
		{"full-width", '_', []rune{'＿'}, "full-width low line", fullWidth},
		{"full-width", '0', []rune{'０'}, "full-width zero", fullWidth},
	}
	for _, tt := range tests {
		if got := tt.variants(tt.from); !slices.Equal(got, tt.want) {
			t.Errorf("%s of %q: got %q, want %q (%s)", tt.class, tt.from, got, tt.want, tt.reason)
		}
	}
}
