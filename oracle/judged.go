package oracle

import (
	"sync"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// judgedRule is what the oracle reads of one rule of an operation before
// it looks at a request, worked out once (judgedOf): the rule's parameter,
// the parts of its path, the check of each value and the top-level names
// whose Raw pairs touch it.
type judgedRule struct {
	rule *specs.Rule
	// param is the rule's parameter, nil when the operation has none at
	// rule.Param.
	param      *specs.Param
	top, field string
	// check judges one value for the rules judged value by value (nil
	// for the others); costly marks a check worth remembering per
	// distinct value of a long list.
	check  valueCheck
	costly bool
	// raw are the top-level names of the rule's parameter and of its
	// conditions' parameters (rawTouches).
	raw []string
}

// judgedOp is the judgedRule of each rule of an operation, by rule
// index, and its parameters that must name a resource of the target.
type judgedOp struct {
	rules []judgedRule
	index map[*specs.Rule]int
	// referring are the parameters of allParams with References.
	referring []*specs.Param
}

// judgedOps caches judgedOf by operation: the model never changes.
var judgedOps sync.Map // *specs.Operation -> *judgedOp

// judgedOf returns the judged rules of op, working them out on first use.
func judgedOf(op *specs.Operation) *judgedOp {
	if j, ok := judgedOps.Load(op); ok {
		return j.(*judgedOp)
	}
	j := &judgedOp{rules: make([]judgedRule, len(op.Rules)), index: make(map[*specs.Rule]int, len(op.Rules))}
	for k, rule := range op.Rules {
		j.rules[k] = judge(op, rule)
		j.index[rule] = k
	}
	for _, p := range allParams(op) {
		if len(p.References) > 0 {
			j.referring = append(j.referring, p)
		}
	}
	judgedOps.Store(op, j)
	return j
}

// ruleOf is the judged rule of rule: op's, or worked out now for a rule
// that is not one of op's.
func (j *judgedOp) ruleOf(op *specs.Operation, rule *specs.Rule) *judgedRule {
	if k, ok := j.index[rule]; ok {
		return &j.rules[k]
	}
	jr := judge(op, rule)
	return &jr
}

// judge works out the judged rule of one rule of op.
func judge(op *specs.Operation, rule *specs.Rule) judgedRule {
	jr := judgedRule{rule: rule}
	jr.top, jr.field = specs.SplitPath(rule.Param)
	if p, ok := op.Lookup(rule.Param); ok {
		jr.param = p
		jr.check, jr.costly = checkOf(p, rule)
	}
	jr.raw = append(jr.raw, jr.top)
	for _, c := range rule.When {
		t, _ := specs.SplitPath(c.Param)
		jr.raw = append(jr.raw, t)
	}
	return jr
}

// checkOf is the check of each value of p for rule, nil when the rule is
// not judged value by value, and whether it is costly. A pattern rule, and
// a format the spec writes as patterns (Pattern broad, StrictPattern
// sure), are judged by the patterns' Matchers.
func checkOf(p *specs.Param, rule *specs.Rule) (valueCheck, bool) {
	if p.Pattern != nil && (rule.Kind == specs.RulePattern || rule.Kind == specs.RuleFormat) {
		m := newPatternCheck(p)
		return m.check, m.costly()
	}
	return valueKinds[rule.Kind], costly[rule.Kind]
}

// rawTouches reports whether a Raw pair names the rule's parameter or one of
// its conditions' parameters (repeated keys, broken flattening): then the
// target may read either value and a broken rule is only ambiguously broken.
func (jr *judgedRule) rawTouches(r wire.Request) bool {
	for _, p := range r.Raw {
		top := rawTop(p.Key)
		for _, name := range jr.raw {
			if name == top {
				return true
			}
		}
	}
	return false
}
