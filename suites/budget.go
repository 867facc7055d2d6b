package suites

import (
	"time"

	"github.com/acsconform/acsconform/runner"
)

// Budget assumptions: what one exchange is expected to take, and the slack
// a run gets over its expected duration before it is stopped.
const (
	expectedExchange = 5 * time.Millisecond
	budgetSlack      = time.Minute
	budgetFactor     = 3
)

// planned counts the requests the run's plans hold.
func (e *engine) planned() int {
	n := 0
	for _, r := range e.ops {
		for _, p := range r.plans {
			for _, seq := range p.seqs {
				n += len(seq.Steps)
			}
		}
	}
	return n
}

// expected is how long the run should take on a responsive target: the
// slowest operation (they run side by side), each its ordinary requests
// spread over its workers, or paced at half the documented rate over the
// accounts, plus the waits of its exclusive plans.
func (e *engine) expected() time.Duration {
	var longest time.Duration
	for _, r := range e.ops {
		longest = max(longest, e.expectedOp(r))
	}
	return longest
}

// expectedOp is how long one operation's traffic should take.
func (e *engine) expectedOp(r *opRun) time.Duration {
	var d time.Duration
	ordinary := 0
	for _, p := range r.plans {
		for _, seq := range p.seqs {
			if p.exclusive {
				d += sequenceTime(seq)
			} else {
				ordinary += len(seq.Steps)
			}
		}
	}
	d += time.Duration(ordinary) * expectedExchange / time.Duration(e.workers(r.op))
	if gap, ok := runner.PacedInterval(r.op); ok {
		d = max(d, time.Duration(ordinary)*gap/time.Duration(len(e.target.Accounts)))
	}
	return d
}

// sequenceTime is the waits and exchanges of one sequence sent in order.
func sequenceTime(seq sequence) time.Duration {
	var d time.Duration
	for _, st := range seq.Steps {
		d += st.Wait + expectedExchange
	}
	return d
}

// budget bounds the run's wall time: Options.MaxTime, else a slack over
// a multiple of the expected duration, so a hanging, trickling or
// throttling target ends the run in bounded time.
func (e *engine) budget() time.Duration {
	if e.opts.MaxTime > 0 {
		return e.opts.MaxTime
	}
	return (budgetSlack + budgetFactor*e.expected()).Round(time.Second)
}
