package suites

import (
	"hash/fnv"
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
		model:   model,
		target:  target,
		opts:    o,
		client:  client,
		secrets: newScrubber(),
		ids:     map[string]*idUse{},
	}
	for _, a := range target.Accounts {
		e.secrets.add(a.AccessKeySecret)
	}
	for _, op := range ops {
		e.ops = append(e.ops, e.opRun(op))
	}
	e.build()
	return e, nil
}

// build generates every plan's sequences, the plans side by side: each
// plan's cases depend only on (seed, operation, plan), never on the others.
func (e *engine) build() {
	var wg sync.WaitGroup
	for _, r := range e.ops {
		for _, p := range r.plans {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p.seqs = e.sequences(r.op, p.id)
			}()
		}
	}
	wg.Wait()
}

// opRun selects the checks of one operation and builds their plans.
func (e *engine) opRun(op *specs.Operation) *opRun {
	r := &opRun{op: op}
	built := map[planID]*planRun{}
	for i := range registry {
		c := &registry[i]
		if e.opts.Checks != nil && !e.opts.Checks.MatchString(c.ID) || c.applies != nil && !c.applies(op) {
			continue
		}
		cr := &checkRun{check: c, skip: e.skipReason(c, op), tallies: map[planID]*tally{}}
		r.checks = append(r.checks, cr)
		if cr.skip != "" {
			continue
		}
		for _, id := range c.plans {
			if built[id] == nil {
				built[id] = &planRun{id: id, exclusive: exclusive(id), pending: map[int][]judged{}}
			}
			cr.tallies[id] = &tally{plan: id}
		}
		cr.left = len(cr.tallies)
	}
	for _, p := range planners {
		if pr := built[p.id]; pr != nil {
			r.plans = append(r.plans, pr)
		}
	}
	return r
}

// skipReason is why a check cannot run on op against this target, "" if it can.
func (e *engine) skipReason(c *Check, op *specs.Operation) string {
	if ruleOf(op, specs.RuleExists) != nil && e.target.BastionhostInstance == "" {
		return "the target declares no instance for " + op.ID + " (--bastionhost-instance ID)"
	}
	if c.requires != nil {
		return c.requires(&e.target, &e.opts, op)
	}
	return ""
}

// exclusive reports whether a plan runs alone (see planner).
func exclusive(id planID) bool {
	for _, p := range planners {
		if p.id == id {
			return p.exclusive
		}
	}
	return false
}

// sequences builds one plan's sequences for op.
func (e *engine) sequences(op *specs.Operation, id planID) []sequence {
	for i, p := range planners {
		if p.id != id {
			continue
		}
		return p.build(e.builder(op, id, i))
	}
	return nil
}

// builder prepares the cases of plan id for op: its seed and its unique
// names derive from (run seed, operation, plan) and the run's nonce;
// offset is the plan's place in the run order.
func (e *engine) builder(op *specs.Operation, id planID, offset int) *builder {
	return &builder{
		op: op, model: e.model, target: &e.target, opts: &e.opts, src: fuzzSource{},
		plan: id, seed: deriveSeed(e.opts.Seed, op.ID, id), offset: offset,
		names: fuzz.NewNames(deriveSeed(e.opts.Seed, op.ID, id+"/names") ^ nonceSeed(e.opts.Nonce)),
	}
}

// nonceSeed turns the run's nonce into a seed for names; 0 for no nonce.
func nonceSeed(nonce string) int64 {
	if nonce == "" {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(nonce))
	return int64(h.Sum64() >> 1)
}
