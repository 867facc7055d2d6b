package fuzz

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Invalid returns a generator of cases that each break exactly one rule of
// op, over every rule InvalidFor can break.
func Invalid(op *specs.Operation) *rapid.Generator[Case] {
	var gens []*rapid.Generator[Case]
	for _, rule := range op.Rules {
		if Breakable(rule) {
			gens = append(gens, InvalidFor(op, rule))
		}
	}
	return rapid.OneOf(gens...)
}

// Breakable reports whether InvalidFor has a generator for the rule's kind.
func Breakable(rule *specs.Rule) bool {
	_, ok := breakers[rule.Kind]
	return ok
}

// InvalidFor returns a generator of cases breaking rule of op and no other
// rule (beyond Case.Also), labelled with the rule. It panics on a rule kind Breakable rejects.
func InvalidFor(op *specs.Operation, rule *specs.Rule) *rapid.Generator[Case] {
	brk, ok := breakers[rule.Kind]
	if !ok {
		panic(fmt.Sprintf("fuzz: no generator breaks rule kind %q (%s)", rule.Kind, rule.ID))
	}
	return rapid.Custom(func(t *rapid.T) Case { return labelled(brk(t, op, rule), rule) })
}

// labelled labels a case breaking rule with the rule.
func labelled(c Case, rule *specs.Rule) Case {
	c.Rule = rule
	c.Label = rule.ID + ": " + c.Label
	return c
}

