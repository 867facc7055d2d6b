package suites

import (
	"slices"
	"time"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// maxTimeline bounds the points a check's timeline keeps.
const maxTimeline = 1000

// recordTimeline gives a rate-limit check's judgement the timeline of the
// sequence it judged; other checks get none.
func recordTimeline(c *Check, op *specs.Operation, seq *sequence, exs []runner.Exchange, j *judging) {
	if op.RateLimit == nil || !slices.ContainsFunc(c.plans, isRatePlan) {
		return
	}
	j.timeline = timeline(op.RateLimit, seq, exs)
}

// isRatePlan reports whether a plan's sequences test the rate limit.
func isRatePlan(id fuzz.PlanID) bool { return id == fuzz.PlanRateBurst || id == fuzz.PlanRatePaced }

// timeline says when each exchange of seq went out, from the first, and how
// it was answered. The instants are rebuilt as send spends time: each run
// of steps sent together starts after its step's wait, once the previous
// run has been answered; the scheduling overhead (microseconds) is left out.
func timeline(rl *specs.RateLimit, seq *sequence, exs []runner.Exchange) []results.TimelinePoint {
	out := make([]results.TimelinePoint, 0, len(exs))
	var at time.Duration
	for i := 0; i < len(exs); {
		at += seq.Steps[i].Wait
		n := min(together(seq.Steps[i:]), len(exs)-i)
		var longest time.Duration
		for k := i; k < i+n; k++ {
			out = append(out, results.TimelinePoint{Offset: at, Status: exs[k].Status, Throttled: throttled(rl, &seq.Steps[k], &exs[k])})
			longest = max(longest, exs[k].Duration)
		}
		at += longest
		i += n
	}
	return out
}

// throttled reports whether ex got the documented throttled answer.
func throttled(rl *specs.RateLimit, st *step, ex *runner.Exchange) bool {
	if ex.Status != rl.Status {
		return false
	}
	doc, err := decodeBody(ex, formatOf(st.Request.Format))
	return err == nil && slices.Contains(rl.Codes, doc.text(fieldCode))
}

// appendTimeline appends the points of a later sequence after those of the
// earlier ones (laid end to end), keeping at most maxTimeline.
func appendTimeline(dst, src []results.TimelinePoint) []results.TimelinePoint {
	var base time.Duration
	if len(dst) > 0 {
		base = dst[len(dst)-1].Offset
	}
	for _, p := range src {
		if len(dst) >= maxTimeline {
			break
		}
		p.Offset += base
		dst = append(dst, p)
	}
	return dst
}
