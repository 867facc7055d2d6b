package suites

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// Run runs the suite against target inside a Go test: every check that
// applies to a selected operation becomes a subtest named OPERATION/CHECK
// that fails with its findings, fails when it errored (no conclusive
// answer), or is skipped with the reason the target did not meet its
// precondition (failed instead under Options.RequireAll). Warnings are
// logged. A run that cannot start fails the test. It returns the result
// of what ran.
//
// The subtests decide what is sent: under go test -run
// 'TestConformance/ram/negative-rejection' only that check's requests go
// to the target. Each selected check's subtest registers itself and
// pauses (t.Parallel); the first to resume executes its operation once,
// with only the registered checks (Options.Checks narrowed to exactly
// them, Options.Ops to the operation), and every subtest reports its own
// verdict from that execution. An operation none of whose checks is
// selected is not executed. The trade-offs of this mode: the operations
// run one after the other (Execute runs them side by side), RequestId
// uniqueness is judged within each operation, not across them, and
// Options.ShrinkBudget and Options.MaxTime apply to each operation's
// execution rather than to the whole run.
func Run(t *testing.T, target runner.Target, opts Options) *results.Result {
	t.Helper()
	gates, err := plan(target, opts)
	if err != nil {
		t.Fatalf("acsconform: %v", err)
	}
	ctx := context.Background()
	if deadline, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline)
		defer cancel()
	}
	started := opts.withDefaults().Now()
	for _, g := range gates {
		t.Run(g.op.ID, func(t *testing.T) {
			for _, c := range g.checks {
				t.Run(c.check.ID, func(t *testing.T) {
					g.register(c.check.ID)
					t.Parallel()
					res, err := g.execute(ctx, target, opts)
					if res == nil {
						t.Fatalf("acsconform: %v", err)
					}
					if err != nil {
						t.Errorf("acsconform: %v", err)
					}
					cr, ok := checkOf(res, c.check.ID)
					if !ok {
						t.Fatalf("acsconform: no verdict for %s/%s", g.op.ID, c.check.ID)
					}
					report(t, cr, c.unmet, opts.RequireAll)
				})
			}
		})
	}
	return assemble(gates, target, opts, started)
}

// opGate is one operation of a go test run: the checks that apply to it,
// those whose subtests registered, and its one execution.
type opGate struct {
	op     *specs.Operation
	checks []gateCheck

	mu         sync.Mutex
	registered []string
	once       sync.Once
	res        *results.Result
	err        error
}

// gateCheck is a check that applies to an operation, with the precondition
// the target does not meet for it ("" when it meets them all).
type gateCheck struct {
	check *Check
	unmet string
}

// plan lists the selected operations in model order, each with the checks
// that apply to it: what Execute would run. Its error is for a run that
// cannot start (specs, credentials, operations, target URL).
func plan(target runner.Target, opts Options) ([]*opGate, error) {
	model, err := specs.Load()
	if err != nil {
		return nil, fmt.Errorf("loading the specs: %w", err)
	}
	if len(target.Accounts) == 0 {
		return nil, errors.New("no credentials: declare at least one account")
	}
	ops, err := selectOps(model, opts.Ops)
	if err != nil {
		return nil, err
	}
	client, err := runner.NewClient(target)
	if err != nil {
		return nil, err
	}
	client.Close()
	pre := &engine{target: target, opts: opts.withDefaults()}
	var gates []*opGate
	for _, op := range ops {
		g := &opGate{op: op}
		for i := range registry {
			c := &registry[i]
			if opts.Checks != nil && !opts.Checks.MatchString(c.ID) || c.applies != nil && !c.applies(op) {
				continue
			}
			g.checks = append(g.checks, gateCheck{check: c, unmet: pre.skipReason(c, op)})
		}
		gates = append(gates, g)
	}
	return gates, nil
}

// register records that a check's subtest was selected.
func (g *opGate) register(id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.registered = append(g.registered, id)
}

// execute runs the operation with the registered checks, once; every
// caller gets that run's result.
func (g *opGate) execute(ctx context.Context, target runner.Target, opts Options) (*results.Result, error) {
	g.once.Do(func() {
		g.mu.Lock()
		ids := append([]string(nil), g.registered...)
		g.mu.Unlock()
		o := opts
		o.Ops = []string{g.op.ID}
		o.Checks = exactly(ids)
		g.res, g.err = Execute(ctx, target, o)
	})
	return g.res, g.err
}

// exactly matches exactly the IDs given.
func exactly(ids []string) *regexp.Regexp {
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = regexp.QuoteMeta(id)
	}
	return regexp.MustCompile("^(?:" + strings.Join(quoted, "|") + ")$")
}

// checkOf finds a check's verdict in a one-operation result.
func checkOf(res *results.Result, id string) (results.CheckResult, bool) {
	for _, op := range res.Operations {
		for _, c := range op.Checks {
			if c.Check == id {
				return c, true
			}
		}
	}
	return results.CheckResult{}, false
}

// assemble joins the operations' results into the run's, in model order:
// the operations executed, each with its checks that ran. Its Command
// reruns what ran: the caller's selection when every check ran, else the
// operations executed and the checks that ran on any of them.
func assemble(gates []*opGate, target runner.Target, opts Options, started time.Time) *results.Result {
	o := opts.withDefaults()
	res := &results.Result{Tool: o.Tool, Seed: o.Seed, Examples: o.Examples, PacedExamples: o.PacedExamples, Started: started}
	var ops, ids, stopped []string
	every := true
	for _, g := range gates {
		every = every && len(g.registered) == len(g.checks)
		if g.res == nil {
			continue
		}
		res.Target = g.res.Target
		res.Operations = append(res.Operations, g.res.Operations...)
		ops = append(ops, g.op.ID)
		for _, id := range g.registered {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		if g.res.Stopped != "" {
			stopped = append(stopped, g.op.ID+": "+g.res.Stopped)
		}
	}
	res.Stopped = strings.Join(stopped, "; ")
	if !every {
		o.Ops, o.Checks = ops, exactly(ids)
	}
	e := &engine{target: target, opts: o}
	if res.Target == "" {
		res.Target = e.targetName()
	}
	res.Command = e.command()
	res.Duration = o.Now().Sub(started)
	return res
}

// report turns one check's verdict into a subtest's outcome. unmet is the
// precondition the target does not meet for it; requireAll fails such a
// check instead of skipping it.
func report(t *testing.T, c results.CheckResult, unmet string, requireAll bool) {
	for _, w := range c.Warnings {
		t.Logf("warning: %s", describe(w))
	}
	switch c.Status {
	case results.Skipped:
		if requireAll && unmet != "" {
			t.Errorf("not run, and Options.RequireAll demands every check: %s", c.SkipReason)
			return
		}
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
