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
  run       run the conformance suite against a target (default: the embedded emulator)
  replay    send a report's findings again and judge the answers with the same checks
  send      sign and send one request, printed as a curl line with its real signature
  serve     serve the reference emulator (--fault NAME injects a fault, --list-faults lists them)
  proxy     a validating reverse proxy: check a client's traffic (an SDK's) against the specs
  specs     list the operations, rules and ambiguities of the embedded specs (--export DIR: plain OpenAPI)
  init      write a commented example acsconform.yaml (never overwrites)
  merge     join the JSON reports of a sharded campaign's shards (run --shard K/N) into one verdict
  mutation  run the suite against the emulator with each fault injected; caught or survived per fault
  version   print the version, the module version and a digest of each embedded spec

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
	case "proxy":
		return cmdProxy(args[1:], stdout, stderr)
	case "replay":
		return cmdReplay(args[1:], stdout, stderr)
	case "send":
		return cmdSend(args[1:], stdout, stderr)
	case "specs":
		return cmdSpecs(args[1:], stdout, stderr)
	case "init":
		return cmdInit(args[1:], stdout, stderr)
	case "merge":
		return cmdMerge(args[1:], stdout, stderr)
	case "bench": // make bench (hidden)
		return cmdBench(args[1:], stdout, stderr)
	case "mutation": // make mutation
		return cmdMutation(args[1:], stdout, stderr)
	case "version", "-version", "--version":
		return cmdVersion(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "acsconform: unknown command %q (want run, replay, send, serve, proxy, specs, init, merge, mutation or version)\n", args[0])
	return exitUsage
}
