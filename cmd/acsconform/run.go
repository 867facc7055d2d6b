package main

import (
	"fmt"
	"io"
)

// cmdRun is the 'run' subcommand. Placeholder until its issue lands.
func cmdRun(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "acsconform run: not built yet")
	return exitUsage
}
