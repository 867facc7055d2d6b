package suites

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// Execute runs every selected check against target and returns the result.
// The error is for a run that could not happen (bad options, a spec that
// does not load, no credentials); everything the target does wrong is a
// finding in the result.
func Execute(ctx context.Context, target runner.Target, opts Options) (*Result, error) {
	o := opts.withDefaults()
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
	started := o.Now()
	defer e.client.Close()
	e.run(ctx)
	res := e.result()
	res.Started, res.Duration = started, o.Now().Sub(started)
	return res, ctx.Err()
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
	secrets *scrubber
	ops     []*opRun

	mu  sync.Mutex // guards the verdicts below and progress output
	ids map[string]*idUse
	// done and total count the checks finished, for progress lines.
	done, total int
}

// opRun is one operation's checks and the plans they need.
type opRun struct {
	op     *specs.Operation
	checks []*checkRun
	plans  []*planRun
	// silent counts the exchanges in a row that got no response; at
	// maxSilent the operation's remaining sequences are given up (giveUp
	// cancels them) and unsent counts them.
	silent atomic.Int32
	giveUp context.CancelFunc
	unsent atomic.Int32
}

// maxSilent is how many exchanges in a row may get no response at all
// before an operation's remaining sequences are given up: a target that
// hangs or refuses connections becomes findings, not an endless run.
const maxSilent = 25

// checkRun is one check on one operation.
type checkRun struct {
	check *Check
	skip  string
	// tallies are per plan, in the check's plan order.
	tallies map[planID]*tally
	left    int // plans not yet complete
}

// tally accumulates one check's verdicts over one plan's sequences.
type tally struct {
	exchanges          int
	findings, warnings []Finding
	dropped            int
	elapsed            time.Duration
}

// planRun is one plan's sequences for one operation, and the in-order
// delivery of their verdicts (sequences finish out of order).
type planRun struct {
	id        planID
	exclusive bool
	seqs      []sequence
	next      int
	pending   map[int][]judged
	exchanges int
}

// judged is one check's verdict on one sequence.
type judged struct {
	check   *checkRun
	j       *judging
	elapsed time.Duration
}

// idUse counts one RequestId's occurrences, per operation.
type idUse struct {
	count int
	ops   map[string]bool
}

// job is one sequence to send.
type job struct {
	run  *opRun
	plan *planRun
	idx  int
}

// run sends every operation's sequences, the operations side by side:
// each operation's ordinary plans by its own workers, then its exclusive
// ones (bursts, quota) one at a time, so that deliberate bursts never
// throttle its ordinary traffic and a paced operation never holds back
// the others.
func (e *engine) run(ctx context.Context) {
	e.start()
	var wg sync.WaitGroup
	for _, r := range e.ops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.runOp(ctx, r)
		}()
	}
	wg.Wait()
}

// runOp sends one operation's sequences.
func (e *engine) runOp(ctx context.Context, r *opRun) {
	ctx, r.giveUp = context.WithCancel(ctx)
	defer r.giveUp()
	ordinary, exclusive := e.jobs(r)
	jobs := make(chan job)
	var wg sync.WaitGroup
	for w := 0; w < e.workers(r.op); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for jb := range jobs {
				e.do(ctx, jb)
			}
		}()
	}
	sent := 0
	for _, jb := range ordinary {
		if ctx.Err() != nil {
			break
		}
		jobs <- jb
		sent++
	}
	close(jobs)
	wg.Wait()
	for _, jb := range exclusive {
		if ctx.Err() != nil {
			break
		}
		e.do(ctx, jb)
		sent++
	}
	r.unsent.Add(int32(len(ordinary) + len(exclusive) - sent))
}

// workers is how many sequences of op go out at once: Options.Workers, and
// for an operation with a rate limit at least one per account, since its
// traffic is paced per account and mostly waits.
func (e *engine) workers(op *specs.Operation) int {
	if op.RateLimit != nil && len(e.target.Accounts) > e.opts.Workers {
		return len(e.target.Accounts)
	}
	return e.opts.Workers
}

