package oracle

import (
	"testing"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// DeclaredState holds its declarations once for every account, and judges
// like a state that declared them account by account.
func TestDeclaredStateIsPerAccountDeclarations(t *testing.T) {
	t.Parallel()
	var d specs.Declarations
	d.Declare(specs.RuleExists, "inst-1", "inst-2")
	d.Resources = map[string][]string{ResourceRAMUser: {"u1"}}
	const n = 3
	perAccount := NewState()
	for i := 0; i < n; i++ {
		for _, v := range d.Values[specs.RuleExists] {
			perAccount.DeclareInstance(Account(i), v)
		}
		perAccount.DeclareResources(ResourceRAMUser, Account(i), "u1")
	}
	shared := DeclaredState(d, n)
	for _, s := range []*State{perAccount, shared} {
		s.DeclareInstance(Account(1), "inst-9")
		s.DeclareInstance("elsewhere", "inst-1")
	}
	rule := &specs.Rule{Kind: specs.RuleExists, Param: "InstanceId"}
	accounts := []string{Account(0), Account(1), Account(2), Account(3), "account-01", "account--1", "elsewhere", ""}
	for _, a := range accounts {
		for _, inst := range []string{"inst-1", "inst-2", "inst-9", "other", ""} {
			r := wire.Request{Params: map[string]string{"InstanceId": inst}}
			if got, want := shared.exists(rule, r, a), perAccount.exists(rule, r, a); got != want {
				t.Errorf("exists(%q) for %q = %v, want %v", inst, a, got, want)
			}
		}
		for _, id := range []string{"u1", "u2"} {
			if got, want := shared.isDeclared(ResourceRAMUser, a, id), perAccount.isDeclared(ResourceRAMUser, a, id); got != want {
				t.Errorf("isDeclared(%q) for %q = %v, want %v", id, a, got, want)
			}
		}
	}
	var none specs.Declarations
	if got := DeclaredState(none, n).exists(rule, wire.Request{Params: map[string]string{"InstanceId": "x"}}, Account(0)); got != Ambiguous {
		t.Errorf("no declared instance: %v, want Ambiguous", got)
	}
}
