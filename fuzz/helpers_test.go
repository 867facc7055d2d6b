package fuzz

import (
	"sync"
	"testing"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// account is the account every test request is judged for.
const account = "acct-1"

// model loads the embedded specs once per test.
func model(t testing.TB) *specs.Model {
	t.Helper()
	m, err := specs.Load()
	if err != nil {
		t.Fatalf("specs.Load: %v", err)
	}
	return m
}

// freshState is a target with a large declared quota that has the
// instance r names.
func freshState(op *specs.Operation, r wire.Request) *oracle.State {
	st := oracle.NewState()
	st.DeclareQuota(op.ID, 1<<20)
	for _, rule := range op.Rules {
		if rule.Kind == specs.RuleExists {
			st.DeclareInstance(account, r.Params[rule.Param])
		}
	}
	return st
}

// ids lists rule IDs.
func ids(rules []*specs.Rule) []string {
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.ID
	}
	return out
}

// boundaryMemo holds Boundary's cases per operation and seed, computed
// once for the whole test binary: drawing them (very long values through
// rapid, under -race) is the costliest step of several tests, which only
// read them. Boundary's determinism is checked by a direct second call
// (TestBoundaryCoversEveryParameter); a test changing a shared case is a
// data race the race detector reports between the parallel tests.
var boundaryMemo sync.Map // boundaryKey -> func() []Case

type boundaryKey struct {
	op   string
	seed int64
}

// boundaryCases is Boundary(op, seed), computed once per binary.
func boundaryCases(op *specs.Operation, seed int64) []Case {
	f, _ := boundaryMemo.LoadOrStore(boundaryKey{op.ID, seed}, sync.OnceValue(func() []Case { return Boundary(op, seed) }))
	return f.(func() []Case)()
}