// jobs lists an operation's sequences, ordinary ones interleaved across
// plans so that every plan progresses and reports early.
func (e *engine) jobs(r *opRun) (ordinary, exclusive []job) {
	var queues [][]job
	for _, p := range r.plans {
		var q []job
		for i := range p.seqs {
			q = append(q, job{run: r, plan: p, idx: i})
		}
		if p.exclusive {
			exclusive = append(exclusive, q...)
		} else {
			queues = append(queues, q)
		}
	}
	for more := true; more; {
		more = false
		for i, q := range queues {
			if len(q) > 0 {
				ordinary = append(ordinary, q[0])
				queues[i] = q[1:]
				more = true
			}
		}
	}
	return ordinary, exclusive
}

// do sends one sequence and judges it with every check that reads its plan.
func (e *engine) do(ctx context.Context, jb job) {
	seq := &jb.plan.seqs[jb.idx]
	exs := e.send(ctx, jb.run.op, seq)
	e.listen(jb.run, exs, len(seq.Steps))
	var verdicts []judged
	for _, cr := range jb.run.checks {
		if cr.skip != "" || cr.tallies[jb.plan.id] == nil {
			continue
		}
		j := e.judging(cr.check, jb.run.op, seq)
		cr.check.judge(j, seq, exs)
		verdicts = append(verdicts, judged{check: cr, j: j, elapsed: elapsed(exs)})
	}
	e.deliver(jb, verdicts, len(exs))
}

// listen tracks whether the target still answers the operation, and gives
// up its remaining sequences once it has not for maxSilent exchanges.
func (e *engine) listen(r *opRun, exs []runner.Exchange, steps int) {
	if len(exs) < steps {
		r.unsent.Add(1)
	}
	for _, ex := range exs {
		if ex.Status != 0 {
			r.silent.Store(0)
			continue
		}
		if r.silent.Add(1) >= maxSilent {
			r.giveUp()
		}
	}
}

// elapsed sums the exchanges' durations.
func elapsed(exs []runner.Exchange) time.Duration {
	var d time.Duration
	for _, ex := range exs {
		d += ex.Duration
	}
	return d
}

// send sends a sequence's steps in order: paced unless a step bursts,
// after its wait, stopping early only when the run is cancelled.
func (e *engine) send(ctx context.Context, op *specs.Operation, seq *sequence) []runner.Exchange {
	exs := make([]runner.Exchange, 0, len(seq.Steps))
	for i := range seq.Steps {
		st := &seq.Steps[i]
		if !sleep(ctx, st.Wait) {
			break
		}
		so := runner.SendOptions{Account: st.Account, Signature: st.Signature, Tamper: st.Tamper, Burst: st.Burst}
		if st.Tamper == runner.TamperReusedNonce && i > 0 {
			so.Nonce = nonceOf(&exs[i-1])
		}
		exs = append(exs, e.client.Send(ctx, op, st.Request, so))
		if ctx.Err() != nil {
			break
		}
	}
	return exs
}

// nonceOf is the signature nonce an exchange was sent with (V3 header or
// V1 query parameter), "" when it has none.
func nonceOf(ex *runner.Exchange) string {
	if n := ex.Header.Get("x-acs-signature-nonce"); n != "" {
		return n
	}
	if u, err := url.Parse(ex.URL); err == nil {
		return u.Query().Get("SignatureNonce")
	}
	return ""
}

// sleep waits d or until ctx ends; false when ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// judging starts one check's judgement of one sequence.
func (e *engine) judging(c *Check, op *specs.Operation, seq *sequence) *judging {
	return &judging{
		check:  c.ID,
		op:     op,
		replay: e.replay(c, op),
		seed:   e.opts.Seed,
		strict: e.opts.Strict,
		scrub:  e.secrets.with(op, seq).scrub,
	}
}

