package fuzz

import (
	"strings"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// MaxBatch bounds the lists of valid requests when the spec sets no
// maximum: batches hold 1..MaxBatch elements (or 1..MaxItems).
const MaxBatch = 5

// Valid returns a generator of requests to op that keep every documented
// rule under every reading: required parameters present, optional ones
// present or absent, conditional requirements met, enum values, lengths
// from minimum to maximum, CJK where a pattern allows it, batches of
// 1..MaxBatch elements with distinct names. Everything is read from op.
// State rules are the caller's: make names unique over a run with Names,
// and set the instance parameter to one the target has.
func Valid(op *specs.Operation) *rapid.Generator[wire.Request] { return validGens.get(op, newValid) }

// newValid builds the generator Valid returns.
func newValid(op *specs.Operation) *rapid.Generator[wire.Request] {
	return rapid.Custom(func(t *rapid.T) wire.Request { return build(t, op, nil) })
}

// validGens holds Valid's generators by operation: they are immutable, and
// the planner asks for one per drawn case.
var validGens memo[*specs.Operation, *rapid.Generator[wire.Request]]

// plan pins top-level parameters of a built request: to a value, or to
// absent (a nil value).
type plan map[string]*string

// build draws a valid request, with the parameters of fixed pinned.
func build(t *rapid.T, op *specs.Operation, fixed plan) wire.Request {
	r := wire.Request{Op: op.ID, Params: map[string]string{}}
	for _, p := range op.Params {
		if v, ok := fixed[p.Name]; ok {
			if v != nil {
				r.Params[p.Name] = *v
			}
			continue
		}
		if !p.Required && !coin.Draw(t, sendLabel(p)) {
			continue
		}
		if p.Style == specs.StyleFlat {
			setList(&r, p, list(op, p, 1, MaxBatch).Draw(t, p.Name))
			continue
		}
		r.Params[p.Name] = validValue(op, p).Draw(t, p.Name)
	}
	satisfyConditions(t, op, &r, fixed)
	return r
}

// setList stores a list parameter's elements.
func setList(r *wire.Request, p *specs.Param, els []map[string]string) {
	if r.Lists == nil {
		r.Lists = map[string][]map[string]string{}
	}
	r.Lists[p.Name] = els
}

// coin draws whether an optional parameter is sent: one generator for
// every draw, never named (rapid names a generator in its groups once
// asked its String, so this one is only ever drawn).
var coin = rapid.Bool()

// sendLabels holds sendLabel by parameter.
var sendLabels memo[*specs.Param, string]

// sendLabel labels the coin draw that sends p or not ("send UserName").
func sendLabel(p *specs.Param) string {
	return sendLabels.get(p, func(p *specs.Param) string { return "send " + p.Path })
}

// listKey identifies a cached list generator.
type listKey struct {
	op     *specs.Operation
	p      *specs.Param
	lo, hi int
}

// listGens holds list's generators, which are immutable.
var listGens memo[listKey, *rapid.Generator[[]map[string]string]]

// list is newList's generator, built once: drawn inside other generators
// only (rapid names a generator Example gives up on, and a named generator
// groups its draws under another label when shrinking), where it used to
// be built afresh on every draw.
func list(op *specs.Operation, p *specs.Param, lo, hi int) *rapid.Generator[[]map[string]string] {
	return listGens.get(listKey{op, p, lo, hi}, func(k listKey) *rapid.Generator[[]map[string]string] {
		return newList(k.op, k.p, k.lo, k.hi)
	})
}

// newList draws lo..hi valid elements of a flattened list (within the
// documented item bounds), distinct in every batch-unique field.
func newList(op *specs.Operation, p *specs.Param, lo, hi int) *rapid.Generator[[]map[string]string] {
	if p.MinItems != nil && *p.MinItems > lo {
		lo = *p.MinItems
	}
	if p.MaxItems != nil && *p.MaxItems < hi {
		hi = *p.MaxItems
	}
	hi = max(lo, hi)
	key := batchKey(op, p)
	return rapid.SliceOfNDistinct(element(op, p), lo, hi, key)
}

// batchKey identifies an element by its batch-unique fields.
func batchKey(op *specs.Operation, p *specs.Param) func(map[string]string) string {
	var fields []string
	for _, r := range op.Rules {
		if top, f := specs.SplitPath(r.Param); r.Kind == specs.RuleBatchUnique && top == p.Name {
			fields = append(fields, f)
		}
	}
	return func(el map[string]string) string {
		var b strings.Builder
		for _, f := range fields {
			b.WriteString(el[f])
			b.WriteByte(0)
		}
		return b.String()
	}
}

// element draws one valid element: required fields, optional ones or not.
func element(op *specs.Operation, p *specs.Param) *rapid.Generator[map[string]string] {
	fields := fieldsOf(p)
	values := make([]*rapid.Generator[string], len(fields))
	for i, f := range fields {
		values[i] = validValue(op, f)
	}
	return rapid.Custom(func(t *rapid.T) map[string]string {
		el := map[string]string{}
		for i, f := range fields {
			if f.Required || coin.Draw(t, sendLabel(f)) {
				el[f.Name] = values[i].Draw(t, f.Path)
			}
		}
		return el
	})
}

// fieldsOf returns the fields of a list's elements.
func fieldsOf(p *specs.Param) []*specs.Param {
	if len(p.Fields) == 0 && p.Items != nil {
		return p.Items.Fields
	}
	return p.Fields
}

// satisfyConditions adds every parameter a conditional rule may require
// (under any reading) and r lacks, until none is missing; parameters
// pinned by fixed are left alone.
func satisfyConditions(t *rapid.T, op *specs.Operation, r *wire.Request, fixed plan) {
	for range op.Rules {
		changed := false
		for _, rule := range op.Rules {
			if rule.Kind == specs.RuleConditionalRequired && fill(t, op, rule, r, fixed) {
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

// fill supplies rule's parameter wherever the rule is not surely kept,
// and reports whether it changed r.
func fill(t *rapid.T, op *specs.Operation, rule *specs.Rule, r *wire.Request, fixed plan) bool {
	p, ok := op.Lookup(rule.Param)
	top, field := specs.SplitPath(rule.Param)
	if _, pinned := fixed[top]; !ok || pinned {
		return false
	}
	changed := false
	for _, h := range oracle.EvaluateAt(op, rule, *r) {
		if h.Eval == oracle.Satisfied {
			continue
		}
		v := validValue(op, p).Draw(t, rule.Param)
		if field == "" {
			r.Params[top] = v
		} else {
			r.Lists[top][h.Element][field] = v
		}
		changed = true
	}
	return changed
}
