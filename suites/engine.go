package suites

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// Execute runs every selected check against target and returns the result.
// The error is for a run that could not happen (bad options, a spec that
// does not load, no credentials); everything the target does wrong is a
// finding in the result.
func Execute(ctx context.Context, target runner.Target, opts Options) (*results.Result, error) {
	o := opts.withDefaults()
	started := o.Now()
	if err := o.Shard.validate(); err != nil {
		return nil, err
	}
	model, err := specs.Load()
	if err != nil {
		return nil, fmt.Errorf("loading the specs: %w", err)
	}
	if len(target.Accounts) == 0 {
		return nil, errors.New("no credentials: declare at least one account")
	}
	ops, err := selectOps(model, o.Ops)
	if err != nil {
		return nil, err
	}
	e, err := newEngine(model, ops, target, o)
	if err != nil {
		return nil, err
	}
	defer e.client.Close()
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopWatch := context.AfterFunc(runCtx, func() { e.stop(ctx) })
	defer stopWatch()
	e.run(runCtx, started, cancel)
	res := e.result()
	res.Started, res.Duration = started, o.Now().Sub(started)
	return res, ctx.Err()
}

// stop records why the run stopped before its end: the caller's context
// ended (an interrupt), or the run's time budget did.
func (e *engine) stop(parent context.Context) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.finished {
		return
	}
	if parent.Err() != nil {
		e.stopped = "interrupted"
		return
	}
	e.stopped = "time budget of " + e.budget().String() + " reached (--max-time)"
}

// selectOps returns the model's operations named by ids, in model order.
func selectOps(model *specs.Model, ids []string) ([]*specs.Operation, error) {
	if len(ids) == 0 {
		return model.Operations, nil
	}
	want := map[string]bool{}
	for _, id := range ids {
		if _, ok := model.Operation(id); !ok {
			return nil, fmt.Errorf("unknown operation %q (want one of %s)", id, opIDs(model))
		}
		want[id] = true
	}
	var ops []*specs.Operation
	for _, op := range model.Operations {
		if want[op.ID] {
			ops = append(ops, op)
		}
	}
	return ops, nil
}

// opIDs lists the model's operation IDs, comma-separated.
func opIDs(model *specs.Model) string {
	s := ""
	for i, op := range model.Operations {
		if i > 0 {
			s += ", "
		}
		s += op.ID
	}
	return s
}

// engine holds one run: what to send, and the verdicts as they come in.
type engine struct {
	model   *specs.Model
	target  runner.Target
	opts    Options
	client  *runner.Client
	secrets *runner.Scrubber
	ops     []*opRun

	mu  sync.Mutex // guards the verdicts below and progress output
	ids *requestIDs
	// finished is set once every operation is done (the run-wide
	// verdicts are in); stopped says why the run stopped early, "" if
	// it did not.
	finished bool
	stopped  string
	// sent counts the exchanges filed, for progress lines.
	sent int64
	// done and total count the checks finished, for progress lines.
	done, total int
	// announced is set once the start line is out; held are the progress
	// lines written before it.
	announced bool
	held      []string

	// recordOnce builds recorded, Options.Declared as findings record it,
	// once (recordedDeclared).
	recordOnce sync.Once
	recorded   results.Declared
}

// opRun is one operation's checks and the plans they need.
type opRun struct {
	op      *specs.Operation
	planner *fuzz.Planner
	// refused says why none of op's cases was sent: the target does not
	// speak the protocol for it (preflight); "" when it does.
	refused string
	checks  []*checkRun
	plans   []*planRun
	// silent counts the exchanges in a row that got no complete answer;
	// at maxSilent the operation's remaining sequences are given up
	// (giveUp cancels them, and their plans are cut).
	silent atomic.Int32
	giveUp context.CancelFunc
	// rules tallies what the run showed about each rule (tallyRules); the
	// engine's mu guards it.
	rules map[string]*ruleCount
}

// maxSilent is how many exchanges in a row may get no complete answer
// before an operation's remaining sequences are given up: a target that
// hangs, trickles or refuses connections becomes findings and errored
// checks, not an endless run.
const maxSilent = 10

// checkRun is one check on one operation.
type checkRun struct {
	check *Check
	skip  string
	// scope is what its judgements of the operation's sequences share.
	scope judgeScope
	// reported is set once its progress line is written.
	reported bool
	// tallies are per plan, in the check's plan order.
	tallies map[fuzz.PlanID]*tally
	left    int // plans not yet complete
}

