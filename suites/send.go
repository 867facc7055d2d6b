package suites

import (
	"context"
	"iter"
	"sync"
	"time"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// run sends every operation's sequences, the operations side by side:
// each operation's ordinary plans by its own workers, then its exclusive
// ones (bursts, quota) one at a time, so that deliberate bursts never
// throttle its ordinary traffic and a paced operation never holds back
// the others.
//
// The plans are counted meanwhile (counting draws the boundary lists, the
// largest cost before the first request): then the start line goes out,
// progress reports begin, and the time budget, from started, is armed
// (expire ends the run).
func (e *engine) run(ctx context.Context, started time.Time, expire context.CancelFunc) {
	e.begin()
	counted := make(chan struct{})
	var budget *time.Timer
	go func() {
		defer close(counted)
		e.countPlans()
		e.announce()
		budget = time.AfterFunc(e.budget()-time.Since(started), expire)
	}()
	progress, stopProgress := context.WithCancel(ctx)
	reported := make(chan struct{})
	go func() {
		defer close(reported)
		select {
		case <-counted:
			e.reportProgress(progress, started)
		case <-progress.Done():
		}
	}()
	var wg sync.WaitGroup
	for _, r := range e.ops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.runOp(ctx, r)
		}()
	}
	wg.Wait()
	<-counted
	defer budget.Stop()
	// Shrinking comes last, when nothing else draws cases: rapid's
	// settings are process-wide, and a shrink sets them.
	for _, r := range e.ops {
		e.shrinkOp(ctx, r)
	}
	stopProgress()
	<-reported
	e.runDone()
}

// runOp sends one operation's sequences as its plans draw them: the
// exclusive plans (rate limit, quota) beside the ordinary traffic when
// they have accounts of their own, else after it, its findings shrunk
// first (the quota fills accounts). A target that does not speak the
// protocol for the operation (preflight) gets none of them.
func (e *engine) runOp(ctx context.Context, r *opRun) {
	defer e.opDone(r)
	ctx, r.giveUp = context.WithCancel(ctx)
	defer r.giveUp()
	if r.refused = e.preflight(ctx, r); r.refused != "" {
		e.cutAll(r)
		return
	}
	var ordinary, exclusive []*planRun
	for _, p := range r.plans {
		if p.exclusive {
			exclusive = append(exclusive, p)
		} else {
			ordinary = append(ordinary, p)
		}
	}
	var aside sync.WaitGroup
	if r.planner.Reserved() {
		for _, p := range exclusive {
			aside.Add(1)
			go func() {
				defer aside.Done()
				e.runAlone(ctx, r, p)
			}()
		}
	}
	e.runOrdinary(ctx, r, ordinary)
	aside.Wait()
	if !r.planner.Reserved() {
		for _, p := range exclusive {
			e.runAlone(ctx, r, p)
		}
	}
}

// runOrdinary sends the ordinary plans' sequences by the operation's
// workers as they are drawn, the plans interleaved so that every plan
// progresses and reports early; at most the workers' sequences are held
// at once, whatever the operation's number of examples.
func (e *engine) runOrdinary(ctx context.Context, r *opRun, plans []*planRun) {
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
	streams := make([]func() (fuzz.Sequence, bool), len(plans))
	for i, p := range plans {
		next, stop := iter.Pull(e.shardStream(r, p))
		defer stop()
		streams[i] = next
	}
	for live := len(plans); live > 0 && ctx.Err() == nil; {
		live = 0
		for i, p := range plans {
			if streams[i] == nil || ctx.Err() != nil {
				continue
			}
			seq, ok := streams[i]()
			if !ok {
				streams[i] = nil
				e.drawn(r, p)
				continue
			}
			live++
			jobs <- e.newJob(r, p, seq)
		}
	}
	close(jobs)
	wg.Wait()
	e.cutAll(r)
}

// runAlone sends one plan's sequences one at a time, as they are drawn:
// an exclusive plan's calls must follow each other (a burst, a window).
func (e *engine) runAlone(ctx context.Context, r *opRun, p *planRun) {
	for seq := range e.shardStream(r, p) {
		if ctx.Err() != nil {
			e.cut(r, p)
			return
		}
		e.do(ctx, e.newJob(r, p, seq))
	}
	e.drawn(r, p)
}

