package oracle

import (
	"strings"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Eval is how a request fares against one rule.
type Eval int

// Evaluations, in order of severity.
const (
	// Satisfied: the request keeps the rule under every reading of the docs.
	Satisfied Eval = iota
	// Ambiguous: the request breaks the rule under some reading only
	// (a value between Pattern and StrictPattern, an enum in another case,
	// an empty optional value, a parameter repeated in Raw pairs).
	Ambiguous
	// Broken: the request breaks the rule under every reading.
	Broken
)

// String names the evaluation.
func (e Eval) String() string {
	switch e {
	case Satisfied:
		return "satisfied"
	case Ambiguous:
		return "ambiguous"
	case Broken:
		return "broken"
	}
	return "invalid"
}

// worse returns the more severe of a and b.
func worse(a, b Eval) Eval {
	if b > a {
		return b
	}
	return a
}

// Hit is a rule's evaluation at one place of a request.
type Hit struct {
	// Element is the 0-based index of the list element for a rule on an
	// element field ("Users[].EndUserId"), -1 for the request as a whole.
	Element int
	Eval    Eval
}

// Evaluate says whether request r keeps rule of op, considering the request
// alone: state rules (unique, quota, exists, rate-limit) are Satisfied here
// and judged by Judge against a State. For an element rule the result is the
// worst over the elements; EvaluateAt gives each.
func Evaluate(op *specs.Operation, rule *specs.Rule, r wire.Request) Eval {
	e := Satisfied
	for _, h := range EvaluateAt(op, rule, r) {
		e = worse(e, h.Eval)
	}
	return e
}

// EvaluateAt evaluates rule at every place of r it applies to: one Hit for
// a top-level rule, one per list element for an element rule.
func EvaluateAt(op *specs.Operation, rule *specs.Rule, r wire.Request) []Hit {
	hits := evaluateKind(op, rule, r)
	if rawTouches(op, rule, r) {
		for i := range hits {
			if hits[i].Eval == Broken {
				hits[i].Eval = Ambiguous
			}
		}
	}
	return hits
}

// evaluateKind dispatches on the rule's kind.
func evaluateKind(op *specs.Operation, rule *specs.Rule, r wire.Request) []Hit {
	p, ok := op.Lookup(rule.Param)
	if f, isValue := valueKinds[rule.Kind]; isValue && ok {
		return eachValue(p, rule, r, f)
	}
	switch rule.Kind {
	case specs.RuleRequired:
		return required(rule, r)
	case specs.RuleConditionalRequired:
		return conditionalRequired(op, rule, r)
	case specs.RuleMaxItems:
		return one(maxItems(p, rule, r))
	case specs.RuleBatchUnique:
		return batchUnique(rule, r)
	}
	return one(Satisfied)
}

// one is a single top-level hit.
func one(e Eval) []Hit { return []Hit{{Element: topLevel, Eval: e}} }

// valueCheck evaluates one sent value of p against rule.
type valueCheck func(p *specs.Param, rule *specs.Rule, v string) Eval

// valueKinds are the rules judged on each value alone.
var valueKinds = map[specs.RuleKind]valueCheck{
	specs.RuleType:       checkType,
	specs.RuleMinLength:  checkMinLength,
	specs.RuleMaxLength:  checkMaxLength,
	specs.RulePattern:    checkPattern,
	specs.RuleEnum:       checkEnum,
	specs.RuleFormat:     checkFormat,
	specs.RuleComplexity: checkComplexity,
}

// eachValue applies f to every sent value of the rule's parameter. An
// absent value keeps the rule (required rules cover absence); an empty value
// of an optional parameter may be read as absent, so it breaks the rule only
// ambiguously.
func eachValue(p *specs.Param, rule *specs.Rule, r wire.Request, f valueCheck) []Hit {
	if top, field := specs.SplitPath(rule.Param); field != "" && len(r.Lists[top]) > memoFrom && costly[rule.Kind] {
		f = memoized(f)
	}
	return hitsAt(rule.Param, r, func(o occurrence) Eval {
		e := Satisfied
		if o.Present {
			e = f(p, rule, o.Value)
		}
		if o.Value == "" && !p.Required && e == Broken {
			e = Ambiguous
		}
		return e
	})
}

// memoFrom is the list length from which eachValue checks each distinct
// value once for a costly rule: a long list repeats values (a chaos batch
// copies a few users a thousand times).
const memoFrom = 16

// costly are the rule kinds whose check of a value (a regular
// expression, a count of character classes) costs more than a map lookup.
var costly = map[specs.RuleKind]bool{specs.RulePattern: true, specs.RuleFormat: true, specs.RuleComplexity: true}

// memoized is f remembering its evaluation of each value, for one rule
// of one parameter (valueCheck depends on nothing else).
func memoized(f valueCheck) valueCheck {
	seen := map[string]Eval{}
	return func(p *specs.Param, rule *specs.Rule, v string) Eval {
		e, ok := seen[v]
		if !ok {
			e = f(p, rule, v)
			seen[v] = e
		}
		return e
	}
}

// required: the parameter is sent and non-empty (a list: at least one element).
func required(rule *specs.Rule, r wire.Request) []Hit {
	top, field := specs.SplitPath(rule.Param)
	if field == "" {
		return one(evalBool(presentTop(r, top)))
	}
	return hitsAt(rule.Param, r, func(o occurrence) Eval { return evalBool(o.Present && o.Value != "") })
}

// evalBool is Satisfied when ok, else Broken.
func evalBool(ok bool) Eval {
	if ok {
		return Satisfied
	}
	return Broken
}

// maxItems: a flattened list or a JSON array holds at most rule.Limit elements.
func maxItems(p *specs.Param, rule *specs.Rule, r wire.Request) Eval {
	if p == nil {
		return Satisfied
	}
	n := len(r.Lists[p.Name])
	if p.Style == specs.StyleJSON {
		items, ok := jsonStrings(r.Params[p.Name])
		if !ok {
			return Satisfied
		}
		n = len(items)
	}
	return evalBool(n <= rule.Limit)
}

// batchUnique: no element repeats the value of an earlier element; every
// later copy breaks the rule.
func batchUnique(rule *specs.Rule, r wire.Request) []Hit {
	seen := map[string]bool{}
	return hitsAt(rule.Param, r, func(o occurrence) Eval {
		if !o.Present || o.Value == "" {
			return Satisfied
		}
		e := evalBool(!seen[o.Value])
		seen[o.Value] = true
		return e
	})
}

// rawTouches reports whether a Raw pair names the rule's parameter or one of
// its conditions' parameters (repeated keys, broken flattening): then the
// target may read either value and a broken rule is only ambiguously broken.
func rawTouches(op *specs.Operation, rule *specs.Rule, r wire.Request) bool {
	if len(r.Raw) == 0 {
		return false
	}
	names := map[string]bool{}
	top, _ := specs.SplitPath(rule.Param)
	names[top] = true
	for _, c := range rule.When {
		t, _ := specs.SplitPath(c.Param)
		names[t] = true
	}
	for _, p := range r.Raw {
		if names[rawTop(p.Key)] {
			return true
		}
	}
	return false
}

// rawTop is the top-level parameter name of a wire key ("Users.1.EndUserId" is "Users").
func rawTop(key string) string {
	top, _, _ := strings.Cut(key, ".")
	return top
}
