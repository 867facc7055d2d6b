package suites

import (
	"fmt"
	"sort"
	"strings"

	"github.com/acsconform/acsconform/results"
)

// Checks that also judge the run as a whole.
const (
	// requestIDCheck judges RequestId uniqueness across the run.
	requestIDCheck = "request-id"
	// noServerErrorCheck reports a target that stopped answering.
	noServerErrorCheck = "no-server-error"
)

// result assembles the run's result in model and registry order.
func (e *engine) result() *results.Result {
	res := &results.Result{
		Tool:    e.opts.Tool,
		Target:  e.targetName(),
		Seed:    e.opts.Seed,
		Command: e.command(),
	}
	repeated := e.repeatedIDs()
	for _, r := range e.ops {
		or := results.OperationResult{Operation: r.op.ID, Action: r.op.Action, Version: r.op.Version}
		for _, cr := range r.checks {
			c := e.checkResult(cr)
			if c.Check == requestIDCheck && c.Status != results.Skipped {
				e.addRepeats(&c, r, repeated)
			}
			if c.Check == noServerErrorCheck && c.Status != results.Skipped {
				e.addSilence(&c, r)
			}
			e.numberFindings(&c, r.op.ID)
			or.Checks = append(or.Checks, c)
		}
		res.Operations = append(res.Operations, or)
	}
	return res
}

// checkResult concatenates a check's tallies in plan order.
func (e *engine) checkResult(cr *checkRun) results.CheckResult {
	c := results.CheckResult{Check: cr.check.ID, Status: results.Passed}
	if cr.skip != "" {
		c.Status, c.SkipReason = results.Skipped, cr.skip
		return c
	}
	for _, id := range cr.check.plans {
		t := cr.tallies[id]
		if t == nil {
			continue
		}
		c.Exchanges += t.exchanges
		c.Duration += t.elapsed
		c.Findings, c.Dropped = keep(c.Findings, t.findings, e.opts.MaxFindings, c.Dropped+t.dropped)
		c.Warnings, _ = keep(c.Warnings, t.warnings, e.opts.MaxFindings, 0)
	}
	switch {
	case len(c.Findings)+c.Dropped > 0:
		c.Status = results.Failed
	case c.Exchanges == 0:
		c.Status, c.SkipReason = results.Skipped, "the generators built no case for it"
	}
	return c
}

// addRepeats adds a finding for each RequestId the operation returned that
// some answer of the run had already carried.
func (e *engine) addRepeats(c *results.CheckResult, r *opRun, repeated []string) {
	var add []results.Finding
	for _, id := range repeated {
		u := e.ids[id]
		if !u.ops[r.op.ID] {
			continue
		}
		add = append(add, results.Finding{
			Check:     c.Check,
			Operation: r.op.ID,
			Expected:  "a RequestId unique across the run",
			Actual:    fmt.Sprintf("RequestId %s returned %d times (operations: %s)", id, u.count, strings.Join(sortedSet(u.ops), ", ")),
			Seed:      e.opts.Seed,
			Command:   e.replay(lookupCheck(c.Check), r.op),
		})
	}
	c.Findings, c.Dropped = keep(c.Findings, add, e.opts.MaxFindings, c.Dropped)
	if len(c.Findings)+c.Dropped > 0 {
		c.Status = results.Failed
	}
}

// addSilence puts first a finding when the operation's remaining sequences
// were given up because the target stopped answering.
func (e *engine) addSilence(c *results.CheckResult, r *opRun) {
	n := r.unsent.Load()
	if n == 0 || r.silent.Load() < maxSilent {
		return
	}
	f := results.Finding{
		Check: c.Check, Operation: r.op.ID, Seed: e.opts.Seed,
		Expected: "an answer to every request within the timeout",
		Actual:   fmt.Sprintf("no response to %d requests in a row: %d case sequences of %s were not sent", maxSilent, n, r.op.ID),
		Command:  e.replay(lookupCheck(c.Check), r.op),
	}
	c.Findings, c.Dropped = keep([]results.Finding{f}, c.Findings, e.opts.MaxFindings, c.Dropped)
	c.Status = results.Failed
}

// sortedSet returns a set's members in order.
func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// lookupCheck returns the registered check with that ID.
func lookupCheck(id string) *Check {
	for i := range registry {
		if registry[i].ID == id {
			return &registry[i]
		}
	}
	return nil
}
