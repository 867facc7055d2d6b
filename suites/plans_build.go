package suites

import (
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// buildValid: Examples valid requests, spread over the accounts, the
// signature versions and the documented formats.
func buildValid(b *builder) []sequence {
	steps := make([]step, 0, b.opts.Examples)
	for i := 0; i < b.opts.Examples; i++ {
		r := b.format(i, b.validRequest(i))
		acct := b.account(i)
		steps = append(steps, b.step(i, r, acct, b.state(), nil, "valid request"))
	}
	return single(steps...)
}

// buildInvalid: Examples requests each breaking one rule a single request
// can break.
func buildInvalid(b *builder) []sequence {
	var steps []step
	for i := 0; len(steps) < b.opts.Examples && i < 4*b.opts.Examples; i++ {
		g := b.src.invalid(b.op, b.seed, i)
		if g.Rule == nil || stateKind(g.Rule.Kind) {
			continue
		}
		steps = append(steps, b.generatedStep(len(steps), g))
	}
	return single(steps...)
}

// generatedStep makes the step of a generated case: sent from the accounts
// in turn, judged by the oracle.
func (b *builder) generatedStep(n int, g generated) step {
	r := b.format(n, b.prepareCase(g))
	return b.step(n, r, b.account(n), b.state(), g.Rule, g.Label)
}

// buildBoundary: the boundary cases of every constrained parameter.
func buildBoundary(b *builder) []sequence {
	return b.generatedSequences(b.src.boundary(b.op, b.seed))
}

// buildChaos: Examples chaos inputs.
func buildChaos(b *builder) []sequence {
	return b.generatedSequences(b.src.chaos(b.op, b.seed, b.opts.Examples))
}

// generatedSequences makes one single-step sequence per generated case.
func (b *builder) generatedSequences(gs []generated) []sequence {
	steps := make([]step, len(gs))
	for i, g := range gs {
		steps[i] = b.generatedStep(i, g)
	}
	return single(steps...)
}

// stateful is the number of sequences of a stateful plan: a fifth of
// Examples, at least two.
func (b *builder) stateful() int {
	if n := b.opts.Examples / 5; n > 2 {
		return n
	}
	return 2
}

// buildDuplicate: create X, create X again from the same account, and,
// when the name is unique per account and there is a second account,
// create X from it.
func buildDuplicate(b *builder) []sequence {
	rule := ruleOf(b.op, specs.RuleUnique)
	seqs := make([]sequence, 0, b.stateful())
	for i := 0; i < b.stateful(); i++ {
		st := b.state()
		r := b.format(i, b.validRequest(i))
		a, other := b.account(i), b.account(i+1)
		first := b.step(2*i, r, a, st, nil, "first create")
		st.Record(b.op, r, account(a))
		again := b.step(2*i+1, r, a, st, nil, "second create of the same name, same account")
		again.Expect.Rule = rule
		seq := sequence{Steps: []step{first, again}}
		if rule.Scope == "account" && other != a {
			other := b.step(2*i, r, other, st, nil, "same name, another account")
			other.Expect.Rule = rule
			seq.Steps = append(seq.Steps, other)
		}
		seqs = append(seqs, seq)
	}
	return seqs
}

// buildRetry: a create of X that breaks one rule (not X's), then a valid
// create of X.
func buildRetry(b *builder) []sequence {
	unique := ruleOf(b.op, specs.RuleUnique)
	var seqs []sequence
	for i := 0; len(seqs) < b.stateful() && i < 20*b.stateful(); i++ {
		g := b.src.invalid(b.op, b.seed, i)
		if g.Rule == nil || stateKind(g.Rule.Kind) || g.Rule.Param == unique.Param {
			continue
		}
		bad := b.prepareCase(g)
		good, ok := withNames(b.op, unique.Param, b.validRequest(i), bad)
		if !ok {
			continue
		}
		n := len(seqs)
		a := b.account(n)
		first := b.step(2*n, bad, a, b.state(), g.Rule, "rejected create: breaks "+g.Rule.ID)
		then := b.step(2*n+1, good, a, b.state(), nil, "valid create of the same name")
		if !then.Expect.Valid {
			continue
		}
		then.Expect.Rule = unique
		seqs = append(seqs, sequence{Steps: []step{first, then}})
	}
	return seqs
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
