package oracle

import (
	"strings"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// truth is a three-valued condition: it holds, it does not, or it depends
// on a reading of the docs or on settings the caller cannot see.
type truth int

const (
	isFalse truth = iota
	isUnknown
	isTrue
)

// conditionalRequired: the parameter is sent non-empty whenever every
// condition of rule.When holds. When the conditions may hold (a case
// variant, an empty value, a default hiding target settings) an absent
// parameter breaks the rule ambiguously.
func conditionalRequired(dst []Hit, op *specs.Operation, jr *judgedRule, r wire.Request) []Hit {
	return appendHits(dst, jr, r, func(o occurrence) Eval {
		if o.Present && o.Value != "" {
			return Satisfied
		}
		return requiredWhen(conditions(op, jr.rule, r, o.Element))
	})
}

// requiredWhen is the evaluation of a missing parameter under conditions t.
func requiredWhen(t truth) Eval {
	switch t {
	case isTrue:
		return Broken
	case isUnknown:
		return Ambiguous
	}
	return Satisfied
}

// conditions evaluates the conjunction rule.When, reading element fields
// from element el. A rule with an ambiguity note whose condition reads a
// parameter left at its default is unknown unless it surely holds: the
// default may defer to target settings the caller cannot see.
func conditions(op *specs.Operation, rule *specs.Rule, r wire.Request, el int) truth {
	all, atDefault := isTrue, false
	for _, c := range rule.When {
		t, def := condition(op, c, r, el)
		atDefault = atDefault || def
		if t < all {
			all = t
		}
	}
	if all == isFalse && atDefault && rule.Ambiguity != "" {
		return isUnknown
	}
	return all
}

// condition evaluates one clause, and reports whether its parameter is at
// its documented default (absent, or sent as the default).
func condition(op *specs.Operation, c specs.Condition, r wire.Request, el int) (truth, bool) {
	p, _ := op.Lookup(c.Param)
	v, present := conditionValue(c.Param, r, el)
	def := p != nil && p.Default != "" && (!present || v == p.Default)
	absent := truthOf(c.Absent)
	switch {
	case !present:
		return absent, def
	case v == "" && p != nil && !p.Required:
		// an empty optional value may be read as absent or as ""
		return merge(absent, matches(p, c.Values, v)), def
	}
	return matches(p, c.Values, v), def
}

// conditionValue reads a condition's parameter, from element el for an
// element field.
func conditionValue(path string, r wire.Request, el int) (string, bool) {
	top, field := specs.SplitPath(path)
	if field == "" {
		v, ok := r.Params[top]
		return v, ok
	}
	list := r.Lists[top]
	if el < 0 || el >= len(list) {
		return "", false
	}
	v, ok := list[el][field]
	return v, ok
}

// matches says whether v is one of values: for a JSON array parameter,
// whether the array contains one of them. A case variant of an enum noted
// case-insensitive, or unparsable JSON, is unknown.
func matches(p *specs.Param, values []string, v string) truth {
	items := []string{v}
	if p != nil && p.Style == specs.StyleJSON {
		parsed, ok := jsonStrings(v)
		if !ok {
			return isUnknown
		}
		items = parsed
	}
	fold := false
	if p != nil {
		_, fold = p.Enumeration()
	}
	t := isFalse
	for _, it := range items {
		for _, want := range values {
			switch {
			case it == want:
				return isTrue
			case fold && strings.EqualFold(it, want):
				t = isUnknown
			}
		}
	}
	return t
}

// truthOf converts a bool.
func truthOf(b bool) truth {
	if b {
		return isTrue
	}
	return isFalse
}

// merge is the truth of two readings: agreeing readings decide.
func merge(a, b truth) truth {
	if a == b {
		return a
	}
	return isUnknown
}
