package suites

import (
	"time"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/runner"
)

// Budget assumptions: what one exchange is expected to take, and the slack
// a run gets over its expected duration before it is stopped.
const (
	expectedExchange = 5 * time.Millisecond
	budgetSlack      = time.Minute
	budgetFactor     = 3
)

// planned counts the requests the run's plans hold, at most.
func (e *engine) planned() int {
	n := 0
	for _, r := range e.ops {
		for _, p := range r.plans {
			n += e.plannedIn(r, p)
		}
	}
	return n
}

// expected is how long the run should take on a responsive target: the
// slowest operation (they run side by side), each its ordinary requests
// spread over its workers, or paced just under the documented rate over
// the accounts, with the windows of its exclusive plans after them when
// they share the accounts, beside them when not.
func (e *engine) expected() time.Duration {
	var longest time.Duration
	for _, r := range e.ops {
		longest = max(longest, e.expectedOp(r))
	}
	return longest
}

// expectedOp is how long one operation's traffic should take: with
// accounts reserved for them, the exclusive plans run beside each other
// and beside the ordinary traffic; without, one after the other, after it.
func (e *engine) expectedOp(r *opRun) time.Duration {
	ordinary, exclusive, longest := 0, time.Duration(0), time.Duration(0)
	for _, p := range r.plans {
		n := e.plannedIn(r, p)
		var d time.Duration
		switch {
		case !p.exclusive:
			ordinary += n
			continue
		case r.op.RateLimit != nil && p.id != fuzz.PlanQuota:
			d = 2 * r.op.RateLimit.Per
		default:
			d = time.Duration(n) * expectedExchange
		}
		exclusive, longest = exclusive+d, max(longest, d)
	}
	d := time.Duration(ordinary) * expectedExchange / time.Duration(e.workers(r.op))
	if gap, ok := runner.PacedInterval(r.op); ok {
		d = max(d, time.Duration(ordinary)*gap/time.Duration(r.planner.OrdinaryAccounts()))
	}
	if r.planner.Reserved() {
		return max(d, longest)
	}
	return d + exclusive
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
