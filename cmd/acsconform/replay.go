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
	"time"

	"github.com/acsconform/acsconform/reports"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/suites"
)

// replayOptions are the parsed flags of 'acsconform replay'.
type replayOptions struct {
	report   string
	ids      []string
	target   string
	accounts []runner.Account
	timeout  time.Duration
}

// cmdReplay is the 'replay' subcommand.
func cmdReplay(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return replayWith(ctx, args, os.Getenv, stdout, stderr)
}

// replayWith re-sends the findings of a JSON report and judges the fresh
// answers with the same checks. Exit status: 1 when some finding still
// fails, 0 when none does, 2 on bad input.
func replayWith(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	o, err := parseReplay(args, env, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "acsconform replay: %v\n", err)
		return exitUsage
	}
	findings, err := o.findings()
	if err != nil {
		fmt.Fprintf(stderr, "acsconform replay: %v\n", err)
		return exitUsage
	}
	targets := make([]runner.Target, len(findings))
	for i, f := range findings {
		if targets[i], err = o.targetOf(f); err != nil {
			fmt.Fprintf(stderr, "acsconform replay: %v\n", err)
			return exitUsage
		}
	}
	nonce := runNonce()
	failing := 0
	for i, f := range findings {
		now, fresh, err := suites.Rejudge(ctx, targets[i], f, nonce)
		if err != nil {
			fmt.Fprintf(stderr, "acsconform replay: %v\n", err)
			return exitUsage
		}
		still := len(now.Findings) > 0 || strings.Contains(f.ID, "/warning/") && len(now.Warnings) > 0
		if still {
			failing++
		}
		printReplay(stdout, f, now, fresh, still)
	}
	fmt.Fprintf(stdout, "%d of %d replayed findings still fail\n", failing, len(findings))
	if failing > 0 {
		return exitFindings
	}
	return exitOK
}

// parseReplay parses 'acsconform replay REPORT.json [flags]'.
func parseReplay(args []string, env func(string) string, stderr io.Writer) (*replayOptions, error) {
	o := &replayOptions{}
	fs := flag.NewFlagSet("acsconform replay", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var accounts []string
	fs.Func("finding", "the `ID` of a finding to replay (repeatable; default every finding)", func(v string) error {
		o.ids = append(o.ids, v)
		return nil
	})
	fs.StringVar(&o.target, "target", "", "base `URL` to send to; default the URL each request was sent to")
	fs.Func("account", "credentials of one account, as `AK:SECRET` (repeatable, in the run's order); default "+envAccessKeyID+" and "+envAccessKeySecret, func(v string) error {
		accounts = append(accounts, v)
		return nil
	})
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "bound on each exchange")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "usage: acsconform replay REPORT.json [--finding ID]... [--target URL] [--account AK:SECRET]...\n\nSends a report's findings again (setup steps first, signed afresh, with fresh unique names) and judges\nthe answers with the same check. Credentials come from --account or "+envAccessKeyID+"/"+envAccessKeySecret+",\nnever from the report. Exit status: 1 when a finding still fails, 0 when none does, 2 on bad input.\n\nflags:")
			fs.SetOutput(stderr)
			fs.PrintDefaults()
		}
		return nil, err
	}
	if len(pos) != 1 {
		return nil, errors.New("want one report: acsconform replay REPORT.json [--finding ID]...")
	}
	o.report = pos[0]
	if o.target != "" {
		if err := runner.CheckURL(o.target); err != nil {
			return nil, fmt.Errorf("--target: %v", err)
		}
	}
	if o.timeout <= 0 {
		return nil, errors.New("--timeout must be positive")
	}
	o.accounts, err = credentials(accounts, env)
	return o, err
}

