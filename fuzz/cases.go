package fuzz

import (
	"fmt"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Kind selects a family of cases for Cases.
type Kind string

// Case families.
const (
	KindValid    Kind = "valid"    // requests every reading accepts
	KindInvalid  Kind = "invalid"  // one rule broken each, every rule in turn
	KindBoundary Kind = "boundary" // boundary values of every parameter
	KindChaos    Kind = "chaos"    // randfill chaos
)

// Kinds lists the case families in a fixed order.
var Kinds = []Kind{KindValid, KindInvalid, KindBoundary, KindChaos}

// Cases returns n cases of the family kind for op, deterministic in seed,
// runnable outside go test. Valid and invalid requests get names unique
// within the call (NewNames(seed)); invalid cases go through the rules in
// model order, so n >= len(op.Rules) reaches every rule. Boundary returns
// its first n cases (all when n <= 0). An unknown kind, or a spec no
// request can satisfy (a minimum above its maximum), is an error.
func Cases(op *specs.Operation, kind Kind, seed int64, n int) (cases []Case, err error) {
	defer func() {
		if p := recover(); p != nil {
			cases, err = nil, fmt.Errorf("fuzz: cannot generate %s cases for %s: %v", kind, op.ID, p)
		}
	}()
	switch kind {
	case KindValid:
		return validCases(op, seed, n), nil
	case KindInvalid:
		return invalidCases(op, seed, n), nil
	case KindBoundary:
		all := Boundary(op, seed)
		if n > 0 && n < len(all) {
			all = all[:n]
		}
		return all, nil
	case KindChaos:
		return Chaos(op, seed, n), nil
	}
	return nil, fmt.Errorf("fuzz: unknown case kind %q (want one of %v)", kind, Kinds)
}

// exampleSeed is the rapid seed of the i-th draw of a call with seed.
func exampleSeed(seed int64, i int) int { return int(seed)*1_000_003 + i }

// validCases draws n valid requests with run-unique names.
func validCases(op *specs.Operation, seed int64, n int) []Case {
	names := NewNames(seed)
	gen := Valid(op)
	cases := make([]Case, n)
	for i := range cases {
		r := names.Apply(op, gen.Example(exampleSeed(seed, i)))
		cases[i] = Case{Request: r, origin: r, Expect: []specs.Outcome{{Accept: true}}, Label: "valid"}
	}
	return cases
}

// invalidCases draws n cases, rule after rule, with run-unique names.
func invalidCases(op *specs.Operation, seed int64, n int) []Case {
	var gens []*rapid.Generator[Case]
	for _, rule := range op.Rules {
		if Breakable(rule) {
			gens = append(gens, InvalidFor(op, rule))
		}
	}
	names := NewNames(seed)
	cases := make([]Case, 0, n)
	for i := 0; i < n && len(gens) > 0; i++ {
		c := gens[i%len(gens)].Example(exampleSeed(seed, i))
		cases = append(cases, rename(op, names, c))
	}
	return cases
}

// rename gives a case run-unique names without repairing what it breaks:
// a case breaking a rule on a name keeps its request, and a duplicate
// keeps its setup and request identical.
func rename(op *specs.Operation, names *Names, c Case) Case {
	for _, path := range uniquePaths(op) {
		if c.Rule.Param == path && c.Rule.Kind != specs.RuleUnique && c.Rule.Kind != specs.RuleQuota {
			return c
		}
	}
	switch c.Rule.Kind {
	case specs.RuleUnique:
		first := names.Apply(op, c.Setup[0])
		c.Setup, c.Request, c.origin = []wire.Request{first}, first.Clone(), first
	case specs.RuleBatchUnique:
		// the repeated name must stay repeated
	default:
		for i, s := range c.Setup {
			c.Setup[i] = names.Apply(op, s)
		}
		c.Request = names.Apply(op, c.Request)
	}
	return c
}