// deliver files a sequence's verdicts in sequence order, so that which
// findings are kept never depends on scheduling.
func (e *engine) deliver(jb job, verdicts []judged, exchanges int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := jb.plan
	p.pending[jb.idx] = verdicts
	p.exchanges += exchanges
	for {
		vs, ok := p.pending[p.next]
		if !ok {
			break
		}
		delete(p.pending, p.next)
		p.next++
		for _, v := range vs {
			e.file(v.check.tallies[p.id], v)
		}
	}
	if p.next == len(p.seqs) {
		e.planDone(jb.run, p)
	}
}

// file adds one sequence's verdict to a tally, keeping at most MaxFindings.
func (e *engine) file(t *tally, v judged) {
	t.exchanges += v.j.exchanges
	t.elapsed += v.elapsed
	t.findings, t.dropped = keep(t.findings, v.j.findings, e.opts.MaxFindings, t.dropped)
	t.warnings, _ = keep(t.warnings, v.j.warnings, e.opts.MaxFindings, 0)
	for _, id := range v.j.ids {
		u := e.ids[id]
		if u == nil {
			u = &idUse{ops: map[string]bool{}}
			e.ids[id] = u
		}
		u.count++
		u.ops[v.j.op.ID] = true
	}
}

// keep appends add to kept up to max, counting the rest in dropped.
func keep(kept, add []Finding, max, dropped int) ([]Finding, int) {
	room := max - len(kept)
	if room < 0 {
		room = 0
	}
	if len(add) > room {
		dropped += len(add) - room
		add = add[:room]
	}
	return append(kept, add...), dropped
}

// planDone reports progress for each check whose last plan it was.
func (e *engine) planDone(r *opRun, p *planRun) {
	for _, cr := range r.checks {
		if cr.tallies[p.id] == nil {
			continue
		}
		if cr.left--; cr.left == 0 {
			e.checkDone(r, cr)
		}
	}
}

// checkDone writes a progress line for a finished (or skipped) check.
func (e *engine) checkDone(r *opRun, cr *checkRun) {
	e.done++
	c := e.checkResult(cr)
	width := len(itoa(e.total))
	line := fmt.Sprintf("[%*d/%d] %s/%s %s", width, e.done, e.total, r.op.ID, c.Check, c.Status)
	if c.Status == Skipped {
		line += ": " + c.SkipReason
	} else {
		line += fmt.Sprintf(" (%d exchanges, %d findings, %d warnings)", c.Exchanges, len(c.Findings)+c.Dropped, len(c.Warnings))
	}
	e.progressf("%s\n", line)
}

// progressf writes one progress line; the caller holds e.mu.
func (e *engine) progressf(format string, args ...any) {
	if e.opts.Progress != nil {
		fmt.Fprintf(e.opts.Progress, format, args...)
	}
}

// sortedIDs returns the RequestIds seen more than once, in order.
func (e *engine) repeatedIDs() []string {
	var ids []string
	for id, u := range e.ids {
		if u.count > 1 {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// start reports the skipped checks and completes the plans that have no
// sequence at all (the generators built none), so their checks still report.
func (e *engine) start() {
	e.mu.Lock()
	defer e.mu.Unlock()
	var ids []string
	for _, r := range e.ops {
		e.total += len(r.checks)
		ids = append(ids, r.op.ID)
	}
	e.progressf("acsconform: %d checks on %s against %s, seed %d\n", e.total, strings.Join(ids, ", "), e.targetName(), e.opts.Seed)
	for _, r := range e.ops {
		for _, cr := range r.checks {
			if cr.skip != "" {
				e.checkDone(r, cr)
			}
		}
		for _, p := range r.plans {
			if len(p.seqs) == 0 {
				e.planDone(r, p)
			}
		}
	}
}
