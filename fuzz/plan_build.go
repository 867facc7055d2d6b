package fuzz

import (
	"iter"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// buildValid: Examples valid requests, spread over the accounts, the
// signature versions and the documented formats.
func buildValid(b *builder, emit func(Sequence) bool) {
	for i := 0; i < b.cfg.Examples; i++ {
		r := b.format(i, b.valid(i))
		if !emit(one(b.step(i, r, b.account(i), nil, "valid request"))) {
			return
		}
	}
}

// buildInvalid: invalidCount requests each breaking one rule a single
// request can break, the rules in turn (document order), so that every
// such rule is broken, however the draws fall (a random pick left some
// rules unbroken in short runs).
func buildInvalid(b *builder, emit func(Sequence) bool) {
	want, n := invalidCount(b.op, b.cfg.Examples), 0
	for _, c := range b.inTurn("invalid", singleRequestRules(b.op), want) {
		if !emit(one(b.caseStep(n, c, b.prepareOwnCase(c)))) { // drawn for this step
			return
		}
		if n++; n == want {
			return
		}
	}
}

// inTurn yields, with their draw index i, the cases breaking rules in
// turn (document order) that go out as one request: rule i mod len(rules)
// draws its (i/len(rules))-th case from its own seed in stream. It stops
// after 4*want draws, for a plan of want cases. Each case is drawn for the
// caller alone, who may prepare it in place (prepareOwnCase).
func (b *builder) inTurn(stream string, rules []*specs.Rule, want int) iter.Seq2[int, Case] {
	return func(yield func(int, Case) bool) {
		for i := 0; len(rules) > 0 && i < 4*want; i++ {
			rule := rules[i%len(rules)]
			c, ok := example(InvalidFor(b.op, rule), b.draw(stream+"/turn/"+rule.ID, i/len(rules)))
			if ok && usable(c) && !yield(i, c) {
				return
			}
		}
	}
}

// invalidCount is the size of op's invalid plan: examples, and at least
// one case per rule a single request can break.
func invalidCount(op *specs.Operation, examples int) int {
	return max(examples, len(singleRequestRules(op)))
}

// singleRequestRules are op's rules that one generated request can break
// alone: breakable, and not about state (uniqueness, quota, rate).
func singleRequestRules(op *specs.Operation) []*specs.Rule {
	var rules []*specs.Rule
	for _, rule := range op.Rules {
		if Breakable(rule) && !stateKind(rule.Kind) {
			rules = append(rules, rule)
		}
	}
	return rules
}

// generatedStep makes the step of a generated case that others share (a
// cached boundary case, prepared on a copy): sent from the accounts in
// turn, judged by the oracle.
func (b *builder) generatedStep(n int, c Case) Step {
	return b.caseStep(n, c, b.prepareCase(c))
}

// caseStep is the step of case c sending r, c's request prepared.
func (b *builder) caseStep(n int, c Case, r wire.Request) Step {
	return b.step(n, b.format(n, r), b.account(n), c.Rule, c.Label)
}

// buildBoundary: the boundary cases of every constrained parameter.
func buildBoundary(b *builder, emit func(Sequence) bool) {
	for i, c := range b.boundaryCases(b.seed) {
		if !emit(one(b.generatedStep(i, c))) {
			return
		}
	}
}

// buildChaos: Examples chaos inputs, each drawn as it is sent.
func buildChaos(b *builder, emit func(Sequence) bool) {
	for i := 0; i < b.cfg.Examples; i++ {
		c := ChaosCase(b.op, b.seed, i) // its own: prepared in place
		if !emit(one(b.caseStep(i, c, b.prepareOwnCase(c)))) {
			return
		}
	}
}

// stateful is the number of sequences of a stateful plan: a fifth of
// Examples, at least two.
func (b *builder) stateful() int { return statefulCount(b.cfg.Examples) }

// statefulCount is a stateful plan's number of sequences for examples.
func statefulCount(examples int) int { return max(examples/5, 2) }

// buildDuplicate: create X, create X again from the same account, and,
// when the name is unique per account and there is a second account,
// create X from it.
func buildDuplicate(b *builder, emit func(Sequence) bool) {
	rule := b.op.RuleOfKind(specs.RuleUnique)
	if rule == nil {
		return
	}
	for i := 0; i < b.stateful(); i++ {
		r := b.format(i, b.valid(i))
		a, other := b.account(i), b.account(i+1)
		first := b.step(2*i, r, a, nil, "first create")
		first.Records = true
		again := b.step(2*i+1, r, a, nil, "second create of the same name, same account")
		again.Exercises = rule
		seq := Sequence{Steps: []Step{first, again}}
		if rule.Scope == oracle.ScopeAccount && other != a {
			other := b.step(2*i, r, other, nil, "same name, another account")
			other.Exercises = rule
			seq.Steps = append(seq.Steps, other)
		}
		if elsewhere, ok := b.otherInstance(r); rule.Scope == oracle.ScopeInstance && ok {
			again := b.step(2*i, elsewhere, a, nil, "same name, another declared instance")
			again.Exercises = rule
			seq.Steps = append(seq.Steps, again)
		}
		if !emit(seq) {
			return
		}
	}
}

// otherInstance is r sent to the second declared value of the exists
// rule (another instance of the account); false when fewer than two are
// declared.
func (b *builder) otherInstance(r wire.Request) (wire.Request, bool) {
	declared := b.cfg.Declared.Values[specs.RuleExists]
	rule := b.op.RuleOfKind(specs.RuleExists)
	if rule == nil || len(declared) < 2 {
		return r, false
	}
	if _, ok := r.Params[rule.Param]; !ok {
		return r, false
	}
	c := r.Clone()
	c.Params[rule.Param] = declared[1]
	return c, true
}

// usable reports whether a generated case goes out as one request.
func usable(c Case) bool {
	return c.Rule != nil && len(c.Setup) == 0 && (c.Needs == "" || c.Needs == NeedsInstance)
}

// buildRetry: a create of X that breaks one rule (not X's), then a valid
// create of X, the rules in turn (document order), each case drawn from
// the rule's own seed. A rule that some reading of the docs lets the
// target accept is not broken: its create may well be accepted, and the
// sequence would prove nothing.
func buildRetry(b *builder, emit func(Sequence) bool) {
	unique := b.op.RuleOfKind(specs.RuleUnique)
	if unique == nil {
		return
	}
	n := 0
	for i, c := range b.inTurn("retry", retryRules(b.op, unique), b.stateful()) {
		bad := b.prepareOwnCase(c) // drawn for this sequence
		good, ok := withNames(b.op, unique.Param, b.valid(i), bad)
		a := b.account(n)
		if !ok || !b.keepsEveryRule(good, a) {
			continue
		}
		first := b.step(2*n, bad, a, c.Rule, "rejected create: breaks "+c.Rule.ID)
		then := b.step(2*n+1, good, a, nil, "valid create of the same name")
		then.Exercises = unique
		if !emit(Sequence{Steps: []Step{first, then}}) {
			return
		}
		if n++; n == b.stateful() {
			return
		}
	}
}

// retryRules are the rules a retry's rejected create may break: those a
// single request can break, but unique's, and none some reading accepts.
func retryRules(op *specs.Operation, unique *specs.Rule) []*specs.Rule {
	var rules []*specs.Rule
	for _, rule := range singleRequestRules(op) {
		if rule.Param != unique.Param && !mayAccept(rule) {
			rules = append(rules, rule)
		}
	}
	return rules
}

// mayAccept reports whether some reading of the docs accepts a request
// breaking rule.
func mayAccept(rule *specs.Rule) bool {
	for _, o := range rule.Broken {
		if o.Accept {
			return true
		}
	}
	return false
}

// withNames copies the values at path (the unique parameter) from src into
// r: the top-level value, or each list element's field (r's elements
// reused in turn). False when src has no such value.
func withNames(op *specs.Operation, path string, r, src wire.Request) (wire.Request, bool) {
	top, field := specs.SplitPath(path)
	if field == "" {
		v, ok := src.Params[top]
		if !ok || v == "" {
			return r, false
		}
		r.Params[top] = v
		return r, true
	}
	base := r.Lists[top]
	if len(base) == 0 || len(src.Lists[top]) == 0 {
		return r, false
	}
	var list []map[string]string
	for i, el := range src.Lists[top] {
		v, ok := el[field]
		if !ok || v == "" {
			return r, false
		}
		c := wire.Request{Lists: map[string][]map[string]string{top: {base[i%len(base)]}}}.Clone()
		e := c.Lists[top][0]
		e[field] = v
		list = append(list, e)
	}
	r.Lists[top] = list
	return r, true
}
