package suites

import (
	"sync"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// newEngine prepares a run: which checks apply to which operation, which
// are skipped and why, and the sequences of every plan they need.
func newEngine(model *specs.Model, ops []*specs.Operation, target runner.Target, o Options) (*engine, error) {
	client, err := runner.NewClient(target)
	if err != nil {
		return nil, err
	}
	e := &engine{
		model:  model,
		target: target,
		opts:   o,
		client: client,
		ids:    newRequestIDs(opIDsOf(ops)),
	}
	secrets := make([]string, len(target.Accounts))
	for i, a := range target.Accounts {
		secrets[i] = a.AccessKeySecret
	}
	e.secrets = runner.NewScrubber(secrets...)
	for _, op := range ops {
		e.ops = append(e.ops, e.opRun(op))
	}
	return e, nil
}

// countPlans has every operation's planner count its plans, the
// operations side by side: counting draws the finite plans (the boundary
// list above all), and the start line and the time budget need the
// counts.
func (e *engine) countPlans() {
	var wg sync.WaitGroup
	for _, r := range e.ops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, p := range r.plans {
				r.planner.Planned(p.id)
			}
		}()
	}
	wg.Wait()
}

// opRun selects the checks of one operation and the plans they need.
func (e *engine) opRun(op *specs.Operation) *opRun {
	r := &opRun{op: op, planner: fuzz.NewPlanner(e.model, op, e.planConfig(op))}
	built := map[fuzz.PlanID]*planRun{}
	for i := range registry {
		c := &registry[i]
		if e.opts.Checks != nil && !e.opts.Checks.MatchString(c.ID) || c.applies != nil && !c.applies(op) {
			continue
		}
		cr := &checkRun{check: c, skip: e.skipReason(c, op), scope: e.scope(c, op), tallies: map[fuzz.PlanID]*tally{}}
		r.checks = append(r.checks, cr)
		if cr.skip != "" {
			continue
		}
		for _, id := range c.plans {
			if built[id] == nil {
				built[id] = &planRun{id: id, exclusive: id.Exclusive(), pending: map[int]pendingSeq{}}
			}
			cr.tallies[id] = &tally{plan: id}
		}
		cr.left = len(cr.tallies)
	}
	for _, id := range fuzz.Plans() {
		if pr := built[id]; pr != nil {
			r.plans = append(r.plans, pr)
		}
	}
	return r
}

// planConfig is what op's plans are built from.
func (e *engine) planConfig(op *specs.Operation) fuzz.Config {
	return fuzz.Config{
		Seed: e.opts.Seed, Examples: e.opts.examplesFor(op), Accounts: len(e.target.Accounts),
		Signatures: e.opts.Signatures, Nonce: e.opts.Nonce, Declared: e.opts.Declared,
		Reserve: true,
	}
}

// skipReason is why a check cannot run on op against this target, "" if it can.
func (e *engine) skipReason(c *Check, op *specs.Operation) string {
	if rule := op.RuleOfKind(specs.RuleExists); rule != nil && len(e.opts.Declared.Values[specs.RuleExists]) == 0 {
		return "the target declares no existing " + rule.Param + " for " + op.ID + " (--bastionhost-instance ID)"
	}
	if c.requires != nil {
		return c.requires(&e.target, &e.opts, op)
	}
	return ""
}
