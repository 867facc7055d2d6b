package fuzz

import (
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
