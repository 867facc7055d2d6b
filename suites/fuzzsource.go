package suites

import (
	"maps"
	"slices"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// fuzzSource draws the plans' requests from the fuzz generators, each
// draw seeded by (plan seed, index) so that it never depends on the order
// of the draws.
type fuzzSource struct{}

// exampleSeed mixes a plan seed and an index into rapid's example seed.
func exampleSeed(seed int64, i int) int {
	return int((seed*1000003 + int64(i)) & 0x7fffffff)
}

// example draws one value with a seed; false when the generator gave up
// (rapid panics when a generator cannot find a value).
func example[V any](g *rapid.Generator[V], seed int) (v V, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return g.Example(seed), true
}

func (fuzzSource) valid(op *specs.Operation, seed int64, i int) wire.Request {
	r, _ := example(fuzz.Valid(op), exampleSeed(seed, i))
	return r
}

func (fuzzSource) invalid(op *specs.Operation, seed int64, i int) generated {
	c, ok := example(fuzz.Invalid(op), exampleSeed(seed, i))
	if !ok {
		return generated{}
	}
	return fromCase(c)
}

func (fuzzSource) invalidFor(op *specs.Operation, rule *specs.Rule, seed int64) (generated, bool) {
	if !fuzz.Breakable(rule) {
		return generated{}, false
	}
	c, ok := example(fuzz.InvalidFor(op, rule), exampleSeed(seed, 0))
	return fromCase(c), ok
}

func (fuzzSource) boundary(op *specs.Operation, seed int64) []generated {
	base, _ := example(fuzz.Valid(op), int(seed))
	var out []generated
	for _, c := range fuzz.Boundary(op, seed) {
		out = append(out, derived(op, base, c))
	}
	return out
}

func (fuzzSource) chaos(op *specs.Operation, seed int64, n int) []generated {
	var out []generated
	for i, c := range fuzz.Chaos(op, seed, n) {
		base, _ := example(fuzz.Valid(op), int(seed)+i)
		out = append(out, derived(op, base, c))
	}
	return out
}

// derived is a boundary or chaos case derived from the valid request base,
// protecting what it changed.
func derived(op *specs.Operation, base wire.Request, c fuzz.Case) generated {
	protect, elements := changed(op, base, c.Request)
	return generated{Request: c.Request, Label: c.Label, Protect: protect, Elements: elements}
}

// changed lists the parameter paths whose values differ between a valid
// request and the case derived from it (the generators change a valid
// request drawn with the same seed): top-level names, and "List[].Field"
// for fields of list elements, with the elements where they differ.
func changed(op *specs.Operation, base, r wire.Request) ([]string, map[string][]int) {
	var out []string
	elements := map[string][]int{}
	for _, p := range op.Params {
		if p.Style == specs.StyleFlat {
			fields := changedFields(p.Name, base.Lists[p.Name], r.Lists[p.Name])
			for _, f := range slices.Sorted(maps.Keys(fields)) {
				out = append(out, f)
				elements[f] = fields[f]
			}
			continue
		}
		bv, bok := base.Params[p.Name]
		rv, rok := r.Params[p.Name]
		if bok != rok || bv != rv {
			out = append(out, p.Name)
		}
	}
	return out, elements
}

// changedFields maps each field that differs in some element of two lists
// ("List[].Field") to the elements where it differs, in order.
func changedFields(name string, base, list []map[string]string) map[string][]int {
	fields := map[string][]int{}
	for i := 0; i < len(base) || i < len(list); i++ {
		var b, l map[string]string
		if i < len(base) {
			b = base[i]
		}
		if i < len(list) {
			l = list[i]
		}
		differ := map[string]bool{}
		for k, v := range l {
			if bv, ok := b[k]; !ok || bv != v {
				differ[k] = true
			}
		}
		for k := range b {
			if _, ok := l[k]; !ok {
				differ[k] = true
			}
		}
		for k := range differ {
			fields[name+"[]."+k] = append(fields[name+"[]."+k], i)
		}
	}
	return fields
}

// fromCase keeps what the plans use of a fuzz case. A case that needs
// setup requests or a declared precondition is left to the stateful plans.
func fromCase(c fuzz.Case) generated {
	if len(c.Setup) > 0 || c.Needs != "" && c.Needs != fuzz.NeedsInstance {
		return generated{}
	}
	g := generated{Request: c.Request, Rule: c.Rule, Label: c.Label}
	if c.Rule != nil {
		g.Protect = []string{c.Rule.Param}
	}
	return g
}
