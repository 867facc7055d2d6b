package runner

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/acsconform/acsconform/specs"
)

// Pacer keeps ordinary traffic to an operation with a documented rate limit
// under that rate, per account (or per operation when the limit's Scope is
// not "account"): a spacing of 1.1*Per/Calls between calls stays under the
// limit whether the target counts in fixed windows, sliding windows or a
// token bucket, and a lane the target throttles all the same slows down
// (Throttled). The rate-limit checks escape it with Burst;
// while a burst runs, paced calls wait, and they resume one Per after it
// ends, when every reading of the limit has recovered. A Pacer is safe for
// concurrent use; every wait ends when its context does.
type Pacer struct {
	mu    sync.Mutex
	lanes map[string]*lane
	now   func() time.Time
}

// lane is the pacing state of one (operation, account).
type lane struct {
	next      time.Time     // earliest start of the next paced call
	inflight  int           // paced calls admitted and not yet done
	bursting  int           // burst calls running
	waiting   int           // burst calls waiting for paced calls to finish
	changed   chan struct{} // closed and replaced when inflight or bursting drops
	burstDone time.Time     // end of the last burst
	slowdown  int           // the spacing is doubled this many times (Throttled)
	calm      int           // paced slots taken since the last slowdown or recovery step
}

// NewPacer returns a Pacer with no history.
func NewPacer() *Pacer {
	return &Pacer{lanes: map[string]*lane{}, now: time.Now}
}

// PacedInterval is the spacing of paced calls to op (per account, or per
// operation when the limit's Scope is not "account"): the limit's
// SafeInterval, the highest rate every reading of the limit (fixed
// windows, sliding windows, a token bucket) guarantees safe; a
// target that throttles earlier slows its lane down (Throttled). ok is
// false when op has no usable rate limit.
func PacedInterval(op *specs.Operation) (time.Duration, bool) {
	gap := op.RateLimit.SafeInterval()
	return gap, gap > 0
}

// maxSlowdown bounds how many times Throttled halves a lane's rate.
const maxSlowdown = 3

// recoverWindows is how many windows' worth of paced calls a slowed lane
// must take without being throttled before its rate doubles again, one
// step at a time: a throttle that came from a passing delay (a loaded
// machine bunching calls together) does not slow a whole run down.
const recoverWindows = 2

// Throttled records that a paced call of account to op was throttled all
// the same: the lane's rate halves (down to an eighth) and its next call
// waits a whole period, so that ordinary traffic to a target throttling
// below its documented rate slows down instead of failing. After
// recoverWindows windows' worth of calls with no throttle the rate
// doubles again, back up to the safe rate. For an operation without a
// rate limit it does nothing.
func (p *Pacer) Throttled(op *specs.Operation, account string) {
	if _, ok := PacedInterval(op); !ok {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.lane(laneKey(op, account))
	l.slowdown = min(l.slowdown+1, maxSlowdown)
	l.calm = 0
	if quiet := p.now().Add(op.RateLimit.Per); quiet.After(l.next) {
		l.next = quiet
	}
}

func laneKey(op *specs.Operation, account string) string {
	if op.RateLimit.Scope == "account" {
		return op.ID + "\x00" + account
	}
	return op.ID
}

func (p *Pacer) lane(key string) *lane {
	l := p.lanes[key]
	if l == nil {
		l = &lane{changed: make(chan struct{})}
		p.lanes[key] = l
	}
	return l
}

// signal wakes every waiter of l; the caller holds p.mu.
func (l *lane) signal() {
	close(l.changed)
	l.changed = make(chan struct{})
}

// Wait blocks until a paced call to op by account may go out and returns
// done, to call once its response has arrived. For an operation without a
// rate limit it returns at once. The error is the context's, or says the
// call's slot lies past the context's deadline.
func (p *Pacer) Wait(ctx context.Context, op *specs.Operation, account string) (done func(), err error) {
	gap, ok := PacedInterval(op)
	if !ok {
		return func() {}, nil
	}
	key := laneKey(op, account)
	for {
		at, changed, err := p.reserve(ctx, key, gap, op.RateLimit.Per)
		if err != nil {
			return nil, err
		}
		if changed != nil {
			if err := waitFor(ctx, changed); err != nil {
				return nil, err
			}
			continue
		}
		if err := p.sleepUntil(ctx, at); err != nil {
			p.finish(key, false)
			return nil, err
		}
		return func() { p.finish(key, false) }, nil
	}
}

// reserve takes the next slot of the lane, or returns the channel to wait
// on while a burst runs or waits.
func (p *Pacer) reserve(ctx context.Context, key string, gap, per time.Duration) (time.Time, chan struct{}, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.lane(key)
	if l.bursting > 0 || l.waiting > 0 {
		return time.Time{}, l.changed, nil
	}
	at := p.now()
	if l.next.After(at) {
		at = l.next
	}
	if quiet := l.burstDone.Add(per); !l.burstDone.IsZero() && quiet.After(at) {
		at = quiet
	}
	if deadline, ok := ctx.Deadline(); ok && at.After(deadline) {
		return time.Time{}, nil, fmt.Errorf("the next slot is %v away, past the deadline", at.Sub(p.now()).Round(time.Millisecond))
	}
	l.next = at.Add(gap << l.slowdown)
	l.inflight++
	l.recover(recoverWindows * int(per/gap))
	return at, nil, nil
}

// recover counts a paced slot taken and, once after calls of them no
// throttle came, doubles a slowed lane's rate again; the caller holds p.mu.
func (l *lane) recover(calls int) {
	if l.slowdown == 0 {
		return
	}
	if l.calm++; l.calm >= calls {
		l.slowdown--
		l.calm = 0
	}
}

// Burst admits a deliberate burst call to op by account, unpaced, once no
// paced call is in flight; done must be called when its response arrived.
// For an operation without a rate limit it returns at once.
func (p *Pacer) Burst(ctx context.Context, op *specs.Operation, account string) (done func(), err error) {
	if _, ok := PacedInterval(op); !ok {
		return func() {}, nil
	}
	key := laneKey(op, account)
	p.mu.Lock()
	l := p.lane(key)
	l.waiting++
	for l.inflight > 0 {
		changed := l.changed
		p.mu.Unlock()
		err := waitFor(ctx, changed)
		p.mu.Lock()
		if err != nil {
			l.waiting--
			l.signal()
			p.mu.Unlock()
			return nil, err
		}
	}
	l.waiting--
	l.bursting++
	p.mu.Unlock()
	return func() { p.finish(key, true) }, nil
}

// finish ends a paced or burst call and wakes the waiters.
func (p *Pacer) finish(key string, burst bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.lanes[key]
	if burst {
		l.bursting--
		l.burstDone = p.now()
	} else {
		l.inflight--
	}
	l.signal()
}

func waitFor(ctx context.Context, ch <-chan struct{}) error {
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// sleepUntil waits until at on the pacer's clock, or until ctx ends.
func (p *Pacer) sleepUntil(ctx context.Context, at time.Time) error {
	return Sleep(ctx, at.Sub(p.now()))
}

// Sleep waits d, or until ctx ends and then returns its error; a d of zero
// or less only reports whether ctx has ended.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
