package fuzz

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// planDeclarations declares what the plan tests' targets have: an instance
// and a user quota of 3.
func planDeclarations() specs.Declarations {
	var d specs.Declarations
	d.Declare(specs.RuleExists, "bastionhost-cn-test")
	d.SetLimit(specs.RuleQuota, 3)
	return d
}

// TestPlannerIsDeterministic: the same Config gives the same sequences,
// plan by plan; another nonce changes the generated names only.
func TestPlannerIsDeterministic(t *testing.T) {
	t.Parallel()
	m := model(t)
	d := planDeclarations()
	cfg := Config{Seed: 5, Examples: 6, Accounts: 2, Signatures: []wire.Signature{wire.SignV3, wire.SignV1}, Declared: d}
	for _, op := range m.Operations {
		for _, id := range Plans() {
			a := NewPlanner(m, op, cfg).Sequences(id)
			b := NewPlanner(m, op, cfg).Sequences(id)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("%s/%s: two planners with one Config differ", op.ID, id)
			}
		}
	}
	ram, _ := m.Operation("ram")
	other := cfg
	other.Nonce = "rerun"
	a, b := NewPlanner(m, ram, cfg).Sequences(PlanValid), NewPlanner(m, ram, other).Sequences(PlanValid)
	if a[0].Steps[0].Request.Params["UserName"] == b[0].Steps[0].Request.Params["UserName"] {
		t.Error("another nonce gave the same user name")
	}
}

// TestPlannedValidStepsKeepEveryRule: a step the plans build to be valid
// (no Breaks, no tamper, first of its sequence) keeps every rule on a
// target holding the declarations, the declared instance in place.
func TestPlannedValidStepsKeepEveryRule(t *testing.T) {
	t.Parallel()
	m := model(t)
	var d specs.Declarations
	d.Declare(specs.RuleExists, "bastionhost-cn-test")
	cfg := Config{Seed: 9, Examples: 8, Accounts: 2, Declared: d}
	for _, op := range m.Operations {
		for _, id := range []PlanID{PlanValid, PlanDuplicate, PlanRetry, PlanSignature} {
			for _, seq := range NewPlanner(m, op, cfg).Sequences(id) {
				st := seq.Steps[0]
				if st.Breaks != nil {
					continue
				}
				v := oracle.Judge(op, st.Request, oracle.DeclaredState(d, 2), oracle.Account(st.Account))
				if !v.Accepts() || len(v.Broken) > 0 {
					t.Errorf("%s/%s: %s is not valid: %s", op.ID, id, st.Label, v)
				}
			}
		}
	}
}

// TestDeclaredSourceUsersAreSent: with RAM users declared, a valid
// Bastionhost request whose Source makes SourceUserId name a RAM user
// carries a declared UserId, which the oracle then demands accepted; with
// none declared the value stays generated and either answer is allowed.
func TestDeclaredSourceUsersAreSent(t *testing.T) {
	t.Parallel()
	m := model(t)
	bh, _ := m.Operation("bastionhost")
	var d specs.Declarations
	d.Declare(specs.RuleExists, "bastionhost-cn-test")
	d.DeclareResource(oracle.ResourceRAMUser, "200000000000000001", "200000000000000002")
	sent := 0
	for _, seq := range NewPlanner(m, bh, Config{Seed: 3, Examples: 40, Accounts: 1, Declared: d}).Sequences(PlanValid) {
		r := seq.Steps[0].Request
		id, ok := r.Params["SourceUserId"]
		if !ok || !strings.EqualFold(r.Params["Source"], "Ram") {
			continue
		}
		sent++
		if id != "200000000000000001" && id != "200000000000000002" {
			t.Errorf("SourceUserId %q with Source Ram is not a declared RAM user", id)
		}
		v := oracle.Judge(bh, r, oracle.DeclaredState(d, 1), oracle.Account(0))
		if !v.Accepts() || slices.Contains(v.Undeclared, "SourceUserId") {
			t.Errorf("a declared SourceUserId is not demanded accepted: %s", v)
		}
	}
	if sent == 0 {
		t.Fatal("no valid request named a RAM user")
	}
}

