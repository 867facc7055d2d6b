package fuzz

import (
	"fmt"
	"sort"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// maxSteps bounds the actions of one drawn Sequence.
const maxSteps = 8

// Step is one request of a stateful sequence.
type Step struct {
	// Account is the index (0-based) of the account that sends it.
	Account int
	Request wire.Request
	// Breaks is the rule the step is meant to break when every earlier
	// step went as the docs say; nil for a step meant to be accepted.
	Breaks *specs.Rule
	// Label says what the step does.
	Label string
}

// Machine is a rapid state machine drawing stateful sequences for one
// operation: creates of fresh names, duplicates of earlier creates (in the
// same or another account), a rejected create followed by a valid create
// of the same names, cross-account pairs and, for batch operations, mixed
// batches of fresh, taken and repeated names. Use its Actions with
// (*rapid.T).Repeat, or draw whole sequences with Sequence.
type Machine struct {
	op       *specs.Operation
	accounts int
	names    *Names
	instance plan // the exists parameters every step shares
	steps    []Step
	created  []int // indexes of the steps meant to be accepted
}

// NewMachine returns a machine for op over accounts accounts (at least
// one), its names tagged with tag.
func NewMachine(op *specs.Operation, accounts int, tag string) *Machine {
	return &Machine{op: op, accounts: max(accounts, 1), names: newNames(tag)}
}

// Steps returns the steps drawn so far.
func (m *Machine) Steps() []Step { return m.steps }

// Actions returns the machine's actions by name, for (*rapid.T).Repeat.
// Each appends one or two steps.
func (m *Machine) Actions() map[string]func(*rapid.T) {
	acts := map[string]func(*rapid.T){
		"create":              m.Create,
		"duplicate":           m.Duplicate,
		"rejected-then-valid": m.RejectedThenValid,
		"cross-account":       m.CrossAccount,
	}
	if batchField(m.op) != "" {
		acts["mixed-batch"] = m.MixedBatch
	}
	return acts
}

// Sequence returns a generator of stateful sequences of 1..8 actions of a
// Machine for op over accounts accounts.
func Sequence(op *specs.Operation, accounts int) *rapid.Generator[[]Step] {
	return rapid.Custom(func(t *rapid.T) []Step {
		m := NewMachine(op, accounts, rapid.StringMatching(`[a-z]{3}`).Draw(t, "tag"))
		acts := m.Actions()
		names := make([]string, 0, len(acts))
		for name := range acts {
			names = append(names, name)
		}
		sort.Strings(names)
		n := rapid.IntRange(1, maxSteps).Draw(t, "actions")
		for i := 0; i < n; i++ {
			acts[rapid.SampledFrom(names).Draw(t, "action")](t)
		}
		return m.Steps()
	})
}

// fresh draws a valid request with the run's next names, on the machine's instance.
func (m *Machine) fresh(t *rapid.T) wire.Request {
	r := m.names.Apply(m.op, build(t, m.op, m.instance))
	if m.instance == nil {
		m.instance = sameInstance(m.op, r)
	}
	return r
}

// add appends a step; a step meant to be accepted is remembered as created.
func (m *Machine) add(s Step) {
	if s.Breaks == nil {
		m.created = append(m.created, len(m.steps))
	}
	m.steps = append(m.steps, s)
}

// account draws an account index.
func (m *Machine) account(t *rapid.T) int {
	return rapid.IntRange(0, m.accounts-1).Draw(t, "account")
}

// Create sends a fresh valid request.
func (m *Machine) Create(t *rapid.T) {
	m.add(Step{Account: m.account(t), Request: m.fresh(t), Label: "create"})
}

// Duplicate sends an earlier create again, from the same or another
// account (a create when there is none yet).
func (m *Machine) Duplicate(t *rapid.T) {
	if len(m.created) == 0 {
		m.Create(t)
		return
	}
	i := m.created[rapid.IntRange(0, len(m.created)-1).Draw(t, "original")]
	orig := m.steps[i]
	acct := m.account(t)
	rule := uniqueRule(m.op)
	s := Step{Account: acct, Request: orig.Request.Clone(), Label: fmt.Sprintf("duplicate of step %d", i+1)}
	if m.taken(rule, acct, s.Request) {
		s.Breaks = rule
	}
	m.add(s)
}

// CrossAccount sends a fresh create from one account and the same from
// another (two creates from one account when there is only one).
func (m *Machine) CrossAccount(t *rapid.T) {
	m.Create(t)
	first := m.steps[len(m.steps)-1]
	other := (first.Account + 1) % m.accounts
	s := Step{Account: other, Request: first.Request.Clone(), Label: fmt.Sprintf("step %d from account %d", len(m.steps), other+1)}
	if rule := uniqueRule(m.op); m.taken(rule, other, s.Request) {
		s.Breaks = rule
	}
	m.add(s)
}

// taken reports whether a create meant to be accepted took a value of
// r's unique parameter in the scope account acct sees (its own creates
// for an account-scoped rule, every create for an instance-scoped one).
func (m *Machine) taken(rule *specs.Rule, acct int, r wire.Request) bool {
	if rule == nil {
		return false
	}
	want := map[string]bool{}
	for _, v := range oracle.Values(rule.Param, r) {
		want[v] = true
	}
	for _, i := range m.created {
		s := m.steps[i]
		if rule.Scope == oracle.ScopeAccount && s.Account != acct {
			continue
		}
		for _, v := range oracle.Values(rule.Param, s.Request) {
			if want[v] {
				return true
			}
		}
	}
	return false
}

// RejectedThenValid sends a create breaking one request rule (not one on a
// name, not a state rule), then the valid create it came from, same names.
func (m *Machine) RejectedThenValid(t *rapid.T) {
	rules := rejectable(m.op)
	if len(rules) == 0 {
		m.Create(t)
		return
	}
	rule := rapid.SampledFrom(rules).Draw(t, "rule")
	c := InvalidFor(m.op, rule).Draw(t, "invalid")
	valid := m.fresh(t)
	bad := c.Request.Clone()
	copyShared(m.op, valid, &bad)
	acct := m.account(t)
	m.add(Step{Account: acct, Request: bad, Breaks: rule, Label: "rejected: " + c.Label})
	m.add(Step{Account: acct, Request: valid, Label: "valid create of the names just rejected"})
}

// copyShared writes the names and instance of from into to, element by
// element for lists, so a rejected request and its valid twin share them.
func copyShared(op *specs.Operation, from wire.Request, to *wire.Request) {
	paths := uniquePaths(op)
	for _, rule := range op.Rules {
		if rule.Kind == specs.RuleExists {
			paths = append(paths, rule.Param)
		}
	}
	for _, path := range paths {
		top, field := specs.SplitPath(path)
		if field == "" {
			if v, ok := from.Params[top]; ok {
				if _, sent := to.Params[top]; sent {
					to.Params[top] = v
				}
			}
			continue
		}
		for i, el := range to.Lists[top] {
			if i < len(from.Lists[top]) {
				if _, sent := el[field]; sent {
					el[field] = from.Lists[top][i][field]
				}
			}
		}
	}
}

// rejectable are the rules a single request breaks, not on a name, that
// reject the request as a whole under every reading.
func rejectable(op *specs.Operation) []*specs.Rule {
	names := map[string]bool{}
	for _, p := range uniquePaths(op) {
		names[p] = true
	}
	var out []*specs.Rule
	for _, r := range op.Rules {
		switch r.Kind {
		case specs.RuleUnique, specs.RuleQuota, specs.RuleExists, specs.RuleRateLimit, specs.RuleBatchUnique:
			continue
		}
		if !names[r.Param] && !oracle.HasAccept(r.Broken) && !oracle.HasBatch(r.Broken) {
			out = append(out, r)
		}
	}
	return out
}

// MixedBatch sends a batch whose elements are fresh, or take a name an
// earlier create of the same account took, or repeat an earlier element.
func (m *Machine) MixedBatch(t *rapid.T) {
	field := batchField(m.op)
	top, f := specs.SplitPath(field)
	r := m.fresh(t)
	acct := m.account(t)
	taken := m.takenNames(acct, field)
	var breaks *specs.Rule
	fresh, reused, repeated := 0, 0, 0
	for i, el := range r.Lists[top] {
		switch choice := rapid.IntRange(0, 2).Draw(t, "element"); {
		case choice == 1 && len(taken) > 0:
			el[f] = rapid.SampledFrom(taken).Draw(t, "taken")
			breaks, reused = uniqueRule(m.op), reused+1
		case choice == 2 && i > 0:
			el[f] = r.Lists[top][rapid.IntRange(0, i-1).Draw(t, "earlier")][f]
			breaks, repeated = ruleOfKind(m.op, specs.RuleBatchUnique), repeated+1
		default:
			fresh++
		}
	}
	m.add(Step{Account: acct, Request: r, Breaks: breaks,
		Label: fmt.Sprintf("mixed batch: %d fresh, %d taken, %d repeated", fresh, reused, repeated)})
}

// takenNames are the values of path in the account's creates.
func (m *Machine) takenNames(acct int, path string) []string {
	var out []string
	for _, i := range m.created {
		if m.steps[i].Account == acct {
			out = append(out, oracle.Values(path, m.steps[i].Request)...)
		}
	}
	return out
}

// uniqueRule is the operation's first unique rule, nil if none.
func uniqueRule(op *specs.Operation) *specs.Rule { return ruleOfKind(op, specs.RuleUnique) }

// ruleOfKind is the operation's first rule of a kind, nil if none.
func ruleOfKind(op *specs.Operation, kind specs.RuleKind) *specs.Rule {
	for _, r := range op.Rules {
		if r.Kind == kind {
			return r
		}
	}
	return nil
}

// batchField is the path of the batch-unique field of a list, "" if none.
func batchField(op *specs.Operation) string {
	if r := ruleOfKind(op, specs.RuleBatchUnique); r != nil {
		return r.Param
	}
	return ""
}
