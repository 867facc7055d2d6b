package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/suites"
)

const mutationUsage = `usage: acsconform mutation [--seed N] [--examples N] [--control-seeds N] [--parallel N] [--faults REGEX]

Proves the suite: runs it against the embedded emulator once per named
fault injection (each breaks one documented behaviour; 'acsconform serve
--list-faults' lists them) and reports whether some check failed (caught)
or none did (survived). A fault named by a rule ID is run against its
operation alone. First the clean emulator runs with --control-seeds seeds
from --seed on: it must pass every check.

Exit status: 0 when the control passed, 1 when it failed (a false alarm of
the suite), 2 on a usage or setup error. A survived fault does not change it.

flags:
`

// mutationOptions are the parsed flags of 'acsconform mutation'.
type mutationOptions struct {
	seed         int64
	examples     int
	controlSeeds int
	parallel     int
	faults       []string
}

// mutant is one fault's run: the failed checks, "OPERATION/CHECK".
type mutant struct {
	fault  string
	failed []string
}

// caught reports whether some check failed.
func (m mutant) caught() bool { return len(m.failed) > 0 }

// cmdMutation is the hidden 'mutation' subcommand (make mutation).
func cmdMutation(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return mutationWith(ctx, args, stdout, stderr)
}

// mutationWith parses args, runs the control and every mutant, and
// prints the table on stdout, progress on stderr.
func mutationWith(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseMutation(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "acsconform mutation: %v\n", err)
		return exitUsage
	}
	model, err := specs.Load()
	if err != nil {
		fmt.Fprintf(stderr, "acsconform mutation: %v\n", err)
		return exitUsage
	}
	control, err := runControl(ctx, o, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "acsconform mutation: %v\n", err)
		return exitUsage
	}
	mutants, err := runMutants(ctx, o, model, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "acsconform mutation: %v\n", err)
		return exitUsage
	}
	printMutants(stdout, mutants)
	if len(control) > 0 {
		fmt.Fprintf(stdout, "CONTROL FAILED: the clean emulator failed %s (a false alarm of the suite)\n", strings.Join(control, ", "))
		return exitFindings
	}
	return exitOK
}

// runMutants runs the suite against each fault, o.parallel at a time (each
// against its own emulator), printing a line on stderr as each ends. The
// mutants come back in the order of o.faults.
func runMutants(ctx context.Context, o *mutationOptions, model *specs.Model, stderr io.Writer) ([]mutant, error) {
	mutants := make([]mutant, len(o.faults))
	errs := make([]error, len(o.faults))
	var mu sync.Mutex
	done := 0
	sem := make(chan struct{}, o.parallel)
	var wg sync.WaitGroup
	for i, fault := range o.faults {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			failed, err := mutantFailures(ctx, []string{fault}, suiteOptions(o.seed, o.examples, faultOps(model, fault)))
			mutants[i], errs[i] = mutant{fault, failed}, err
			mu.Lock()
			defer mu.Unlock()
			done++
			if err == nil {
				fmt.Fprintf(stderr, "[%d/%d] %s: %s\n", done, len(o.faults), fault, verdict(mutants[i]))
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.faults[i], err)
		}
	}
	return mutants, nil
}

// parseMutation parses the flags of 'acsconform mutation'. -h prints the
// usage on stdout and returns flag.ErrHelp.
func parseMutation(args []string, stdout io.Writer) (*mutationOptions, error) {
	o := &mutationOptions{}
	fs := flag.NewFlagSet("acsconform mutation", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var pattern string
	fs.Int64Var(&o.seed, "seed", 1, "`seed` of every generated case (the control runs seeds from it on)")
	fs.IntVar(&o.examples, "examples", 10, "generated cases per plan and operation")
	fs.IntVar(&o.controlSeeds, "control-seeds", 3, "seeds the clean emulator is run with, at least 1")
	fs.IntVar(&o.parallel, "parallel", 4, "faults run at once, each against its own emulator")
	fs.StringVar(&pattern, "faults", "", "run the faults whose name matches this `regexp`; default all")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, mutationUsage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
		}
		return nil, err
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.examples < 1:
		return nil, fmt.Errorf("--examples %d: want at least 1", o.examples)
	case o.controlSeeds < 1:
		return nil, fmt.Errorf("--control-seeds %d: want at least 1", o.controlSeeds)
	case o.parallel < 1:
		return nil, fmt.Errorf("--parallel %d: want at least 1", o.parallel)
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("--faults: %v", err)
	}
	for _, f := range emulator.Faults() {
		if re.MatchString(f) {
			o.faults = append(o.faults, f)
		}
	}
	if len(o.faults) == 0 {
		return nil, fmt.Errorf("--faults %q matches no fault", pattern)
	}
	return o, nil
}

// runControl runs the clean emulator with each control seed, prints one
// line per seed and returns the checks that failed ("seed N:
// OPERATION/CHECK").
func runControl(ctx context.Context, o *mutationOptions, stdout, stderr io.Writer) ([]string, error) {
	var failed []string
	for seed := o.seed; seed < o.seed+int64(o.controlSeeds); seed++ {
		checks, err := mutantFailures(ctx, nil, suiteOptions(seed, o.examples, nil))
		if err != nil {
			return nil, fmt.Errorf("control seed %d: %w", seed, err)
		}
		fmt.Fprintf(stderr, "control seed %d: %d checks failed\n", seed, len(checks))
		fmt.Fprintf(stdout, "control (clean emulator, seed %d): %d checks failed\n", seed, len(checks))
		for _, c := range checks {
			failed = append(failed, fmt.Sprintf("seed %d: %s", seed, c))
		}
	}
	return failed, nil
}

// suiteOptions are the suite's options for one run.
func suiteOptions(seed int64, examples int, ops []string) suites.Options {
	return suites.Options{Seed: seed, Examples: examples, Ops: ops, Tool: version}
}

// mutantFailures starts the embedded emulator with faults, runs the suite
// against it with opts and returns the failed checks, "OPERATION/CHECK".
func mutantFailures(ctx context.Context, faults []string, opts suites.Options) ([]string, error) {
	emb, stop, err := startEmbedded(ctx, faults)
	if err != nil {
		return nil, err
	}
	defer stop()
	opts.Declared = emb.declared
	res, err := suites.Execute(ctx, emb.target, opts)
	if err != nil {
		return nil, err
	}
	var failed []string
	for _, op := range res.Operations {
		for _, c := range op.Checks {
			if c.Failed() {
				failed = append(failed, op.Operation+"/"+c.Check)
			}
		}
	}
	return failed, nil
}

// faultOps is the operation a rule fault belongs to (its ID prefixes the
// rule ID), or nil (every operation) for a behavioural fault.
func faultOps(m *specs.Model, fault string) []string {
	for _, op := range m.Operations {
		if strings.HasPrefix(fault, op.ID+".") {
			return []string{op.ID}
		}
	}
	return nil
}

// verdict is "caught" or "SURVIVED".
func verdict(m mutant) string {
	if m.caught() {
		return "caught"
	}
	return "SURVIVED"
}

// printMutants writes the table of mutants and the total.
func printMutants(w io.Writer, mutants []mutant) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FAULT\tVERDICT\tWHAT IT BREAKS\tFAILED CHECKS")
	caught := 0
	for _, m := range mutants {
		if m.caught() {
			caught++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.fault, verdict(m), emulator.FaultDescription(m.fault), strings.Join(m.failed, " "))
	}
	tw.Flush()
	fmt.Fprintf(w, "caught %d of %d faults (%d survived)\n", caught, len(mutants), len(mutants)-caught)
}
