package fuzz

import (
	"maps"
	"slices"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Changed lists the parameter paths whose values differ between the case's
// Base and its Request: top-level names, and "List[].Field" for fields of
// list elements, with the 0-based elements where they differ. A case
// breaking a rule changes that rule's parameter on purpose, whatever else.
func (c Case) Changed(op *specs.Operation) (paths []string, elements map[string][]int) {
	elements = map[string][]int{}
	if c.Rule != nil {
		return []string{c.Rule.Param}, elements
	}
	for _, p := range op.Params {
		if p.Style == specs.StyleFlat {
			fields := changedFields(p.Name, c.Base.Lists[p.Name], c.Request.Lists[p.Name])
			for _, f := range slices.Sorted(maps.Keys(fields)) {
				paths = append(paths, f)
				elements[f] = fields[f]
			}
			continue
		}
		bv, bok := c.Base.Params[p.Name]
		rv, rok := c.Request.Params[p.Name]
		if bok != rok || bv != rv {
			paths = append(paths, p.Name)
		}
	}
	return paths, elements
}

// changedFields maps each field that differs in some element of two lists
// ("List[].Field") to the elements where it differs, in order.
func changedFields(name string, base, list []map[string]string) map[string][]int {
	n := max(len(base), len(list))
	marked := map[string]*[]int{} // by field: one look-up per mark
	mark := func(k string, i int) {
		els := marked[k]
		if els == nil {
			els = new([]int)
			*els = make([]int, 0, n-i) // room for every element from i on
			marked[k] = els
		}
		*els = append(*els, i)
	}
	for i := range n {
		var b, l map[string]string
		if i < len(base) {
			b = base[i]
		}
		if i < len(list) {
			l = list[i]
		}
		for k, v := range l {
			if bv, ok := b[k]; !ok || bv != v {
				mark(k, i)
			}
		}
		for k := range b { // the keys l lacks: none marked above
			if _, ok := l[k]; !ok {
				mark(k, i)
			}
		}
	}
	fields := make(map[string][]int, len(marked))
	for k, els := range marked {
		fields[specs.JoinPath(name, k)] = *els
	}
	return fields
}

// prepare makes a generated request fit the target: a declared value in
// the parameter of each exists rule, and names unique to the run in the
// parameters of unique rules, except in protect (the parameters the case
// sets on purpose, left as generated).
func (b *builder) prepare(r wire.Request, protect ...string) wire.Request {
	return b.prepareOwn(r.Clone(), protect...)
}

// prepareOwn is prepare changing r's own maps: for a request the caller
// has just drawn or copied.
func (b *builder) prepareOwn(r wire.Request, protect ...string) wire.Request {
	declared := b.cfg.Declared.Values[specs.RuleExists]
	for _, rule := range b.op.Rules {
		if rule.Kind != specs.RuleExists || slices.Contains(protect, rule.Param) || len(declared) == 0 {
			continue
		}
		if _, ok := r.Params[rule.Param]; ok {
			r.Params[rule.Param] = declared[0]
		}
	}
	b.declareReferences(&r, protect)
	if !b.keepsNames(protect) {
		b.names.applyInPlace(b.op, r) // r is the caller's to change
	}
	return r
}

// declareReferences puts a declared resource in each top-level parameter
// that must name one (a SourceUserId naming a RAM user), the resources in
// turn, except in protect; without a declaration the value stays as
// generated (the oracle then allows either answer).
func (b *builder) declareReferences(r *wire.Request, protect []string) {
	for _, p := range b.op.Params {
		if _, ok := r.Params[p.Name]; !ok || slices.Contains(protect, p.Name) {
			continue
		}
		for _, ref := range p.References {
			ids := b.cfg.Declared.Resources[ref.Resource]
			if len(ids) > 0 && oracle.ReferenceApplies(b.op, ref, *r) {
				r.Params[p.Name] = ids[b.nextReference()%len(ids)]
				break
			}
		}
	}
}

// keepsNames reports whether protect holds a parameter of a unique or
// batch-unique rule: then prepare leaves every name as generated.
func (b *builder) keepsNames(protect []string) bool {
	for _, rule := range b.op.Rules {
		if (rule.Kind == specs.RuleUnique || rule.Kind == specs.RuleBatchUnique) && slices.Contains(protect, rule.Param) {
			return true
		}
	}
	return false
}

// prepareCase prepares a generated case. A case that sets a unique field
// in some elements of a list only (a boundary value in the first user)
// keeps those values as generated; the other elements are copies of the
// valid request the case came from and get run-unique names, so that cases
// sent side by side do not take each other's names. A case breaking a rule
// keeps its names, but one breaking a batch-unique rule: its names are
// renamed consistently (a batch duplicate stays a duplicate, under names
// no other case of the run uses).
func (b *builder) prepareCase(c Case) wire.Request {
	c.Request = c.Request.Clone()
	return b.prepareOwnCase(c)
}

// prepareOwnCase is prepareCase changing c.Request's own maps: for a case
// drawn for one step and dropped after (a chaos case, whose batch of 1,000
// users prepareCase would copy once more).
func (b *builder) prepareOwnCase(c Case) wire.Request {
	protect, elements := c.Changed(b.op)
	r := b.prepareOwn(c.Request, protect...)
	if c.Rule != nil && c.Rule.Kind == specs.RuleBatchUnique {
		// the batch's repeats stay repeats, under names no other case uses
		b.names.renameInPlace(b.op, r, c.Rule.Param) // r is ours to change
		return r
	}
	if c.Rule != nil || !b.keepsNames(protect) {
		return r
	}
	keep := keeping{protect: protect, elements: elements}
	b.names.applyKeeping(b.op, r, keep) // r is ours to change
	b.freshen(r, keep)
	return r
}

// keeping selects the values prepareCase keeps as generated among those
// Names renames: at the paths of protect, in list fields the elements the
// case changed (all when it names none; Changed lists them ascending).
type keeping struct {
	protect  []string
	elements map[string][]int
}

// at reports, for a unique parameter's path, whether its value in element
// el (-1 for a top-level parameter) is kept.
func (k keeping) at(path string) func(el int) bool {
	if !slices.Contains(k.protect, path) {
		return func(int) bool { return false }
	}
	els, some := k.elements[path]
	return func(el int) bool {
		if el < 0 || !some {
			return true
		}
		_, found := slices.BinarySearch(els, el)
		return found
	}
}

// freshen makes the kept values of unique parameters in r fresh for this
// run when it has a nonce (a long-lived target holds earlier runs' users):
// each is overlaid (Names.Overlay: the same length and pattern verdicts,
// so the same boundary), the same value by the same one.
func (b *builder) freshen(r wire.Request, keep keeping) {
	if b.cfg.Nonce == "" {
		return
	}
	kept := protectedValues(b.op, r, keep)
	fresh := map[string]string{}
	for _, v := range kept {
		p, ok := b.op.Lookup(v.path) // a unique parameter's (protectedValues)
		if !ok {
			continue // left as generated
		}
		key := v.path + "\x00" + v.value
		if _, done := fresh[key]; !done {
			fresh[key] = b.names.Overlay(p, v.value)
		}
		v.at.set(&r, fresh[key])
	}
}

// keptValue is a value prepareCase keeps as generated (or, with a nonce,
// overlaid: freshen): at path, in r at site at.
type keptValue struct {
	path  string
	at    site
	value string
}

// protectedValues are r's values that keep keeps, at the paths of
// protect that Names renames (those of op's unique and batch-unique
// rules), in protect's order.
func protectedValues(op *specs.Operation, r wire.Request, keep keeping) []keptValue {
	var values []keptValue
	for _, path := range keep.protect {
		if !slices.Contains(UniquePaths(op), path) {
			continue // applyInPlace leaves it as it is
		}
		top, field := specs.SplitPath(path)
		if field == "" {
			if v, ok := r.Params[top]; ok {
				values = append(values, keptValue{path: path, at: site{top: top, el: -1}, value: v})
			}
			continue
		}
		kept := keep.at(path)
		for i, el := range r.Lists[top] {
			if v, ok := el[field]; ok && kept(i) {
				values = append(values, keptValue{path: path, at: site{top: top, field: field, el: i}, value: v})
			}
		}
	}
	return values
}
