package suites

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

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
	e.runDone()
}

// runOp sends one operation's sequences: the exclusive plans (rate limit,
// quota) beside the ordinary traffic when they have accounts of their own,
// else after it, its findings shrunk first (the quota fills accounts). A
// target that does not speak the protocol for the operation (preflight)
// gets none of them.
func (e *engine) runOp(ctx context.Context, r *opRun) {
	defer e.opDone(r)
	ctx, r.giveUp = context.WithCancel(ctx)
	defer r.giveUp()
	if r.refused = e.preflight(ctx, r); r.refused != "" {
		return
	}
	ordinary, exclusive := e.jobs(r)
	var aside sync.WaitGroup
	var asideSent atomic.Int32
	if r.planner.Reserved() {
		e.runAside(ctx, exclusive, &aside, &asideSent)
	}
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
	e.shrinkOp(ctx, r)
	if r.planner.Reserved() {
		aside.Wait()
		sent += int(asideSent.Load())
	} else {
		sent += e.runAlone(ctx, exclusive)
	}
	r.unsent.Add(int32(len(ordinary) + len(exclusive) - sent))
}

// runAlone sends the exclusive plans' sequences one at a time and returns
// how many it sent: on shared accounts their bursts must not throttle
// ordinary traffic, and the quota fills an account.
func (e *engine) runAlone(ctx context.Context, exclusive []job) int {
	sent := 0
	for _, jb := range exclusive {
		if ctx.Err() != nil {
			break
		}
		e.do(ctx, jb)
		sent++
	}
	return sent
}

// runAside sends each exclusive plan beside the ordinary traffic, on the
// accounts reserved for it (fuzz.Planner.Reserved), its sequences in order:
// the rate-limit windows overlap with other work.
func (e *engine) runAside(ctx context.Context, exclusive []job, wg *sync.WaitGroup, sent *atomic.Int32) {
	byPlan := map[*planRun][]job{}
	var order []*planRun
	for _, jb := range exclusive {
		if byPlan[jb.plan] == nil {
			order = append(order, jb.plan)
		}
		byPlan[jb.plan] = append(byPlan[jb.plan], jb)
	}
	for _, p := range order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sent.Add(int32(e.runAlone(ctx, byPlan[p])))
		}()
	}
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
		j := e.judging(cr.check, jb.run.op, seq, exs)
		cr.check.judge(j, seq, exs)
		recordTimeline(cr.check, jb.run.op, seq, exs, j)
		verdicts = append(verdicts, judged{check: cr, j: j, elapsed: elapsed(exs)})
	}
	e.tallyRules(jb.run, seq, exs, verdicts)
	e.deliver(jb, verdicts, len(exs))
}

// listen tracks whether the target still answers the operation completely
// (a timeout, a reset or a truncated body is no answer), and gives up its
// remaining sequences once it has not for maxSilent exchanges in a row.
func (e *engine) listen(r *opRun, exs []runner.Exchange, steps int) {
	if len(exs) < steps {
		r.unsent.Add(1)
	}
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