// breaker draws a request breaking one rule.
type breaker func(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case

// breakers are the generators per rule kind.
var breakers map[specs.RuleKind]breaker

func init() {
	breakers = map[specs.RuleKind]breaker{
		specs.RuleRequired:            breakRequired,
		specs.RuleType:                breakType,
		specs.RuleMinLength:           breakMinLength,
		specs.RuleMaxLength:           breakMaxLength,
		specs.RulePattern:             breakPattern,
		specs.RuleEnum:                breakEnum,
		specs.RuleFormat:              breakFormat,
		specs.RuleMaxItems:            breakMaxItems,
		specs.RuleConditionalRequired: breakConditional,
		specs.RuleComplexity:          breakComplexity,
		specs.RuleBatchUnique:         breakBatchUnique,
		specs.RuleUnique:              breakUnique,
		specs.RuleQuota:               breakQuota,
		specs.RuleExists:              breakExists,
		specs.RuleRateLimit:           breakRateLimit,
	}
}

// site is where a rule's value goes in a request: a top-level parameter,
// or a field of one list element.
type site struct {
	top, field string
	el         int
}

// siteOf draws the place of rule's parameter in r (an element at random).
func siteOf(t *rapid.T, rule *specs.Rule, r wire.Request) site {
	top, field := specs.SplitPath(rule.Param)
	s := site{top: top, field: field, el: -1}
	if field != "" {
		s.el = rapid.IntRange(0, len(r.Lists[top])-1).Draw(t, "element")
	}
	return s
}

// set writes v at the site.
func (s site) set(r *wire.Request, v string) {
	if s.field == "" {
		r.Params[s.top] = v
		return
	}
	r.Lists[s.top][s.el][s.field] = v
}

// get reads the value at the site.
func (s site) get(r wire.Request) (string, bool) {
	if s.field == "" {
		v, ok := r.Params[s.top]
		return v, ok
	}
	v, ok := r.Lists[s.top][s.el][s.field]
	return v, ok
}

// remove deletes the site's parameter.
func (s site) remove(r *wire.Request) {
	if s.field == "" {
		delete(r.Params, s.top)
		delete(r.Lists, s.top)
		return
	}
	delete(r.Lists[s.top][s.el], s.field)
}

// String names the site ("UserName", "Users[2].EndUserId").
func (s site) String() string {
	if s.field == "" {
		return s.top
	}
	return fmt.Sprintf("%s[%d].%s", s.top, s.el+1, s.field)
}

// withValue draws a valid request and puts a value drawn by gen at the
// rule's site, pinning the site's top-level parameter so no conditional
// fix-up touches it.
func withValue(t *rapid.T, op *specs.Operation, rule *specs.Rule, gen *rapid.Generator[string]) (Case, site) {
	base := build(t, op, nil)
	r := base.Clone()
	s := siteOf(t, rule, r)
	v := gen.Draw(t, "breaking value")
	s.set(&r, v)
	s.settle(t, op, &r)
	return Case{Request: r, Base: base}, s
}

// settle meets the conditional requirements a changed value may have
// triggered (a new 2FA method needs its contact), leaving the site alone.
func (s site) settle(t *rapid.T, op *specs.Operation, r *wire.Request) {
	satisfyConditions(t, op, r, plan{s.top: nil})
}

// paramOf returns the rule's parameter; the model guarantees it exists.
func paramOf(op *specs.Operation, rule *specs.Rule) *specs.Param {
	p, ok := op.Lookup(rule.Param)
	if !ok {
		panic(fmt.Sprintf("fuzz: rule %s names no parameter of %s", rule.ID, op.ID))
	}
	return p
}

// breakRequired leaves the parameter out (a list: no element at all). An
// element left with no field gets a valid optional one, so that it still
// travels on the wire (an empty element has no key to write).
func breakRequired(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case {
	base := build(t, op, nil)
	r := base.Clone()
	s := siteOf(t, rule, r)
	s.remove(&r)
	if s.field != "" && len(r.Lists[s.top][s.el]) == 0 {
		keepElement(t, op, s, &r)
	}
	return Case{Request: r, Base: base, Label: s.String() + " absent"}
}

// keepElement gives the element at s one optional field with a valid value.
func keepElement(t *rapid.T, op *specs.Operation, s site, r *wire.Request) {
	list, _ := op.Param(s.top)
	var optional []*specs.Param
	for _, f := range fieldsOf(list) {
		if !f.Required {
			optional = append(optional, f)
		}
	}
	if len(optional) == 0 {
		return
	}
	f := rapid.SampledFrom(optional).Draw(t, "kept field")
	r.Lists[s.top][s.el][f.Name] = validValue(op, f).Draw(t, f.Path)
}

// word draws lower-case letters that are none of avoid in any case.
func word(avoid ...string) *rapid.Generator[string] {
	letters, n := charset{{'a', 'z'}}.rune(), rapid.IntRange(1, 8)
	return rapid.Custom(func(t *rapid.T) string {
		return "x" + drawString(t, letters, n.Draw(t, "word-length"))
	}).Filter(func(w string) bool {
		for _, a := range avoid {
			if strings.EqualFold(a, w) {
				return false
			}
		}
		return true
	})
}

// breakType sends text that does not parse as the parameter's kind.
func breakType(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case {
	p := paramOf(op, rule)
	gen := word("true", "false")
	if p.Style == specs.StyleJSON {
		gen = rapid.Map(gen, func(w string) string { return "[" + w })
	}
	c, s := withValue(t, op, rule, gen)
	c.Label = s.String() + " not a " + string(p.Kind)
	return c
}

// breakMinLength sends a value one or more characters short; when only
// the empty value is short enough, the rules it also breaks are Also.
func breakMinLength(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case {
	p := paramOf(op, rule)
	hi := rule.Limit - 1
	if hi < 1 {
		c, s := withValue(t, op, rule, rapid.Just(""))
		c.Also = alsoBroken(op, rule, c.Request)
		c.Label = s.String() + " empty"
		return c
	}
	c, s := withValue(t, op, rule, sized(op, p, 1, hi))
	c.Label = fmt.Sprintf("%s shorter than %d characters", s, rule.Limit)
	return c
}

// alsoBroken lists the rules on rule's parameter, other than rule, that r breaks.
func alsoBroken(op *specs.Operation, rule *specs.Rule, r wire.Request) []*specs.Rule {
	var also []*specs.Rule
	for _, other := range op.Rules {
		if other != rule && other.Param == rule.Param && oracle.Evaluate(op, other, r) == oracle.Broken {
			also = append(also, other)
		}
	}
	return also
}

// breakMaxLength sends a value one to half-again more characters long.
func breakMaxLength(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case {
	p := paramOf(op, rule)
	lo := rule.Limit + 1
	c, s := withValue(t, op, rule, sized(op, p, lo, lo+rule.Limit/2+8))
	c.Label = fmt.Sprintf("%s longer than %d characters", s, rule.Limit)
	return c
}

// breakPattern sends a value outside the parameter's broad Pattern: a
// near miss most of the time (NearMiss), else a valid value with one
// character replaced by a probe character the pattern rejects there.
func breakPattern(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case {
	return patternCase(t, op, rule, patternBreaker(op, paramOf(op, rule)))
}

// patternCase is a valid request with rule's parameter set to a value
// drawn by gen, labelled with how the value was drawn.
func patternCase(t *rapid.T, op *specs.Operation, rule *specs.Rule, gen *rapid.Generator[missed]) Case {
	m := gen.Draw(t, "breaking value")
	c, s := withValue(t, op, rule, rapid.Just(m.value))
	c.Label = s.String() + " with a character outside its pattern" + m.how
	return c
}

// spoil replaces one character of v, at a drawn position or the next one
// where it works, with a probe character that makes Pattern fail.
func spoil(t *rapid.T, p *specs.Param, v string) (string, bool) {
	rs := []rune(v)
	start := rapid.IntRange(0, len(rs)-1).Draw(t, "position")
	for k := range rs {
		i := (start + k) % len(rs)
		var cands []string
		for _, c := range probe {
			s := string(rs[:i]) + string(c) + string(rs[i+1:])
			if !p.Pattern.MatchString(s) {
				cands = append(cands, s)
			}
		}
		if len(cands) > 0 {
			return rapid.SampledFrom(cands).Draw(t, "spoiled"), true
		}
	}
	return "", false
}

// breakEnum sends a word none of the documented values in any case.
func breakEnum(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case {
	p := paramOf(op, rule)
	enum, _ := p.Enumeration()
	gen := word(enum...)
	if p.Style == specs.StyleJSON {
		gen = rapid.Map(gen, func(w string) string { return jsonText([]string{w}) })
	}
	c, s := withValue(t, op, rule, gen)
	c.Label = s.String() + " not one of " + strings.Join(enum, ", ")
	return c
}

// jsonText is the JSON array of items.
func jsonText(items []string) string {
	b, _ := json.Marshal(items)
	return string(b)
}

// breakFormat spoils the pattern a format is written as, or sends a word
// (no '@', no digits, no brackets) for a format known by name.
func breakFormat(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case {
	p := paramOf(op, rule)
	if p.Pattern != nil {
		c := breakPattern(t, op, rule)
		c.Label = strings.Replace(c.Label, "outside its pattern", "outside its "+p.Format+" format", 1)
		return c
	}
	c, s := withValue(t, op, rule, word())
	c.Label = s.String() + " not in " + p.Format + " format"
	return c
}

// breakMaxItems sends one to two elements or items more than the maximum.
func breakMaxItems(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case {
	p := paramOf(op, rule)
	base := build(t, op, nil)
	r := base.Clone()
	n := rapid.IntRange(rule.Limit+1, rule.Limit+2).Draw(t, "items")
	if p.Style == specs.StyleFlat {
		setList(&r, p, list(op, p, n, n).Draw(t, p.Name))
	} else {
		enum, _ := p.Enumeration()
		items := make([]string, n)
		for i := range items {
			items[i] = enum[i%len(enum)]
		}
		r.Params[p.Name] = jsonText(items)
	}
	satisfyConditions(t, op, &r, plan{p.Name: nil})
	return Case{Request: r, Base: base, Label: fmt.Sprintf("%s with %d items, more than %d", p.Name, n, rule.Limit)}
}

// breakConditional makes every condition hold with documented values and
// leaves the parameter out.
func breakConditional(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case {
	fixed := plan{}
	var conds []string
	for _, c := range rule.When {
		v := rapid.SampledFrom(c.Values).Draw(t, c.Param)
		conds = append(conds, c.Param+"="+v)
		if cp, ok := op.Lookup(c.Param); ok && cp.Style == specs.StyleJSON {
			v = jsonText([]string{v})
		}
		fixed[c.Param] = &v
	}
	top, _ := specs.SplitPath(rule.Param)
	conditions := maps.Clone(fixed)
	fixed[top] = nil
	r := build(t, op, fixed)
	origin := r.Clone()
	origin.Params[top] = validValue(op, paramOf(op, rule)).Draw(t, "repaired")
	satisfyConditions(t, op, &origin, conditions)
	return Case{Request: r, Base: origin, Label: rule.Param + " absent with " + strings.Join(conds, ", ")}
}

// breakComplexity sends a value of valid length drawn from one class
// fewer than the rule needs.
func breakComplexity(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case {
	p := paramOf(op, rule)
	classes := rapid.Permutation(rule.Classes).Draw(t, "classes")[:max(rule.Limit-1, 1)]
	lo, hi := bounds(p)
	c, s := withValue(t, op, rule, password(lo, hi, classes, rule.UnsureChars))
	c.Label = fmt.Sprintf("%s with only %s characters", s, strings.Join(classes, ", "))
	return c
}

// breakBatchUnique repeats an earlier element's value in a later element.
func breakBatchUnique(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case {
	top, field := specs.SplitPath(rule.Param)
	p, ok := op.Param(top)
	if !ok {
		panic(fmt.Sprintf("fuzz: rule %s names no list of %s", rule.ID, op.ID))
	}
	base := build(t, op, nil)
	r := base.Clone()
	els := list(op, p, 2, MaxBatch).Draw(t, top)
	j := rapid.IntRange(1, len(els)-1).Draw(t, "copy")
	i := rapid.IntRange(0, j-1).Draw(t, "original")
	els[j][field] = els[i][field]
	setList(&r, p, els)
	return Case{Request: r, Base: base, Label: fmt.Sprintf("%s[%d].%s repeats element %d", top, j+1, field, i+1)}
}

// breakUnique sends a valid request twice: the second finds its names taken.
func breakUnique(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case {
	first := drawNamed(t, op, 1)[0]
	return Case{Request: first.Clone(), Base: first, Setup: []wire.Request{first}, Label: "the same create twice"}
}

// drawNamed draws n valid requests with distinct names, all naming the
// first one's instance.
func drawNamed(t *rapid.T, op *specs.Operation, n int) []wire.Request {
	names := newNames(rapid.StringMatching(`[a-z]{3}`).Draw(t, "tag"))
	out := make([]wire.Request, n)
	fixed := plan(nil)
	for i := range out {
		out[i] = build(t, op, fixed)
		names.applyInPlace(op, out[i]) // a request of its own
		if i == 0 {
			fixed = sameInstance(op, out[0])
		}
	}
	return out
}

// sameInstance pins the parameters of exists rules to their values in r.
func sameInstance(op *specs.Operation, r wire.Request) plan {
	fixed := plan{}
	for _, rule := range op.Rules {
		if v, ok := r.Params[rule.Param]; ok && rule.Kind == specs.RuleExists {
			fixed[rule.Param] = &v
		}
	}
	return fixed
}

// breakQuota creates one user, then another, for a target whose declared
// quota is one user (NeedsQuota).
func breakQuota(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case {
	rs := drawNamed(t, op, 2)
	return Case{Request: rs[1], Base: rs[1], Setup: rs[:1], Needs: NeedsQuota, Label: "a create beyond a quota of one user"}
}

// breakExists names an instance drawn afresh, which the target's declared
// instances do not hold (NeedsInstance).
func breakExists(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case {
	c, s := withValue(t, op, rule, rapid.Map(validValue(op, paramOf(op, rule)), func(v string) string { return "absent-" + v }))
	c.Needs = NeedsInstance
	c.Label = s.String() + " names an instance the target does not have"
	return c
}

// breakRateLimit sends as many creates as the limit allows, then one more,
// all within the window (NeedsBurst).
func breakRateLimit(t *rapid.T, op *specs.Operation, rule *specs.Rule) Case {
	n := rule.Limit
	if op.RateLimit != nil {
		n = op.RateLimit.Calls
	}
	rs := drawNamed(t, op, n+1)
	return Case{Request: rs[n], Base: rs[n], Setup: rs[:n], Needs: NeedsBurst, Label: fmt.Sprintf("call %d within one window", n+1)}
}
