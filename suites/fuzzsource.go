package suites

import (
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

func (fuzzSource) valid(op *specs.Operation, seed int64, i int) wire.Request {
	return fuzz.Valid(op).Example(exampleSeed(seed, i))
}

func (fuzzSource) invalid(op *specs.Operation, seed int64, i int) generated {
	return generated{}
}

func (fuzzSource) invalidFor(op *specs.Operation, rule *specs.Rule, seed int64) (generated, bool) {
	return generated{}, false
}

func (fuzzSource) boundary(op *specs.Operation, seed int64) []generated { return nil }

func (fuzzSource) chaos(op *specs.Operation, seed int64, i int) wire.Request {
	return fuzz.Valid(op).Example(exampleSeed(seed, i))
}
