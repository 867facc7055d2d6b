package fuzz_test

import (
	"fmt"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// ram returns the RAM CreateUser operation of the embedded specs.
func ram() *specs.Operation {
	m, err := specs.Load()
	if err != nil {
		panic(err)
	}
	op, _ := m.Operation("ram")
	return op
}

// A valid request, drawn deterministically from a seed, is one the oracle
// accepts on a fresh target.
func ExampleValid() {
	op := ram()
	r := fuzz.Valid(op).Example(1)
	st := oracle.NewState()
	st.DeclareQuota(op.ID, 100)
	v := oracle.Judge(op, r, st, "acct-1")
	fmt.Println(r.Op, v.Accepts(), len(v.Broken))
	// Output: ram true 0
}

// An invalid case names the rule it breaks and the outcomes the spec
// documents for it.
func ExampleInvalidFor() {
	op := ram()
	rule, _ := op.Rule("ram.UserName.max-length")
	c := fuzz.InvalidFor(op, rule).Example(1)
	fmt.Println(c.Rule.ID)
	for _, o := range c.Rule.Broken {
		fmt.Println(oracle.Describe(o))
	}
	// Output:
	// ram.UserName.max-length
	// HTTP 400 InvalidParameter.UserName.Length
}

// Shrink finds a minimal request for which a property fails: here, the
// shortest UserName over 16 characters, with no optional parameter.
func ExampleShrink() {
	op := ram()
	tooLong := func(r wire.Request) bool { return len(r.Params["UserName"]) > 16 }
	r, found := fuzz.Shrink(fuzz.Valid(op), tooLong, fuzz.ShrinkOptions{Seed: 1})
	fmt.Println(found, len(r.Params), len(r.Params["UserName"]))
	// Output: true 1 17
}
