package specs

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// ruleOrder is the order of a parameter's rules in Operation.Rules.
var ruleOrder = []RuleKind{
	RuleRequired, RuleType, RuleMinLength, RuleMaxLength, RulePattern, RuleEnum, RuleFormat,
	RuleMaxItems, RuleConditionalRequired, RuleComplexity, RuleUnique, RuleBatchUnique, RuleExists,
}

// operationKinds are the rules x-acs-rules may hold at operation level.
var operationKinds = []RuleKind{RuleQuota}

// classNames are the character classes a complexity rule may name.
var classNames = []string{"upper", "lower", "digit", "special"}

// scopes are the scopes a state rule may count in.
var scopes = []string{"account", "instance"}

// keywordLimits returns, for each rule kind that a standard OpenAPI keyword
// of p states, the number it names (0 when it names none). For a json-style
// array the element's enum is the parameter's.
func keywordLimits(p *Param, schemaPattern bool) map[RuleKind]int {
	k := map[RuleKind]int{}
	if p.Required {
		k[RuleRequired] = 0
	}
	if p.Kind == KindInteger || p.Kind == KindBoolean || p.Style == StyleJSON {
		k[RuleType] = 0
	}
	if p.MinLength != nil {
		k[RuleMinLength] = *p.MinLength
	}
	if p.MaxLength != nil {
		k[RuleMaxLength] = *p.MaxLength
	}
	if schemaPattern {
		k[RulePattern] = 0
	}
	if len(p.Enum) > 0 || (p.Style == StyleJSON && len(p.Items.Enum) > 0) {
		k[RuleEnum] = 0
	}
	if p.Format != "" && p.Kind == KindString {
		k[RuleFormat] = 0
	}
	if p.MaxItems != nil {
		k[RuleMaxItems] = *p.MaxItems
	}
	return k
}

// buildRules reads every parameter's x-acs-rules, then the operation's.
func (b *builder) buildRules(opRules map[string]ruleSpec) error {
	for _, src := range b.sources {
		var specs map[string]ruleSpec
		if _, err := decodeExt(src.schema.Extensions, "x-acs-rules", &specs); err != nil {
			return b.fail(src.place, err)
		}
		if strings.HasSuffix(src.param.Path, "[]") {
			if len(specs) > 0 {
				return b.fail(src.place, fmt.Errorf("x-acs-rules belong on the array, not its items"))
			}
			continue
		}
		kw := keywordLimits(src.param, src.schema.Pattern != "")
		if err := b.paramRules(src, specs, kw); err != nil {
			return err
		}
		if err := b.references(src); err != nil {
			return err
		}
	}
	return b.paramRules(paramSource{place: "x-acs-rules"}, opRules, nil)
}

// paramRules builds the rules of one parameter (or, with a nil param, the
// operation-wide ones) in ruleOrder.
func (b *builder) paramRules(src paramSource, specs map[string]ruleSpec, kw map[RuleKind]int) error {
	allowed := ruleOrder
	if src.param == nil {
		allowed = operationKinds
	}
	for name := range specs {
		if !slices.Contains(allowed, RuleKind(name)) {
			return b.fail(src.place+"/x-acs-rules", fmt.Errorf("unknown rule kind %q here (want one of %v)", name, allowed))
		}
	}
	for _, kind := range allowed {
		limit, isKeyword := kw[kind]
		spec, hasSpec := specs[string(kind)]
		place := src.place + "/x-acs-rules/" + string(kind)
		switch {
		case isKeyword && !hasSpec:
			return b.fail(place, fmt.Errorf("the schema states a %s rule but x-acs-rules gives no quote and outcomes for it", kind))
		case !hasSpec:
			continue
		case keywordKind(kind) && !isKeyword:
			return b.fail(place, fmt.Errorf("given, but the schema has no %s keyword", kind))
		}
		r, err := b.rule(src.param, kind, limit, spec)
		if err != nil {
			return b.fail(place, err)
		}
		b.op.Rules = append(b.op.Rules, r)
	}
	return nil
}

