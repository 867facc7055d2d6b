package fuzz

import (
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
)

func TestEveryRuleHasAGenerator(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		for _, rule := range op.Rules {
			if !Breakable(rule) {
				t.Errorf("%s: no generator breaks rule kind %q", rule.ID, rule.Kind)
			}
		}
	}
}

// stateFor is the target state a case needs: its instance declared (the
// origin's, for a case naming another), its quota, its setup created.
func stateFor(t *rapid.T, op *specs.Operation, c Case) *oracle.State {
	st := freshState(op, c.Base)
	if c.Needs == NeedsQuota {
		st.DeclareQuota(op.ID, len(c.Setup))
	}
	for _, s := range c.Setup {
		v := oracle.Judge(op, s, st, account)
		if len(v.Broken) > 0 {
			t.Fatalf("setup request breaks %v: %+v", ids(v.Broken), s)
		}
		st.Record(op, s, account)
	}
	return st
}

func TestInvalidBreaksExactlyItsRule(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		for _, rule := range op.Rules {
			t.Run(rule.ID, rapid.MakeCheck(func(t *rapid.T) {
				c := InvalidFor(op, rule).Draw(t, "case")
				if c.Rule != rule {
					t.Fatalf("case labelled %v, want %s", c.Rule, rule.ID)
				}
				st := stateFor(t, op, c)
				if rule.Kind == specs.RuleRateLimit {
					checkBurst(t, op, c)
					return
				}
				v := oracle.Judge(op, c.Request, st, account)
				want := append([]string{rule.ID}, ids(c.Also)...)
				if got := ids(v.Broken); !slices.Equal(sortedCopy(got), sortedCopy(want)) {
					t.Fatalf("%s: breaks %v, want %v: %+v", c.Label, got, want, c.Request)
				}
				for _, also := range c.Also {
					if also.Param != rule.Param {
						t.Fatalf("%s: also breaks %s on another parameter", c.Label, also.ID)
					}
				}
				for _, o := range rule.Broken {
					if _, ok := v.Why[o]; !ok && !(o.Accept && v.Accepts()) {
						t.Fatalf("%s: documented outcome %s not allowed by the oracle (%s)", c.Label, oracle.Describe(o), v)
					}
				}
				origin := oracle.Judge(op, c.Base, stateFor(t, op, Case{Base: c.Base, Needs: c.Needs, Setup: c.Setup}), account)
				if rule.Kind != specs.RuleUnique && rule.Kind != specs.RuleQuota && len(origin.Broken) > 0 {
					t.Fatalf("%s: the origin breaks %v", c.Label, ids(origin.Broken))
				}
			}))
		}
	}
}

// checkBurst: the setup reaches the documented rate limit and the request passes it.
func checkBurst(t *rapid.T, op *specs.Operation, c Case) {
	n := len(c.Setup)
	if c.Needs != NeedsBurst || oracle.Throttles(op, n) || !oracle.Throttles(op, n+1) {
		t.Fatalf("%s: %d setup calls do not reach the rate limit exactly", c.Label, n)
	}
}

// sortedCopy returns xs sorted.
func sortedCopy(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}
