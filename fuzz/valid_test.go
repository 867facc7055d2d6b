package fuzz

import (
	"strings"
	"sync"
	"testing"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

func TestValidKeepsEveryRule(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		t.Run(op.ID, rapid.MakeCheck(func(t *rapid.T) {
			r := Valid(op).Draw(t, "request")
			v := oracle.Judge(op, r, freshState(op, r), account)
			if len(v.Broken) > 0 || len(v.Ambiguous) > 0 {
				t.Fatalf("valid request breaks %v, ambiguously %v: %+v", ids(v.Broken), ids(v.Ambiguous), r)
			}
			if v.Undocumented || !v.Accepts() {
				t.Fatalf("oracle does not accept a valid request (%s): %+v", v, r)
			}
		}))
	}
}

func TestGeneratorsAreSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	m := model(t)
	ops := m.Operations
	names := NewNames(1)
	results := make(chan wire.Request, 4*len(ops)*10)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				for _, op := range ops {
					results <- names.Apply(op, Valid(op).Example(w*100+i))
				}
			}
		}(w)
	}
	wg.Wait()
	close(results)
	seen := map[string]bool{}
	for r := range results {
		op, _ := m.Operation(r.Op)
		for _, path := range UniquePaths(op) {
			for _, v := range oracle.Values(path, r) {
				if key := r.Op + " " + path + "=" + v; seen[key] {
					t.Fatalf("Names gave %s twice under concurrent use", key)
				} else {
					seen[key] = true
				}
			}
		}
	}
}

// complexityWithUnsure lists the complexity rules of op that name unsure
// characters.
func complexityWithUnsure(op *specs.Operation) []*specs.Rule {
	var out []*specs.Rule
	for _, r := range op.Rules {
		if r.Kind == specs.RuleComplexity && r.UnsureChars != "" {
			out = append(out, r)
		}
	}
	return out
}

func TestValidHasNoUnsureCharacters(t *testing.T) {
	t.Parallel()
	checked := 0
	for _, op := range model(t).Operations {
		rules := complexityWithUnsure(op)
		if len(rules) == 0 {
			continue
		}
		t.Run(op.ID, rapid.MakeCheck(func(t *rapid.T) {
			r := Valid(op).Draw(t, "request")
			for _, rule := range rules {
				for _, v := range oracle.Values(rule.Param, r) {
					if strings.ContainsAny(v, rule.UnsureChars) {
						t.Fatalf("%s: valid value %q holds one of %q", rule.ID, v, rule.UnsureChars)
					}
				}
			}
		}))
		checked += len(rules)
	}
	if checked == 0 {
		t.Error("no complexity rule names unsure characters")
	}
}
