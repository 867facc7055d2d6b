package main

import (
	"fmt"
	"io"
)

// cmdServe is the 'serve' subcommand. Placeholder until its issue lands.
func cmdServe(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "acsconform serve: not built yet")
	return exitUsage
}
