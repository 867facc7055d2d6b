package fuzz

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
)

// accounts is how many accounts the sequence tests use.
const accounts = 2

// simulated plays a target that answers as the oracle's verdict says,
// taking the batch reading where the docs allow it, and records what it
// creates.
type simulated struct {
	op *specs.Operation
	st *oracle.State
}

// newSimulated is a target with a large quota.
func newSimulated(op *specs.Operation) *simulated {
	st := oracle.NewState()
	st.DeclareQuota(op.ID, 1<<20)
	return &simulated{op: op, st: st}
}

// judge checks a step against its intent and plays the target's answer.
func (s *simulated) judge(t *rapid.T, i int, step Step) {
	acct := fmt.Sprint("acct-", step.Account)
	for _, rule := range s.op.Rules {
		if v, ok := step.Request.Params[rule.Param]; ok && rule.Kind == specs.RuleExists {
			for a := 0; a < accounts; a++ {
				s.st.DeclareInstance(fmt.Sprint("acct-", a), v)
			}
		}
	}
	v := oracle.Judge(s.op, step.Request, s.st, acct)
	switch {
	case step.Breaks == nil && len(v.Broken) > 0:
		t.Fatalf("step %d (%s) is meant to be accepted but breaks %v", i+1, step.Label, ids(v.Broken))
	case step.Breaks != nil && !slices.Contains(v.Broken, step.Breaks):
		t.Fatalf("step %d (%s) is meant to break %s but breaks %v", i+1, step.Label, step.Breaks.ID, ids(v.Broken))
	}
	s.answer(v, step, acct)
}

// answer records what a target reading the docs creates: nothing when a
// broken rule rejects the request, else every element no rule fails.
func (s *simulated) answer(v oracle.Verdict, step Step, acct string) {
	for _, rule := range v.Broken {
		if !oracle.HasBatch(rule.Broken) {
			return
		}
	}
	if len(v.Elements) == 0 {
		s.st.Record(s.op, step.Request, acct)
		return
	}
	created := []int{}
	for _, ev := range v.Elements {
		if len(ev.Broken) == 0 {
			created = append(created, ev.Index)
		}
	}
	s.st.RecordElements(s.op, step.Request, acct, created)
}

func TestMachineStepsMeetTheirIntent(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		t.Run(op.ID, rapid.MakeCheck(func(t *rapid.T) {
			m := NewMachine(op, accounts, "seq")
			target := newSimulated(op)
			judged := 0
			acts := m.Actions()
			acts[""] = func(t *rapid.T) {
				for ; judged < len(m.Steps()); judged++ {
					target.judge(t, judged, m.Steps()[judged])
				}
			}
			t.Repeat(acts)
		}))
	}
}

func TestSequenceReachesEveryAction(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		labels := map[string]bool{}
		for seed := 0; seed < 100; seed++ {
			for _, s := range Sequence(op, accounts).Example(seed) {
				labels[strings.SplitN(s.Label, " ", 2)[0]] = true
			}
		}
		want := []string{"create", "duplicate", "rejected:", "valid", "step"}
		if batchField(op) != "" {
			want = append(want, "mixed")
		}
		for _, w := range want {
			if !labels[w] {
				t.Errorf("%s: no step labelled %q in 100 sequences (%v)", op.ID, w, labels)
			}
		}
	}
}