// keywordKind reports whether kind comes from a standard OpenAPI keyword.
func keywordKind(kind RuleKind) bool {
	switch kind {
	case RuleRequired, RuleType, RuleMinLength, RuleMaxLength, RulePattern, RuleEnum, RuleFormat, RuleMaxItems:
		return true
	}
	return false
}

// rule builds one rule of kind on p (nil for operation-wide rules).
func (b *builder) rule(p *Param, kind RuleKind, limit int, s ruleSpec) (*Rule, error) {
	r := &Rule{Kind: kind, Limit: limit, Quote: s.Quote, Scope: s.Scope, Classes: s.Classes, UnsureChars: s.UnsureChars}
	r.ID = b.op.ID + "." + string(kind)
	name := ""
	if p != nil {
		r.Param, r.ID, name = p.Path, b.op.ID+"."+p.Path+"."+string(kind), p.Name
	}
	if err := checkSpecFields(kind, s); err != nil {
		return nil, err
	}
	if s.Limit != nil {
		r.Limit = *s.Limit
	}
	if err := b.applyPatterns(p, kind, s); err != nil {
		return nil, err
	}
	if s.CaseInsensitive {
		p.EnumCaseInsensitive = true
	}
	var err error
	if r.When, err = b.conditions(s.When); err != nil {
		return nil, err
	}
	if r.Broken, err = outcomes(s.Broken, name); err != nil {
		return nil, err
	}
	if r.Empty, err = outcomes(s.Empty, name); err != nil {
		return nil, fmt.Errorf("empty: %w", err)
	}
	return r, nil
}

// checkSpecFields checks that s carries what kind needs and nothing else.
func checkSpecFields(kind RuleKind, s ruleSpec) error {
	has := func(k ...RuleKind) bool { return slices.Contains(k, kind) }
	switch {
	case strings.TrimSpace(s.Quote) == "":
		return fmt.Errorf("no quote: every rule rests on a seed sentence")
	case len(s.Broken) == 0:
		return fmt.Errorf("no outcomes (broken)")
	case (s.Limit != nil) != has(RuleComplexity, RuleQuota):
		return fmt.Errorf("limit is given for complexity and quota rules only, and required there")
	case (len(s.Classes) > 0) != has(RuleComplexity):
		return fmt.Errorf("classes are given for complexity rules only, and required there")
	case (len(s.When) > 0) != has(RuleConditionalRequired):
		return fmt.Errorf("when is given for conditional-required rules only, and required there")
	case (s.Scope != "") != has(RuleUnique, RuleExists, RuleQuota):
		return fmt.Errorf("scope is given for unique, exists and quota rules only, and required there")
	case s.Scope != "" && !slices.Contains(scopes, s.Scope):
		return fmt.Errorf("scope %q is not one of %v", s.Scope, scopes)
	case s.CaseInsensitive && kind != RuleEnum:
		return fmt.Errorf("case-insensitive is for enum rules only")
	case s.Pattern != "" && kind != RuleFormat:
		return fmt.Errorf("pattern is for format rules only (a pattern rule's regexp is the schema's pattern)")
	case s.StrictPattern != "" && !has(RulePattern, RuleFormat):
		return fmt.Errorf("strict-pattern is for pattern and format rules only")
	case s.UnsureChars != "" && kind != RuleComplexity:
		return fmt.Errorf("unsure-chars is for complexity rules only")
	case len(s.Empty) > 0 && kind != RuleRequired:
		return fmt.Errorf("empty is for required rules only")
	}
	for _, o := range s.Empty {
		if o.Accept || o.Batch {
			return fmt.Errorf("empty lists error outcomes only")
		}
	}
	for _, c := range s.Classes {
		if !slices.Contains(classNames, c) {
			return fmt.Errorf("class %q is not one of %v", c, classNames)
		}
	}
	if kind == RuleComplexity && (*s.Limit < 1 || *s.Limit > len(s.Classes)) {
		return fmt.Errorf("limit %d is not between 1 and the %d classes", *s.Limit, len(s.Classes))
	}
	if kind == RuleQuota && *s.Limit < 0 {
		return fmt.Errorf("limit %d is negative", *s.Limit)
	}
	return nil
}

