// Command shrinkcli calls fuzz.Shrink from a non-test binary, as the
// acsconform CLI does; shrink_test.go builds and runs it in an empty
// directory and checks that nothing is written there.
package main

import (
	"fmt"
	"os"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

func main() {
	m, err := specs.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	op, _ := m.Operation("ram")
	r, found := fuzz.Shrink(fuzz.Valid(op), func(r wire.Request) bool { return len(r.Params["UserName"]) > 3 }, fuzz.ShrinkOptions{Seed: 7})
	if !found {
		fmt.Fprintln(os.Stderr, "no failing request found")
		os.Exit(1)
	}
	fmt.Println(len(r.Params), len(r.Params["UserName"]))
}
