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
	"time"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/suites"
)

const mutationUsage = `usage: acsconform mutation [--seed N] [--examples N] [--control-seeds N] [--parallel N]
                           [--faults REGEX] [--min-caught N] [--max-time D] [--timeout D]

Proves the suite: runs it against the embedded emulator once per named
fault injection (each breaks one documented behaviour; 'acsconform serve
--list-faults' lists them) and reports whether the run was not clean, some
check failed or errored (caught), or every check passed or was skipped
(survived). A fault named by a rule ID is run against its operation alone.
First the clean emulator runs with --control-seeds seeds from --seed on: it
must pass every check (a failed or errored check there is a false alarm).

Exit status: 0 when the control passed and at least --min-caught faults
were caught, 1 when the control failed or fewer were caught, 2 on a usage
or setup error.

flags:
`

// Mutation run defaults. The embedded emulator answers in milliseconds, so
// an exchange that takes seconds is a hang (a fault's); the timeout still
// leaves room for several runs sharing a loaded machine (at 2 s, four runs
// on two busy cores saw spurious timeouts), and stays far below the 20 s
// of the hanging fault. A fault's run is bounded well below a plain run's
// budget, so a hanging fault costs a minute at most.
const (
	defaultMutationTimeout = 5 * time.Second
	defaultMutationMaxTime = time.Minute
	defaultControlSeeds    = 20
)

// mutationOptions are the parsed flags of 'acsconform mutation'.
type mutationOptions struct {
	seed         int64
	examples     int
	controlSeeds int
	parallel     int
	minCaught    int
	// timeout bounds each exchange, maxTime each run (a fault's or a
	// control seed's).
	timeout, maxTime time.Duration
	faults           []string
}

// mutant is one fault's run: the checks that failed and those that
// errored, "OPERATION/CHECK".
type mutant struct {
	fault           string
	failed, errored []string
}

// caught reports whether the run was not clean: some check failed or
// errored (the clean emulator gets neither: the control proves it).
func (m mutant) caught() bool { return len(m.failed)+len(m.errored) > 0 }

// checks lists the failed checks, then the errored ones marked so.
func (m mutant) checks() string {
	out := append([]string(nil), m.failed...)
	for _, c := range m.errored {
		out = append(out, c+" (errored)")
	}
	return strings.Join(out, " ")
}

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
	return gateVerdict(stdout, control, mutants, o.minCaught)
}