// applyPatterns sets p's Pattern (format rules) and StrictPattern.
func (b *builder) applyPatterns(p *Param, kind RuleKind, s ruleSpec) error {
	if s.Pattern != "" {
		if p.Pattern != nil {
			return fmt.Errorf("the format's pattern conflicts with the schema's pattern")
		}
		re, err := regexp.Compile(s.Pattern)
		if err != nil {
			return fmt.Errorf("pattern: %w", err)
		}
		p.Pattern = re
	}
	if s.StrictPattern == "" {
		return nil
	}
	if p.StrictPattern != nil || p.Pattern == nil {
		return fmt.Errorf("strict-pattern needs exactly one broad pattern (the schema's, or the format's)")
	}
	re, err := regexp.Compile(s.StrictPattern)
	if err != nil {
		return fmt.Errorf("strict-pattern: %w", err)
	}
	p.StrictPattern = re
	return nil
}

// conditions converts and checks the clauses of a conditional rule.
func (b *builder) conditions(specs []condSpec) ([]Condition, error) {
	var out []Condition
	for _, c := range specs {
		p, ok := b.op.Lookup(c.Param)
		if !ok {
			return nil, fmt.Errorf("when: unknown parameter %q", c.Param)
		}
		if len(c.Values) == 0 && !c.Absent {
			return nil, fmt.Errorf("when %s: no values", c.Param)
		}
		enum := p.Enum
		if p.Style == StyleJSON {
			enum = p.Items.Enum
		}
		for _, v := range c.Values {
			if len(enum) > 0 && !slices.Contains(enum, v) {
				return nil, fmt.Errorf("when %s: %q is not one of %v", c.Param, v, enum)
			}
		}
		out = append(out, Condition{Param: c.Param, Values: c.Values, Absent: c.Absent})
	}
	return out, nil
}

// outcomes converts and checks the allowed outcomes; <Name> in a code
// becomes name.
func outcomes(specs []outcomeSpec, name string) ([]Outcome, error) {
	var out []Outcome
	for _, s := range specs {
		o := Outcome{Accept: s.Accept, Status: s.Status, Batch: s.Batch,
			Code: strings.ReplaceAll(s.Code, nameTemplate, name)}
		switch {
		case strings.Contains(o.Code, nameTemplate):
			return nil, fmt.Errorf("code %q: %s needs a parameter", s.Code, nameTemplate)
		case o.Accept && (o.Status != 0 || o.Code != "" || o.Batch):
			return nil, fmt.Errorf("an accept outcome carries no status, code or batch")
		case o.Batch && o.Status != 0:
			return nil, fmt.Errorf("a batch outcome carries no status (the response is 200)")
		case !o.Accept && !o.Batch && o.Status != 0 && (o.Status < 400 || o.Status > 599):
			return nil, fmt.Errorf("status %d is not an HTTP error status", o.Status)
		}
		out = append(out, o)
	}
	return out, nil
}

// references reads a parameter's x-acs-references.
func (b *builder) references(src paramSource) error {
	var specs []referenceSpec
	if _, err := decodeExt(src.schema.Extensions, "x-acs-references", &specs); err != nil {
		return b.fail(src.place, err)
	}
	for i, s := range specs {
		place := fmt.Sprintf("%s/x-acs-references[%d]", src.place, i)
		if s.Resource == "" || strings.TrimSpace(s.Quote) == "" || s.Ambiguity == "" || len(s.Broken) == 0 {
			return b.fail(place, fmt.Errorf("resource, quote, ambiguity and broken are required"))
		}
		when, err := b.conditions(s.When)
		if err != nil {
			return b.fail(place, err)
		}
		broken, err := outcomes(s.Broken, src.param.Name)
		if err != nil {
			return b.fail(place, err)
		}
		if slices.ContainsFunc(broken, func(o Outcome) bool { return o.Accept || o.Batch }) {
			return b.fail(place, fmt.Errorf("broken lists error outcomes only (acceptance is always allowed for an undeclared value)"))
		}
		src.param.References = append(src.param.References, &Reference{Resource: s.Resource, When: when,
			Quote: s.Quote, Ambiguity: s.Ambiguity, Broken: broken})
		b.exampleRefs = append(b.exampleRefs, ambiguityRef{place: place, id: s.Ambiguity})
	}
	return nil
}