// findings reads the report and picks the findings asked for (every
// finding when none is named; a warning only by its ID).
func (o *replayOptions) findings() ([]results.Finding, error) {
	f, err := os.Open(o.report)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := reports.ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", o.report, err)
	}
	var all, warnings []results.Finding
	for _, op := range res.Operations {
		for _, c := range op.Checks {
			all = append(all, c.Findings...)
			warnings = append(warnings, c.Warnings...)
		}
	}
	if len(o.ids) == 0 {
		if len(all) == 0 {
			return nil, fmt.Errorf("%s has no finding to replay", o.report)
		}
		return all, nil
	}
	byID := map[string]results.Finding{}
	var known []string
	for _, f := range append(all, warnings...) {
		byID[f.ID] = f
		known = append(known, f.ID)
	}
	var out []results.Finding
	for _, id := range o.ids {
		f, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("%s has no finding %q (it has: %s)", o.report, id, listSome(known))
		}
		out = append(out, f)
	}
	return out, nil
}

// listSome lists up to 10 IDs.
func listSome(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	if len(ids) > 10 {
		return strings.Join(ids[:10], ", ") + fmt.Sprintf(", and %d more", len(ids)-10)
	}
	return strings.Join(ids, ", ")
}

// targetOf is where f's requests go: --target, else the URL they were
// sent to, which must answer now.
func (o *replayOptions) targetOf(f results.Finding) (runner.Target, error) {
	t := runner.Target{URL: o.target, Accounts: o.accounts, Timeout: o.timeout, ChecksSignatures: true}
	if len(f.Exchanges) == 0 {
		return t, fmt.Errorf("finding %s records no request to replay (a finding about the run as a whole)", f.ID)
	}
	if t.URL == "" {
		t.URL = f.Exchanges[len(f.Exchanges)-1].URL
		if err := runner.CheckURL(t.URL); err != nil {
			return t, fmt.Errorf("finding %s: %v: pass --target URL", f.ID, err)
		}
	}
	if err := reachable(t); err != nil {
		return t, fmt.Errorf("%v (pass --target URL for a target that answers)", err)
	}
	return t, nil
}

// codeText finds the Code member of a JSON or XML body.
var codeText = regexp.MustCompile(`"Code"\s*:\s*"([^"]*)"|<Code>([^<]*)</Code>`)

// answerWords is an exchange's answer in a few words: "HTTP 409
// EntityAlreadyExists.User", "no response: ...".
func answerWords(r results.ExchangeRecord) string {
	if r.Status == 0 {
		return "no response: " + r.Error
	}
	s := fmt.Sprintf("HTTP %d", r.Status)
	if m := codeText.FindStringSubmatch(r.Body); m != nil {
		s += " " + m[1] + m[2]
	}
	return s
}

// printReplay prints a finding then and now, side by side.
func printReplay(w io.Writer, then results.Finding, now results.CheckResult, fresh []results.ExchangeRecord, still bool) {
	verdict := "FIXED"
	if still {
		verdict = "STILL FAILS"
	}
	header := then.ID
	if then.Rule != "" {
		header += " [" + then.Rule + "]"
	}
	fmt.Fprintf(w, "%s %s\n", verdict, header)
	fmt.Fprintf(w, "  expected: %s\n", then.Expected)
	nowActual := "as the docs allow"
	switch {
	case len(now.Findings) > 0:
		nowActual = now.Findings[0].Actual
	case len(now.Warnings) > 0:
		nowActual = now.Warnings[0].Actual + " (a warning: allowed under one reading only)"
	}
	fmt.Fprintf(w, "  %-34s %s\n", "then: "+then.Actual, "now: "+nowActual)
	for i := range max(len(then.Exchanges), len(fresh)) {
		var a, b, role string
		if i < len(then.Exchanges) {
			a = answerWords(then.Exchanges[i])
			role = "step"
			if then.Exchanges[i].Setup {
				role = "setup"
			}
		}
		if i < len(fresh) {
			b = answerWords(fresh[i])
		}
		fmt.Fprintf(w, "  %d %-6s %-28s %s\n", i+1, role, a, b)
	}
	if len(now.Findings) > 0 && now.Findings[0].Send != "" {
		fmt.Fprintf(w, "  send:     %s\n", now.Findings[0].Send)
	}
}