// newJob numbers the next sequence of plan p.
func (e *engine) newJob(r *opRun, p *planRun, seq fuzz.Sequence) job {
	e.mu.Lock()
	defer e.mu.Unlock()
	idx := p.produced
	p.produced++
	return job{run: r, plan: p, idx: idx, seq: seq}
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

// do sends one sequence and judges it with every check that reads its plan.
func (e *engine) do(ctx context.Context, jb job) {
	s := e.expect(jb.run.op, jb.seq)
	seq := &s
	exs := answeredBeforeStop(ctx, e.send(ctx, jb.run.op, seq))
	e.listen(jb.run, exs)
	verdicts := make([]judged, 0, len(jb.run.checks)) // one allocation for every judgement
	for _, cr := range jb.run.checks {
		t := cr.tallies[jb.plan.id]
		if cr.skip != "" || t == nil {
			continue
		}
		verdicts = append(verdicts, judged{check: cr, j: judging{judgeScope: &cr.scope, seq: seq, exs: exs, full: &t.full}, elapsed: elapsed(exs)})
		j := &verdicts[len(verdicts)-1].j
		cr.check.judge(j, seq, exs)
		recordTimeline(cr.check, jb.run.op, seq, exs, j)
	}
	e.tallyRules(jb.run, seq, exs, verdicts)
	e.deliver(jb, seq, verdicts, len(exs))
}

// answeredBeforeStop drops, once the run has stopped (an interrupt, the
// time budget, a silent operation given up), the exchanges from the first
// one the stop cut short: the target did nothing wrong there, and the
// sequence is judged on what came back before.
func answeredBeforeStop(ctx context.Context, exs []runner.Exchange) []runner.Exchange {
	if ctx.Err() == nil {
		return exs
	}
	for i := range exs {
		if exs[i].Status == 0 || exs[i].Err != "" {
			return exs[:i]
		}
	}
	return exs
}

// listen tracks whether the target still answers the operation completely
// (a timeout, a reset or a truncated body is no answer), and gives up its
// remaining sequences once it has not for maxSilent exchanges in a row.
func (e *engine) listen(r *opRun, exs []runner.Exchange) {
	for _, ex := range exs {
		if ex.Status != 0 && ex.Err == "" {
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

// send sends a sequence's steps in order, each after its wait (paced
// unless it bursts); a run of steps marked Together goes out at once and
// its exchanges keep the steps' order. It stops early only when the run
// is cancelled.
func (e *engine) send(ctx context.Context, op *specs.Operation, seq *sequence) []runner.Exchange {
	exs := make([]runner.Exchange, 0, len(seq.Steps))
	for i := 0; i < len(seq.Steps); {
		if runner.Sleep(ctx, seq.Steps[i].Wait) != nil {
			break
		}
		n := together(seq.Steps[i:])
		exs = append(exs, e.sendAll(ctx, op, seq.Steps[i:i+n], exs)...)
		i += n
		if ctx.Err() != nil {
			break
		}
	}
	return exs
}

// together is how many steps from the first go out at once: the run of
// steps marked Together, or the first step alone.
func together(steps []step) int {
	n := 1
	for steps[0].Together && n < len(steps) && steps[n].Together && steps[n].Wait == 0 {
		n++
	}
	return n
}

// sendAll sends steps at once (one step: directly) and returns their
// exchanges in order; before are the sequence's earlier exchanges.
func (e *engine) sendAll(ctx context.Context, op *specs.Operation, steps []step, before []runner.Exchange) []runner.Exchange {
	out := make([]runner.Exchange, len(steps))
	if len(steps) == 1 {
		out[0] = e.sendStep(ctx, op, &steps[0], before)
		return out
	}
	var wg sync.WaitGroup
	for i := range steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = e.sendStep(ctx, op, &steps[i], before)
		}()
	}
	wg.Wait()
	return out
}

// maxResends bounds how many times an ordinary step the target throttled
// is sent again.
const maxResends = 3

// throttleBackoff is the first wait before resending a throttled step of
// an operation without a documented rate limit (the pacer slows the lanes
// of the others); it doubles with each resend.
const throttleBackoff = 500 * time.Millisecond

// sendStep sends one step. An ordinary step (not a burst, not a signature
// fault) that the target throttles is "try again later": the account's
// paced traffic slows down and the step goes again, at most maxResends
// times, so a target throttling below its documented rate still gets its
// run (rate-limit-not-premature, whose calls burst, reports it).
func (e *engine) sendStep(ctx context.Context, op *specs.Operation, st *step, before []runner.Exchange) runner.Exchange {
	so := sendOptions(st, before)
	ex := e.client.Send(ctx, op, st.Request, so)
	if st.Burst || st.Tamper != wire.TamperNone {
		return ex
	}
	for try := 0; try < maxResends && ctx.Err() == nil && throttleAttempt(e.model, &ex, st.Request.Format); try++ {
		e.client.Throttled(op, st.Account)
		if op.RateLimit == nil && runner.Sleep(ctx, throttleBackoff<<try) != nil {
			break
		}
		ex = e.client.Send(ctx, op, st.Request, so)
	}
	return ex
}

// sendOptions says how to send a step; a reused nonce is the previous
// exchange's.
func sendOptions(st *step, before []runner.Exchange) runner.SendOptions {
	so := runner.SendOptions{Account: st.Account, Signature: st.Signature, Tamper: st.Tamper, Burst: st.Burst}
	if st.Tamper == wire.TamperReusedNonce && len(before) > 0 {
		so.Nonce = before[len(before)-1].Nonce
	}
	return so
}