// tally accumulates one check's verdicts over one plan's sequences.
type tally struct {
	plan fuzz.PlanID
	// exchanges and conclusive count the exchanges judged and those a
	// verdict could rest on; firstUnanswered says what the first other
	// one got.
	exchanges, conclusive int
	firstUnanswered       string
	// sequences counts the sequences judged, unheld those whose
	// precondition did not hold (unheldReason: the first one's why).
	sequences, unheld  int
	unheldReason       string
	findings, warnings []results.Finding
	// causes counts every finding (kept or not) by root cause, in the
	// order the causes were first found.
	causes  []results.Cause
	dropped int
	elapsed time.Duration
	// origin is the sequence that produced findings[0] (what shrinking
	// starts from); nil while there is no finding.
	origin *sequence
	// timeline is a rate-limit check's (recordTimeline).
	timeline []results.TimelinePoint
	// full is set as findings and warnings reach MaxFindings (file).
	full fullness
}

// planRun is one plan's sequences for one operation as they are drawn,
// and the in-order delivery of their verdicts (sequences finish out of
// order).
type planRun struct {
	id        fuzz.PlanID
	exclusive bool
	// produced counts the sequences drawn, next the first not filed yet;
	// pending are those judged ahead of it.
	produced, next int
	pending        map[int]pendingSeq
	exchanges      int
	// finished is set once the plan has drawn all it will (cut: stopped
	// before the end); done once everything drawn is filed too.
	finished, cut, done bool
	// outOfShard counts the sequences drawn for other shards (shardStream).
	outOfShard atomic.Int32
}

// pendingSeq is a judged sequence waiting for the earlier ones.
type pendingSeq struct {
	seq      *sequence
	verdicts []judged
}

// judged is one check's verdict on one sequence.
type judged struct {
	check   *checkRun
	j       judging
	elapsed time.Duration
}

// job is one sequence to send: the idx-th of its plan.
type job struct {
	run  *opRun
	plan *planRun
	idx  int
	seq  fuzz.Sequence
}

// judging starts one check's judgement of one sequence and its exchanges.
func (e *engine) judging(c *Check, op *specs.Operation, seq *sequence, exs []runner.Exchange) *judging {
	j := scoped(e.scope(c, op))
	j.seq, j.exs = seq, exs
	return j
}

// scope is what every judgement of check c on op shares.
func (e *engine) scope(c *Check, op *specs.Operation) judgeScope {
	return judgeScope{
		check:    c.ID,
		model:    e.model,
		op:       op,
		replay:   func() string { return e.replay(c, op) },
		seed:     e.opts.Seed,
		strict:   e.opts.Strict,
		scrub:    e.secrets.Scrub,
		base:     e.client.BaseURL(op),
		accounts: len(e.target.Accounts),
		declared: e.recordedDeclared(),
	}
}

// recordedDeclared is Options.Declared as findings record it, built on
// the first call and shared by every finding (none changes it).
func (e *engine) recordedDeclared() results.Declared {
	e.recordOnce.Do(func() { e.recorded = declared(e.opts.Declared) })
	return e.recorded
}

// begin counts the checks and reports the skipped ones; their lines are
// held until the start line is out (announce).
func (e *engine) begin() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, r := range e.ops {
		e.total += len(r.checks)
	}
	for _, r := range e.ops {
		for _, cr := range r.checks {
			if cr.skip != "" {
				e.checkDone(r, cr)
			}
		}
	}
}

// pacedNote is what the start line says of the operations whose traffic
// is paced, "" when the run has none: their number of cases per plan.
func (e *engine) pacedNote() string {
	var ids []string
	for _, r := range e.ops {
		if paced(r.op) {
			ids = append(ids, r.op.ID)
		}
	}
	if len(ids) == 0 {
		return ""
	}
	return fmt.Sprintf("; %s paced: %d cases per plan (--paced-examples)", strings.Join(ids, ", "), e.opts.PacedExamples)
}

// announce writes the start line, once the plans are counted, and then
// the progress lines held until then.
func (e *engine) announce() {
	e.mu.Lock()
	defer e.mu.Unlock()
	ids := make([]string, len(e.ops))
	for i, r := range e.ops {
		ids[i] = r.op.ID
	}
	e.announced = true
	e.progressf("acsconform: %d checks on %s against %s, seed %d: %d requests planned, about %s expected, stopping after %s at most%s\n",
		e.total, strings.Join(ids, ", "), e.targetName(), e.opts.Seed, e.planned(), e.expected().Round(time.Second), e.budget(), e.pacedNote())
	for _, line := range e.held {
		e.progressf("%s", line)
	}
	e.held = nil
}