// TestPacedOrdinaryTrafficKeepsItsAccounts: the exclusive plans of a
// rate-limited operation get accounts of their own only when enough are
// left for its paced ordinary traffic; below that the ordinary sequences
// spread over every account (with five, Bastionhost's went over one).
// An operation without a rate limit sets them aside from five.
func TestPacedOrdinaryTrafficKeepsItsAccounts(t *testing.T) {
	m := model(t)
	rows := []struct {
		op             string
		accounts       int
		reserved       bool
		ordinaryFromTo [2]int
	}{
		{"bastionhost", 5, false, [2]int{0, 4}},
		{"bastionhost", 11, false, [2]int{0, 10}},
		{"bastionhost", 16, true, [2]int{3, 14}},
		{"ram", 5, true, [2]int{3, 3}},
	}
	for _, row := range rows {
		op, _ := m.Operation(row.op)
		p := NewPlanner(m, op, Config{Seed: 1, Examples: 5, Accounts: row.accounts, Reserve: true})
		if p.Reserved() != row.reserved {
			t.Errorf("%s with %d accounts: Reserved %v, want %v", row.op, row.accounts, p.Reserved(), row.reserved)
		}
		seen := map[int]bool{}
		for n := 0; n < 3*row.accounts; n++ {
			seen[p.Account(n)] = true
		}
		for a := 0; a < row.accounts; a++ {
			want := a >= row.ordinaryFromTo[0] && a <= row.ordinaryFromTo[1]
			if seen[a] != want {
				t.Errorf("%s with %d accounts: account %d carries ordinary traffic: %v, want %v", row.op, row.accounts, a, seen[a], want)
			}
		}
		if got := p.OrdinaryAccounts(); got != row.ordinaryFromTo[1]-row.ordinaryFromTo[0]+1 {
			t.Errorf("%s with %d accounts: OrdinaryAccounts %d", row.op, row.accounts, got)
		}
	}
}

// TestInvalidPlanBreaksEverySingleRequestRule: whatever Examples, the
// invalid plan breaks each rule a single request can break, in document
// order, and Planned counts what it sends.
func TestInvalidPlanBreaksEverySingleRequestRule(t *testing.T) {
	t.Parallel()
	m := model(t)
	for _, op := range m.Operations {
		rules := ids(singleRequestRules(op))
		for _, examples := range []int{1, len(rules) + 3} {
			p := NewPlanner(m, op, Config{Seed: 1, Examples: examples, Accounts: 1})
			var broken []string
			for seq := range p.Stream(PlanInvalid) {
				broken = append(broken, seq.Steps[0].Breaks.ID)
			}
			if want := max(examples, len(rules)); len(broken) != want || p.Planned(PlanInvalid) != want {
				t.Errorf("%s at %d examples: %d cases sent, %d planned, want %d", op.ID, examples, len(broken), p.Planned(PlanInvalid), want)
				continue
			}
			if !slices.Equal(broken[:len(rules)], rules) {
				t.Errorf("%s at %d examples: broke %v, want %v", op.ID, examples, broken[:len(rules)], rules)
			}
		}
	}
}

// TestRetryPlanBreaksItsRulesInTurn: the retry plan's rejected creates
// break the rules it may break in document order, and each sequence's
// valid create takes the rejected one's name.
func TestRetryPlanBreaksItsRulesInTurn(t *testing.T) {
	t.Parallel()
	m := model(t)
	for _, op := range m.Operations {
		unique := op.RuleOfKind(specs.RuleUnique)
		if unique == nil {
			continue
		}
		p := NewPlanner(m, op, Config{Seed: 1, Examples: 50, Accounts: 1})
		rules := ids(retryRules(op, unique))
		var broken []string
		for seq := range p.Stream(PlanRetry) {
			bad, good := seq.Steps[0].Request, seq.Steps[1].Request
			broken = append(broken, seq.Steps[0].Breaks.ID)
			if !slices.Equal(oracle.Values(unique.Param, bad), oracle.Values(unique.Param, good)) {
				t.Errorf("%s: the valid create does not take the rejected one's %s", op.ID, unique.Param)
			}
		}
		if len(broken) != statefulCount(50) || !inTurn(broken, rules) {
			t.Errorf("%s: retries broke %v, want %d of %v in turn", op.ID, broken, statefulCount(50), rules)
		}
	}
}

// inTurn reports whether got takes rules in turn, from the first, each
// round in order, some left out (a rule whose case cannot be retried).
func inTurn(got, rules []string) bool {
	k := 0
	for _, id := range got {
		for n := 0; rules[k%len(rules)] != id; n++ {
			if n == len(rules) {
				return false
			}
			k++
		}
		k++
	}
	return true
}

// TestPlannedCountsWhatEveryPlanSends: Planned, counted without drawing or
// preparing what it can, bounds the steps each plan sends, and is their
// number for the boundary plan (counted from its cases).
func TestPlannedCountsWhatEveryPlanSends(t *testing.T) {
	t.Parallel()
	m := model(t)
	d := planDeclarations()
	for _, op := range m.Operations {
		p := NewPlanner(m, op, Config{Seed: 3, Examples: 12, Accounts: 2, Declared: d})
		for _, id := range Plans() {
			steps := 0
			for seq := range p.Stream(id) {
				steps += len(seq.Steps)
			}
			if n := p.Planned(id); n < steps || id == PlanBoundary && n != steps {
				t.Errorf("%s/%s: %d planned, %d sent", op.ID, id, n, steps)
			}
		}
	}
}
