package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/acsconform/acsconform/reports"
	"github.com/acsconform/acsconform/results"
)

// mergeOptions are the parsed arguments of 'acsconform merge'.
type mergeOptions struct {
	inputs            []string
	junit, json, html string
	verbose           bool
}

// cmdMerge is the 'merge' subcommand: it reads the JSON reports of the N
// shards of one campaign (acsconform run --shard K/N --json FILE), joins
// them with results.Merge, prints the summary and writes the requested
// reports. Exit status as for run: 0 when no check failed or errored, 1
// when one did, 2 on bad arguments or reports that are not the shards of
// one campaign (one line on stderr).
func cmdMerge(args []string, stdout, stderr io.Writer) int {
	o, err := parseMerge(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "acsconform merge: %v\n", err)
		return exitUsage
	}
	parts := make([]*results.Result, 0, len(o.inputs))
	for _, path := range o.inputs {
		r, err := readReport(path)
		if err != nil {
			fmt.Fprintf(stderr, "acsconform merge: %v\n", err)
			return exitUsage
		}
		parts = append(parts, r)
	}
	res, err := results.Merge(parts...)
	if err != nil {
		fmt.Fprintf(stderr, "acsconform merge: %v\n", err)
		return exitUsage
	}
	ro := &runOptions{junit: o.junit, json: o.json, html: o.html, verbose: o.verbose}
	if err := writeReports(ro, res, stdout); err != nil {
		fmt.Fprintf(stderr, "acsconform merge: %v\n", err)
		return exitUsage
	}
	if res.Failed() || res.Errored() {
		return exitFindings
	}
	return exitOK
}

// parseMerge parses 'acsconform merge REPORT.json... [flags]': flags may
// come before, between or after the reports.
func parseMerge(args []string, stderr io.Writer) (*mergeOptions, error) {
	o := &mergeOptions{}
	fs := flag.NewFlagSet("acsconform merge", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&o.junit, "junit", "", "write the merged JUnit XML report to `FILE`")
	fs.StringVar(&o.json, "json", "", "write the merged JSON report to `FILE`")
	fs.StringVar(&o.html, "html", "", "write the merged HTML report to `FILE`")
	fs.BoolVar(&o.verbose, "v", false, "print each kept failing exchange")
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintln(stderr, "usage: acsconform merge SHARD.json... [flags]\n\nJoins the JSON reports of the shards of one campaign (acsconform run --shard K/N --json FILE, every K of one N, same seed, examples and tool) into one verdict.\nExit status: 0 when no check fails or errors, 1 when one does, 2 on bad arguments or reports of different campaigns.\n\nflags:")
				fs.SetOutput(stderr)
				fs.PrintDefaults()
			}
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		o.inputs = append(o.inputs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(o.inputs) == 0 {
		return nil, errors.New("no report to merge: give the shards' JSON reports (acsconform merge shard-1.json shard-2.json ...)")
	}
	outs := []string{o.junit, o.json, o.html}
	for i, out := range outs {
		if out == "" {
			continue
		}
		for _, other := range outs[i+1:] {
			if other != "" && samePath(out, other) {
				return nil, fmt.Errorf("two reports name the same file %s: give each report its own", out)
			}
		}
		for _, in := range o.inputs {
			if samePath(out, in) {
				return nil, fmt.Errorf("%s is a shard's report: write the merged report elsewhere", out)
			}
		}
		if err := writable(out); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// readReport reads one JSON report.
func readReport(path string) (*results.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %v", path, err)
	}
	defer f.Close()
	r, err := reports.ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return r, nil
}