// gateVerdict prints the table of mutants and the gate's failures on
// stdout, and returns the exit status: 1 when the control failed or errored
// a check (control lists them) or fewer than minCaught faults were caught.
func gateVerdict(stdout io.Writer, control []string, mutants []mutant, minCaught int) int {
	caught := printMutants(stdout, mutants)
	code := exitOK
	if len(control) > 0 {
		fmt.Fprintf(stdout, "CONTROL FAILED: the clean emulator failed or errored %s (a false alarm of the suite)\n", strings.Join(control, ", "))
		code = exitFindings
	}
	if caught < minCaught {
		fmt.Fprintf(stdout, "TOO FEW CAUGHT: %d faults caught, --min-caught is %d\n", caught, minCaught)
		code = exitFindings
	}
	return code
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
	for _, i := range launchOrder(model, o.faults) {
		fault := o.faults[i]
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			m, err := mutantRun(ctx, []string{fault}, o.timeout, o.suiteOptions(o.seed, faultOps(model, fault)))
			m.fault = fault
			mutants[i], errs[i] = m, err
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

// launchOrder is the order the faults' runs start in, as indices into
// faults: the behavioural faults first, each run against every operation
// (the longest runs, among them the hanging and trickling faults that wait
// out their timeouts), then the rule faults, each against its own
// operation, which fill the slots around them; otherwise in faults' order.
func launchOrder(model *specs.Model, faults []string) []int {
	var behavioural, rules []int
	for i, f := range faults {
		if faultOps(model, f) == nil {
			behavioural = append(behavioural, i)
		} else {
			rules = append(rules, i)
		}
	}
	return append(behavioural, rules...)
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
	fs.IntVar(&o.controlSeeds, "control-seeds", defaultControlSeeds, "seeds the clean emulator is run with, at least 1")
	fs.IntVar(&o.parallel, "parallel", 2, "runs at once (faults, control seeds), each against its own emulator")
	fs.StringVar(&pattern, "faults", "", "run the faults whose name matches this `regexp`; default all")
	fs.IntVar(&o.minCaught, "min-caught", 0, "exit 1 when fewer than `N` faults are caught")
	fs.DurationVar(&o.timeout, "timeout", defaultMutationTimeout, "bound on each exchange")
	fs.DurationVar(&o.maxTime, "max-time", defaultMutationMaxTime, "bound on each run (a fault's, a control seed's): checks cut short are errored")
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
	case o.minCaught < 0:
		return nil, fmt.Errorf("--min-caught %d: want at least 0", o.minCaught)
	case o.timeout <= 0 || o.maxTime <= 0:
		return nil, errors.New("--timeout and --max-time must be positive")
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

// runControl runs the clean emulator with each control seed, o.parallel
// at a time, prints one line per seed and returns the checks that failed
// or errored ("seed N: OPERATION/CHECK"), in seed order.
func runControl(ctx context.Context, o *mutationOptions, stdout, stderr io.Writer) ([]string, error) {
	runs := make([]mutant, o.controlSeeds)
	errs := make([]error, o.controlSeeds)
	sem := make(chan struct{}, o.parallel)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range runs {
		seed := o.seed + int64(i)
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			runs[i], errs[i] = mutantRun(ctx, nil, o.timeout, o.suiteOptions(seed, nil))
			mu.Lock()
			defer mu.Unlock()
			if errs[i] == nil {
				fmt.Fprintf(stderr, "control seed %d: %d checks failed, %d errored\n", seed, len(runs[i].failed), len(runs[i].errored))
			}
		})
	}
	wg.Wait()
	var bad []string
	for i, m := range runs {
		seed := o.seed + int64(i)
		if errs[i] != nil {
			return nil, fmt.Errorf("control seed %d: %w", seed, errs[i])
		}
		fmt.Fprintf(stdout, "control (clean emulator, seed %d): %d checks failed, %d errored\n", seed, len(m.failed), len(m.errored))
		for _, c := range m.failed {
			bad = append(bad, fmt.Sprintf("seed %d: %s", seed, c))
		}
		for _, c := range m.errored {
			bad = append(bad, fmt.Sprintf("seed %d: %s (errored)", seed, c))
		}
	}
	return bad, nil
}

// suiteOptions are the suite's options for one run. A rate-limited
// operation gets as many cases as the others (PacedExamples is Examples,
// not the default fifth): the gate's job is catching faults, not speed, and
// fewer cases would let it miss some.
func suiteOptions(seed int64, examples int, ops []string) suites.Options {
	return suites.Options{Seed: seed, Examples: examples, PacedExamples: examples, Ops: ops, Tool: version}
}

// suiteOptions are the suite's options for one mutation or control run
// with seed: o's examples and time budget.
func (o *mutationOptions) suiteOptions(seed int64, ops []string) suites.Options {
	opts := suiteOptions(seed, o.examples, ops)
	opts.MaxTime = o.maxTime
	return opts
}

// mutantRun starts the embedded emulator with faults, runs the suite
// against it with opts, each exchange bounded by timeout (0: the runner's
// default), and returns the checks that failed and those that errored,
// "OPERATION/CHECK" (its fault field left empty).
func mutantRun(ctx context.Context, faults []string, timeout time.Duration, opts suites.Options) (mutant, error) {
	emb, stop, err := startEmbedded(ctx, faults)
	if err != nil {
		return mutant{}, err
	}
	defer stop()
	emb.target.Timeout = timeout
	opts.Declared = emb.declared
	res, err := suites.Execute(ctx, emb.target, opts)
	if err != nil {
		return mutant{}, err
	}
	var m mutant
	for _, op := range res.Operations {
		for _, c := range op.Checks {
			switch c.Status {
			case results.Failed:
				m.failed = append(m.failed, op.Operation+"/"+c.Check)
			case results.Errored:
				m.errored = append(m.errored, op.Operation+"/"+c.Check)
			}
		}
	}
	return m, nil
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

// printMutants writes the table of mutants and the total, and returns
// how many were caught.
func printMutants(w io.Writer, mutants []mutant) int {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FAULT\tVERDICT\tWHAT IT BREAKS\tFAILED OR ERRORED CHECKS")
	caught := 0
	for _, m := range mutants {
		if m.caught() {
			caught++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.fault, verdict(m), emulator.FaultDescription(m.fault), m.checks())
	}
	tw.Flush()
	fmt.Fprintf(w, "caught %d of %d faults (%d survived)\n", caught, len(mutants), len(mutants)-caught)
	return caught
}
