package suites

import (
	"fmt"
	"strings"
	"time"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// judgeRetry: after a create of X is rejected, a valid create of X is
// accepted. A first create the target accepted (a reading may allow it)
// proves nothing and is not judged further.
func judgeRetry(j *judging, seq *sequence, exs []runner.Exchange) {
	for i := range exs {
		if !j.count(&exs[i]) {
			j.unheld(fmt.Sprintf("step %d not answered: %s", i+1, unanswered(&exs[i])))
			return
		}
	}
	if len(exs) < 2 {
		return
	}
	if exs[0].Status == 200 {
		j.unheld("the create meant to be rejected (" + seq.Steps[0].Label + ") was accepted")
		return
	}
	if actual := conforms(&seq.Steps[1], &exs[1]); actual != "" {
		j.fail(&seq.Steps[1], &exs[1], j.op.RuleOfKind(specs.RuleUnique),
			fmt.Sprintf("HTTP 200 after the rejected create (HTTP %d): a rejected create leaves no trace", exs[0].Status), actual)
	}
}

// judgeRateEnforced: a burst over the documented rate, sent all at once
// and answered within one window, is throttled at least once with the documented status and code,
// and no more calls are accepted than the most lenient reading allows
// (twice the limit: a fixed window's boundary may fall inside the burst).
func judgeRateEnforced(j *judging, seq *sequence, exs []runner.Exchange) {
	rl, rule := j.op.RateLimit, j.op.RateLimitRule()
	accepted, throttled := 0, 0
	burst := withRole(seq, exs, fuzz.RoleBurst)
	seq, exs = burst.seq, burst.exs
	countAnswers := func(_ int, _ *step, ex *runner.Exchange) bool {
		if ex.Status == 200 {
			accepted++
		} else {
			throttled++
		}
		return true
	}
	if !j.rateSteps(seq, exs, rule, countAnswers) || len(exs) == 0 {
		return
	}
	last := len(exs) - 1
	if span := longest(exs); span > rl.Per {
		j.warn(&seq.Steps[last], &exs[last], rule, fmt.Sprintf("a burst of %d calls within %s", len(exs), rl.Per),
			fmt.Sprintf("the burst took %s, longer than the window: nothing concluded", span.Round(1e6)))
		return
	}
	if throttled == 0 {
		j.fail(&seq.Steps[last], &exs[last], rule, fmt.Sprintf("at least one of %d calls sent within %s throttled: %s", len(exs), rl.Per, throttleWords(rl)),
			fmt.Sprintf("all %d calls accepted", accepted))
		return
	}
	if most := 2 * rl.Calls; accepted > most {
		j.fail(&seq.Steps[last], &exs[last], rule, fmt.Sprintf("at most %d of %d calls within %s accepted", most, len(exs), rl.Per),
			fmt.Sprintf("%d accepted, %d throttled", accepted, throttled))
	}
}

// longest is the longest of the exchanges' durations: how long a burst
// sent all at once took to be answered.
func longest(exs []runner.Exchange) time.Duration {
	var d time.Duration
	for _, ex := range exs {
		d = max(d, ex.Duration)
	}
	return d
}

// judgePaced: calls paced under the documented rate are accepted; a call
// the target refuses for another reason than throttling leaves the
// sequence unheld (the base request was rejected), not failed.
func judgePaced(j *judging, seq *sequence, exs []runner.Exchange) {
	j.rateSteps(seq, exs, j.op.RateLimitRule(), nil)
}

// judgeQuota: creates on one account until the declared quota is reached:
// no more than the quota is accepted, and once the quota error comes every
// later create gets it too (the account may hold users already, so the
// error may come early).
func judgeQuota(j *judging, seq *sequence, exs []runner.Exchange) {
	rule := j.op.RuleOfKind(specs.RuleQuota)
	accepted, rejectedAt := 0, -1
	staysRejected := func(i int, st *step, ex *runner.Exchange) bool {
		switch {
		case ex.Status != 200 && rejectedAt < 0:
			rejectedAt = i
		case ex.Status == 200 && rejectedAt >= 0:
			j.fail(st, ex, rule, fmt.Sprintf("create #%d rejected like create #%d (the quota was reached)", i+1, rejectedAt+1), "HTTP 200 (accepted)")
			return false
		case ex.Status == 200:
			accepted++
		}
		return true
	}
	if !j.conformingSteps(seq, exs, rule, staysRejected) {
		return
	}
	if quota := len(seq.Steps) - 1; accepted > quota && len(exs) > 0 {
		last := len(exs) - 1
		j.fail(&seq.Steps[last], &exs[last], rule, fmt.Sprintf("at most %d creates accepted (the declared quota), then %s", quota, seq.Steps[last].Expect.words()),
			fmt.Sprintf("%d creates accepted", accepted))
	}
}

// judgeRole judges, against their expectations, only the steps of a
// sequence that play role.
func judgeRole(role string) func(*judging, *sequence, []runner.Exchange) {
	return func(j *judging, seq *sequence, exs []runner.Exchange) {
		part := withRole(seq, exs, role)
		for i := range part.exs {
			if !j.count(&part.exs[i]) || !j.rateBase(&part.seq.Steps[i], &part.exs[i]) {
				continue
			}
			if actual := conforms(&part.seq.Steps[i], &part.exs[i]); actual != "" {
				j.fail(&part.seq.Steps[i], &part.exs[i], nil, part.seq.Steps[i].Expect.words(), actual)
			}
		}
	}
}

// roleSteps is the part of a sequence that plays one role, with its exchanges.
type roleSteps struct {
	seq *sequence
	exs []runner.Exchange
}

// withRole keeps the steps (and their exchanges) that play role.
func withRole(seq *sequence, exs []runner.Exchange, role string) roleSteps {
	out := roleSteps{seq: &sequence{}}
	for i := range exs {
		if seq.Steps[i].Role == role {
			out.seq.Steps = append(out.seq.Steps, seq.Steps[i])
			out.exs = append(out.exs, exs[i])
		}
	}
	return out
}

// throttleWords describes a throttled answer: "HTTP 400 Throttling or Throttling.User".
func throttleWords(rl *specs.RateLimit) string {
	return fmt.Sprintf("HTTP %d %s", rl.Status, strings.Join(rl.Codes, " or "))
}
