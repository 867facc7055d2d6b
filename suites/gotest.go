package suites

import (
	"context"
	"fmt"
	"testing"

	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
)

// Run runs the suite against target inside a Go test: every check becomes
// a subtest named OPERATION/CHECK that fails with its findings, or is
// skipped with the reason the target did not meet its precondition.
// Warnings are logged. A run that cannot start fails the test.
func Run(t *testing.T, target runner.Target, opts Options) *results.Result {
	t.Helper()
	ctx := context.Background()
	if deadline, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline)
		defer cancel()
	}
	res, err := Execute(ctx, target, opts)
	if err != nil {
		t.Fatalf("acsconform: %v", err)
	}
	for _, op := range res.Operations {
		t.Run(op.Operation, func(t *testing.T) {
			for _, c := range op.Checks {
				t.Run(c.Check, func(t *testing.T) { report(t, c) })
			}
		})
	}
	return res
}

// report turns one check's verdict into a subtest's outcome.
func report(t *testing.T, c results.CheckResult) {
	for _, w := range c.Warnings {
		t.Logf("warning: %s", describe(w))
	}
	switch c.Status {
	case results.Skipped:
		t.Skip(c.SkipReason)
	case results.Errored:
		t.Errorf("errored, no conclusive answer: %s", c.ErrorReason)
	case results.Failed:
		for _, f := range c.Findings {
			t.Error(describe(f))
		}
		if c.Dropped > 0 {
			t.Errorf("%d more findings not kept", c.Dropped)
		}
	}
}

// describe words a finding for a test log.
func describe(f results.Finding) string {
	s := fmt.Sprintf("expected %s\nactual %s", f.Expected, f.Actual)
	if f.Rule != "" {
		s = fmt.Sprintf("rule %s: %s\n%s", f.Rule, f.Quote, s)
	}
	if f.Command != "" {
		s += "\nreplay: " + f.Command
	}
	if f.Curl != "" {
		s += "\n" + f.Curl
	}
	return s
}
