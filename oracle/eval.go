package oracle

import (
	"strings"
	"sync"

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
	return appendEvaluations(nil, op, judgedOf(op).ruleOf(op, rule), r)
}

// appendEvaluations appends EvaluateAt's hits of the judged rule jr to dst.
func appendEvaluations(dst []Hit, op *specs.Operation, jr *judgedRule, r wire.Request) []Hit {
	start := len(dst)
	dst = evaluateKind(dst, op, jr, r)
	if len(r.Raw) > 0 && jr.rawTouches(r) {
		for i := start; i < len(dst); i++ {
			if dst[i].Eval == Broken {
				dst[i].Eval = Ambiguous
			}
		}
	}
	return dst
}

// evaluateKind dispatches on the rule's kind, appending the hits to dst.
func evaluateKind(dst []Hit, op *specs.Operation, jr *judgedRule, r wire.Request) []Hit {
	if jr.check != nil {
		return eachValue(dst, jr, r)
	}
	switch jr.rule.Kind {
	case specs.RuleRequired:
		return required(dst, jr, r)
	case specs.RuleConditionalRequired:
		return conditionalRequired(dst, op, jr, r)
	case specs.RuleMaxItems:
		return append(dst, one(maxItems(jr.param, jr.rule, r)))
	case specs.RuleBatchUnique:
		return batchUnique(dst, jr, r)
	}
	return append(dst, one(Satisfied))
}

// one is a single top-level hit.
func one(e Eval) Hit { return Hit{Element: topLevel, Eval: e} }

// valueCheck evaluates one sent value of p against rule.
type valueCheck func(p *specs.Param, rule *specs.Rule, v string) Eval

// valueKinds are the rules judged on each value alone, but for patterns
// (checkOf).
var valueKinds = map[specs.RuleKind]valueCheck{
	specs.RuleType:       checkType,
	specs.RuleMinLength:  checkMinLength,
	specs.RuleMaxLength:  checkMaxLength,
	specs.RuleEnum:       checkEnum,
	specs.RuleFormat:     checkFormat,
	specs.RuleComplexity: checkComplexity,
}

// eachValue applies the rule's check to every sent value of its
// parameter. An absent value keeps the rule (required rules cover
// absence); an empty value of an optional parameter may be read as
// absent, so it breaks the rule only ambiguously. A costly check is made
// once per distinct value of a long list: a long list repeats values (a
// chaos batch copies a few users a thousand times).
func eachValue(dst []Hit, jr *judgedRule, r wire.Request) []Hit {
	var seen map[string]Eval
	if jr.field != "" && jr.costly && len(r.Lists[jr.top]) > memoFrom {
		seen = borrowSeen()
		defer returnSeen(seen)
	}
	return appendHits(dst, jr, r, func(o occurrence) Eval {
		e := Satisfied
		if o.Present {
			e = jr.checkValue(o.Value, seen)
		}
		if o.Value == "" && !jr.param.Required && e == Broken {
			e = Ambiguous
		}
		return e
	})
}

// checkValue is the rule's check of v, remembered in seen (nil: not).
func (jr *judgedRule) checkValue(v string, seen map[string]Eval) Eval {
	if seen == nil {
		return jr.check(jr.param, jr.rule, v)
	}
	e, ok := seen[v]
	if !ok {
		e = jr.check(jr.param, jr.rule, v)
		seen[v] = e
	}
	return e
}

// memoFrom is the list length from which eachValue checks each distinct
// value once for a costly rule.
const memoFrom = 16

// costly are the rule kinds whose check of a value (a regular
// expression, a count of character classes) costs more than a map lookup;
// checkOf says it for patterns.
var costly = map[specs.RuleKind]bool{specs.RuleFormat: true, specs.RuleComplexity: true}

// required: the parameter is sent and non-empty (a list: at least one element).
func required(dst []Hit, jr *judgedRule, r wire.Request) []Hit {
	if jr.field == "" {
		return append(dst, one(evalBool(presentTop(r, jr.top))))
	}
	return appendHits(dst, jr, r, func(o occurrence) Eval { return evalBool(o.Present && o.Value != "") })
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
func batchUnique(dst []Hit, jr *judgedRule, r wire.Request) []Hit {
	long := len(r.Lists[jr.top]) > memoFrom
	var seen map[string]Eval
	if long {
		seen = borrowSeen()
		defer returnSeen(seen)
	}
	return appendHits(dst, jr, r, func(o occurrence) Eval {
		if !o.Present || o.Value == "" {
			return Satisfied
		}
		if long {
			_, dup := seen[o.Value] // a key is a value seen; its Eval is unused
			seen[o.Value] = Satisfied
			return evalBool(!dup)
		}
		return evalBool(!earlier(jr, r, o.Value, o.Element))
	})
}

// earlier reports whether an element before el sends v for the judged
// rule's field: a short list is searched rather than indexed.
func earlier(jr *judgedRule, r wire.Request, v string, el int) bool {
	for _, other := range r.Lists[jr.top][:max(el, 0)] {
		if w, ok := other[jr.field]; ok && w == v {
			return true
		}
	}
	return false
}

// seenPool holds emptied maps of values to evaluations, for the long lists
// of eachValue and batchUnique: one is borrowed per rule rather than one
// made and grown per rule and request.
var seenPool = sync.Pool{New: func() any { return map[string]Eval{} }}

// borrowSeen takes an empty map from seenPool.
func borrowSeen() map[string]Eval { return seenPool.Get().(map[string]Eval) }

// returnSeen empties seen and gives it back to seenPool.
func returnSeen(seen map[string]Eval) {
	clear(seen)
	seenPool.Put(seen)
}

// rawTop is the top-level parameter name of a wire key ("Users.1.EndUserId" is "Users").
func rawTop(key string) string {
	top, _, _ := strings.Cut(key, ".")
	return top
}
