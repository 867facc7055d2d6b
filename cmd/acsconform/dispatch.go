package main

import (
	"fmt"
	"io"
)

// Exit codes, as documented in README.md.
const (
	exitOK       = 0 // no check failed
	exitFindings = 1 // at least one check failed
	exitUsage    = 2 // bad flags, bad spec, unreachable target at start-up
)

// version is the tool version written into reports.
var version = "0.1.0-dev"

const usage = `usage: acsconform <command> [flags]

commands:
  run     run the conformance suite against a target (default: the embedded emulator)
  replay  send a report's findings again and judge the answers with the same checks
  send    sign and send one request, printed as a curl line with its real signature
  serve   serve the reference emulator
  specs   list the operations, rules and ambiguities of the embedded specs
  version print the version

Run 'acsconform <command> -h' for the flags of a command.
`

// dispatch runs the subcommand named by args[0] and returns the exit code.
func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "run":
		return cmdRun(args[1:], stdout, stderr)
	case "serve":
		return cmdServe(args[1:], stdout, stderr)
	case "replay":
		return cmdReplay(args[1:], stdout, stderr)
	case "send":
		return cmdSend(args[1:], stdout, stderr)
	case "specs":
		return cmdSpecs(args[1:], stdout, stderr)
	case "mutation": // hidden: make mutation
		return cmdMutation(args[1:], stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "acsconform", version)
		return exitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "acsconform: unknown command %q (want run, replay, send, serve, specs or version)\n", args[0])
	return exitUsage
}
