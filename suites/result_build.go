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
		Stopped: e.stopped,
		Shard:   e.opts.Shard.String(), Examples: e.opts.Examples, PacedExamples: e.opts.PacedExamples,
	}
	for _, r := range e.ops {
		or := results.OperationResult{Operation: r.op.ID, Action: r.op.Action, Version: r.op.Version}
		for _, cr := range r.checks {
			c := e.checkResult(r, cr)
			e.numberFindings(&c, r.op.ID)
			or.Checks = append(or.Checks, c)
		}
		or.Rules = ruleResults(r.op, r.rules)
		res.Operations = append(res.Operations, or)
	}
	return res
}

// checkResult is a check's verdict: its tallies concatenated in plan
// order, with the run-wide findings of the checks that have some (a
// RequestId repeated across the run, a target that stopped answering).
// A check fails on a finding; with none it passes only on enough
// conclusive answers, and is errored otherwise.
func (e *engine) checkResult(r *opRun, cr *checkRun) results.CheckResult {
	c := results.CheckResult{Check: cr.check.ID, Status: results.Passed}
	if cr.skip != "" {
		c.Status, c.SkipReason = results.Skipped, cr.skip
		return c
	}
	var sum tally
	for _, id := range cr.check.plans {
		t := cr.tallies[id]
		if t == nil {
			continue
		}
		c.Exchanges += t.exchanges
		c.Duration += t.elapsed
		c.Findings, c.Dropped = keep(c.Findings, t.findings, e.opts.MaxFindings, c.Dropped+t.dropped)
		c.Warnings, _ = keep(c.Warnings, t.warnings, e.opts.MaxFindings, 0)
		sum.add(t)
		c.Timeline = appendTimeline(c.Timeline, t.timeline)
	}
	e.addRunWide(&c, r, &sum)
	c.Causes = sum.causes
	c.Status, c.SkipReason, c.ErrorReason = e.verdict(r, cr, &c, &sum)
	return c
}

// add sums another tally's counts into t.
func (t *tally) add(o *tally) {
	t.conclusive += o.conclusive
	t.sequences += o.sequences
	t.unheld += o.unheld
	t.causes = mergeCauses(t.causes, o.causes)
	if t.firstUnanswered == "" {
		t.firstUnanswered = o.firstUnanswered
	}
	if t.unheldReason == "" {
		t.unheldReason = o.unheldReason
	}
}

// mergeCauses adds the counts of more causes to causes.
func mergeCauses(causes, more []results.Cause) []results.Cause {
	for _, m := range more {
		for k := 0; k < m.Findings; k++ {
			causes = addCauses(causes, []results.Finding{{Cause: m.Key, Rule: m.Rule}})
		}
	}
	return causes
}

// verdict decides a check's status from its findings and what it could
// conclude, with the reason for a skip or an error.
func (e *engine) verdict(r *opRun, cr *checkRun, c *results.CheckResult, sum *tally) (results.Status, string, string) {
	unsent := e.unsentOf(r, cr)
	switch {
	case len(c.Findings)+c.Dropped > 0:
		return results.Failed, "", ""
	case r.refused != "":
		return results.Errored, "", r.refused
	case c.Exchanges == 0 && unsent == 0:
		return results.Skipped, e.noCase(r, cr), ""
	case sum.conclusive == 0 && sum.unheld > 0:
		return results.Errored, "", fmt.Sprintf("the precondition held in none of %d sequences: %s", sum.sequences, sum.unheldReason)
	case sum.conclusive == 0 && c.Exchanges > 0:
		return results.Errored, "", fmt.Sprintf("no conclusive answer among %d exchanges (first: %s)", c.Exchanges, sum.firstUnanswered)
	case sum.conclusive*2 < c.Exchanges:
		return results.Errored, "", fmt.Sprintf("only %d of %d exchanges were answered (first other: %s)", sum.conclusive, c.Exchanges, sum.firstUnanswered)
	case sum.unheld == sum.sequences && sum.sequences > 0:
		return results.Errored, "", fmt.Sprintf("the precondition held in none of %d sequences: %s", sum.sequences, sum.unheldReason)
	case unsent > 0:
		return results.Errored, "", fmt.Sprintf("%d of its case plans were cut short: %s", unsent, e.whyUnsent(r))
	}
	return results.Passed, "", ""
}

// unsentOf counts the plans of a check that were cut short, some of their
// sequences never sent.
func (e *engine) unsentOf(r *opRun, cr *checkRun) int {
	n := 0
	for _, p := range r.plans {
		if cr.tallies[p.id] != nil && p.cut {
			n++
		}
	}
	return n
}

// whyUnsent says why an operation's remaining sequences were not sent.
func (e *engine) whyUnsent(r *opRun) string {
	switch {
	case r.silent.Load() >= maxSilent:
		return fmt.Sprintf("%s stopped answering (%d exchanges in a row without a complete answer)", r.op.ID, maxSilent)
	case e.stopped != "":
		return "the run stopped early (" + e.stopped + ")"
	}
	return "the run ended before them"
}

// addRunWide adds the findings only the whole run can show: RequestIds
// repeated across it (request-id, once every operation is done) and a
// target that stopped answering (no-server-error).
func (e *engine) addRunWide(c *results.CheckResult, r *opRun, sum *tally) {
	var add []results.Finding
	switch c.Check {
	case requestIDCheck:
		add = e.repeats(r)
	case noServerErrorCheck:
		add = e.silence(r)
	}
	sum.causes = addCauses(sum.causes, add)
	c.Findings, c.Dropped = keep(add, c.Findings, e.opts.MaxFindings, c.Dropped)
}

// repeats are a finding for each RequestId the operation returned that
// some answer of the run had already carried; none until the run is done.
func (e *engine) repeats(r *opRun) []results.Finding {
	if !e.finished {
		return nil
	}
	var add []results.Finding
	for _, u := range e.ids.repeatedFor(r.op.ID) {
		add = append(add, results.Finding{
			Check:     requestIDCheck,
			Operation: r.op.ID,
			Expected:  "a RequestId unique across the run",
			Actual:    fmt.Sprintf("RequestId %s returned %d times (operations: %s)", u.id, u.count, strings.Join(u.ops, ", ")),
			Seed:      e.opts.Seed,
			Command:   e.replay(lookupCheck(requestIDCheck), r.op),
			Cause:     requestIDCheck + ": a RequestId repeated",
		})
	}
	return add
}

// silence is a finding when the operation's remaining sequences were
// given up because the target stopped answering.
func (e *engine) silence(r *opRun) []results.Finding {
	cut := 0
	for _, p := range r.plans {
		if p.cut {
			cut++
		}
	}
	if cut == 0 || r.silent.Load() < maxSilent {
		return nil
	}
	return []results.Finding{{
		Check: noServerErrorCheck, Operation: r.op.ID, Seed: e.opts.Seed,
		Expected: "an answer to every request within the timeout",
		Actual:   fmt.Sprintf("no complete answer to %d requests in a row: %d case plans of %s were cut short, their remaining sequences not sent", maxSilent, cut, r.op.ID),
		Command:  e.replay(lookupCheck(noServerErrorCheck), r.op),
		Cause:    noServerErrorCheck + ": the target stopped answering",
	}}
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
