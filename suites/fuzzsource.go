package suites

import (
	"sort"

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
		out = append(out, generated{Request: c.Request, Label: c.Label, Protect: changed(op, base, c.Request)})
	}
	return out
}

func (fuzzSource) chaos(op *specs.Operation, seed int64, n int) []generated {
	var out []generated
	for i, c := range fuzz.Chaos(op, seed, n) {
		base, _ := example(fuzz.Valid(op), int(seed)+i)
		out = append(out, generated{Request: c.Request, Label: c.Label, Protect: changed(op, base, c.Request)})
	}
	return out
}

// changed lists the parameter paths whose values differ between a valid
// request and the case derived from it (the generators change a valid
// request drawn with the same seed): top-level names, and "List[].Field"
// for fields of list elements.
func changed(op *specs.Operation, base, r wire.Request) []string {
	var out []string
	for _, p := range op.Params {
		if p.Style == specs.StyleFlat {
			out = append(out, changedFields(p.Name, base.Lists[p.Name], r.Lists[p.Name])...)
			continue
		}
		bv, bok := base.Params[p.Name]
		rv, rok := r.Params[p.Name]
		if bok != rok || bv != rv {
			out = append(out, p.Name)
		}
	}
	return out
}

// changedFields lists the fields that differ in some element of two lists.
func changedFields(name string, base, list []map[string]string) []string {
	fields := map[string]bool{}
	for i := 0; i < len(base) || i < len(list); i++ {
		var b, l map[string]string
		if i < len(base) {
			b = base[i]
		}
		if i < len(list) {
			l = list[i]
		}
		for k, v := range l {
			if bv, ok := b[k]; !ok || bv != v {
				fields[name+"[]."+k] = true
			}
		}
		for k := range b {
			if _, ok := l[k]; !ok {
				fields[name+"[]."+k] = true
			}
		}
	}
	out := make([]string, 0, len(fields))
	for f := range fields {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
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
