package main

import (
	"fmt"
	"io"
)

// cmdSpecs is the 'specs' subcommand. Placeholder until its issue lands.
func cmdSpecs(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "acsconform specs: not built yet")
	return exitUsage
}
