package suites

import (
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

func (fuzzSource) boundary(op *specs.Operation, seed int64) []generated { return nil }

func (fuzzSource) chaos(op *specs.Operation, seed int64, i int) wire.Request {
	r, _ := example(fuzz.Valid(op), exampleSeed(seed, i))
	return r
}

// fromCase keeps what the plans use of a fuzz case. A case that needs
// setup requests or a declared precondition is left to the stateful plans.
func fromCase(c fuzz.Case) generated {
	if len(c.Setup) > 0 || c.Needs != "" && c.Needs != fuzz.NeedsInstance {
		return generated{}
	}
	return generated{Request: c.Request, Rule: c.Rule}
}
