package suites

import (
	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// expectation is what the docs allow as the answer to one step.
type expectation struct {
	// Rule is the rule the step exercises; nil for a valid request.
	Rule *specs.Rule
	// Valid marks a request generated to satisfy every rule.
	Valid bool
	// Verdict is the oracle's: the answers the docs allow and, for a
	// batch, what each element may become.
	Verdict oracle.Verdict
	// KeyField is the field that identifies a batch element in the
	// response (EndUserId), from the unique rule's parameter path; Keys
	// are the elements' values of it, in list order.
	KeyField string
	Keys     []string
}

// allowsAccept reports whether some reading lets the target answer 200.
func (e expectation) allowsAccept() bool { return e.Verdict.Accepts() }

// allowsError reports whether an error answer (status, code) is allowed.
func (e expectation) allowsError(status int, code string) bool {
	return status != 200 && e.Verdict.Allows(status, code)
}

// words explains the expectation for a person.
func (e expectation) words() string { return e.Verdict.String() }

// step is one generated step and what the docs allow as its answer.
type step struct {
	fuzz.Step
	// Expect is what the docs allow, assuming every earlier step of the
	// sequence got the answer the docs prescribe.
	Expect expectation
}

// sequence is a generated sequence with the expectation of each step.
type sequence struct {
	Steps []step
}

// expect attaches to each step of seq what the docs allow for it: the
// oracle's verdict on a target holding the declarations and what the
// earlier Records steps created; the gateway's errors for a tampered
// signature; a throttled answer too for a burst call.
func (e *engine) expect(op *specs.Operation, seq fuzz.Sequence) sequence {
	out := sequence{Steps: make([]step, len(seq.Steps))}
	st := oracle.DeclaredState(e.opts.Declared, len(e.target.Accounts))
	for i, s := range seq.Steps {
		out.Steps[i] = step{Step: s, Expect: expectFor(e.model, op, s, st)}
		if s.Records {
			st.Record(op, s.Request, oracle.Account(s.Account))
		}
	}
	return out
}

// expectFor is what the docs allow as the answer to s, given the state.
func expectFor(model *specs.Model, op *specs.Operation, s fuzz.Step, st *oracle.State) expectation {
	v := oracle.Judge(op, s.Request, st, oracle.Account(s.Account))
	e := expectation{Rule: s.Breaks, Verdict: v, Valid: s.Breaks == nil && v.Accepts() && len(v.Broken) == 0}
	if e.Rule == nil && len(v.Broken) > 0 {
		e.Rule = v.Broken[0]
	}
	if s.Exercises != nil {
		e.Rule = s.Exercises
	}
	e.KeyField, e.Keys = batchKeys(op, s.Request)
	switch {
	case s.Tamper != wire.TamperNone:
		e.Verdict = gatewayVerdict(model)
	case s.Role == fuzz.RoleBurst:
		e.Verdict = orThrottled(v, op)
	}
	return e
}

// batchKeys names the element field that identifies a batch element (the
// unique rule's field of the flattened list) and the values r gives it.
func batchKeys(op *specs.Operation, r wire.Request) (field string, keys []string) {
	rule := op.RuleOfKind(specs.RuleUnique)
	if rule == nil {
		return "", nil
	}
	top, f := specs.SplitPath(rule.Param)
	if f == "" {
		return "", nil
	}
	list := r.Lists[top]
	if len(list) > 0 {
		keys = make([]string, len(list))
	}
	for i, el := range list {
		keys[i] = el[f]
	}
	return f, keys
}

// orThrottled adds op's documented throttled answers to a verdict.
func orThrottled(v oracle.Verdict, op *specs.Operation) oracle.Verdict {
	out := v
	out.Outcomes = append([]specs.Outcome(nil), v.Outcomes...)
	out.Why = map[specs.Outcome][]string{}
	for o, why := range v.Why {
		out.Why[o] = why
	}
	for _, o := range oracle.ThrottleOutcomes(op) {
		out.Outcomes = append(out.Outcomes, o)
		out.Why[o] = []string{op.RateLimitRule().ID}
	}
	return out
}

// gatewayVerdict allows the gateway's client errors (4xx) a badly signed
// request may get, throttling aside.
func gatewayVerdict(m *specs.Model) oracle.Verdict {
	throttle := map[string]bool{}
	for _, op := range m.Operations {
		if op.RateLimit != nil {
			for _, c := range op.RateLimit.Codes {
				throttle[c] = true
			}
		}
	}
	v := oracle.Verdict{Why: map[specs.Outcome][]string{}}
	for _, e := range m.GatewayErrors {
		if e.Status < 400 || e.Status > 499 || throttle[e.Code] || !concrete(e.Code) {
			continue
		}
		o := specs.Outcome{Status: e.Status, Code: e.Code}
		v.Outcomes = append(v.Outcomes, o)
	}
	return v
}

// concrete reports whether a code is a code, not a template ("Missing<Name>").
func concrete(code string) bool {
	for _, r := range code {
		if r == '<' {
			return false
		}
	}
	return true
}
