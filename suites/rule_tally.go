package suites

import (
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// ruleCount is what the run showed about one rule so far.
type ruleCount struct {
	exchanges, answered, findings, warnings int
}

// tallyRules attributes a judged sequence to the rules it exercised: each
// exchange to its step's expectation's Rule (the rule broken, or the rule
// a sequence step is about; a valid request exercises none), and each
// finding and warning of every check to the rule it names. Counts add up,
// so the order sequences finish in does not matter.
func (e *engine) tallyRules(r *opRun, seq *sequence, exs []runner.Exchange, verdicts []judged) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if r.rules == nil {
		r.rules = map[string]*ruleCount{}
	}
	count := func(id string) *ruleCount {
		c := r.rules[id]
		if c == nil {
			c = &ruleCount{}
			r.rules[id] = c
		}
		return c
	}
	for i := range exs {
		if rule := seq.Steps[i].Expect.Rule; rule != nil {
			c := count(rule.ID)
			c.exchanges++
			if exs[i].Status != 0 {
				c.answered++
			}
		}
	}
	for _, v := range verdicts {
		for _, f := range v.j.findings {
			if f.Rule != "" {
				count(f.Rule).findings++
			}
		}
		for _, f := range v.j.warnings {
			if f.Rule != "" {
				count(f.Rule).warnings++
			}
		}
	}
}

// ruleResults is every rule of the operation, in model order, with its tally.
func ruleResults(op *specs.Operation, counts map[string]*ruleCount) []results.RuleResult {
	out := make([]results.RuleResult, 0, len(op.Rules))
	for _, rule := range op.Rules {
		rr := results.RuleResult{Rule: rule.ID, Quote: rule.Quote, Param: rule.Param, Status: results.Passed}
		if c := counts[rule.ID]; c != nil {
			rr.Exchanges, rr.Findings, rr.Warnings = c.exchanges, c.findings, c.warnings
			if c.exchanges > 0 && c.answered == 0 {
				rr.Status = results.Errored
			}
		}
		switch {
		case rr.Findings > 0:
			rr.Status = results.Failed
		case rr.Exchanges == 0:
			rr.Status = results.Skipped
		}
		out = append(out, rr)
	}
	return out
}
