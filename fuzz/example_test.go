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

// A Planner builds the sequences a kind of check needs, deterministically:
// here the duplicate plan's first sequence, a create and the same create
// again from the same account.
func ExamplePlanner() {
	m, _ := specs.Load()
	op, _ := m.Operation("ram")
	p := fuzz.NewPlanner(m, op, fuzz.Config{Seed: 1, Examples: 10, Accounts: 2})
	seq := p.Sequences(fuzz.PlanDuplicate)[0]
	for _, st := range seq.Steps {
		fmt.Printf("account %d: %s (records %v)\n", st.Account, st.Label, st.Records)
	}
	fmt.Println(seq.Steps[0].Request.Params["UserName"] == seq.Steps[1].Request.Params["UserName"])
	// Output:
	// account 0: first create (records true)
	// account 0: second create of the same name, same account (records false)
	// account 1: same name, another account (records false)
	// true
}
