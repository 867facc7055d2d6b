package oracle

import "github.com/acsconform/acsconform/specs"

// Throttles reports whether the docs allow the target to throttle when
// calls requests of op arrive within one window of its rate limit (more
// than the documented number of calls). Without a documented limit it is
// always false: throttling is then undocumented.
func Throttles(op *specs.Operation, calls int) bool {
	return op.RateLimit != nil && calls > op.RateLimit.Calls
}

// ThrottleOutcomes are the answers a throttled call may get: the rate
// limit's status with any of its codes. Nil without a documented limit.
func ThrottleOutcomes(op *specs.Operation) []specs.Outcome {
	rl := op.RateLimit
	if rl == nil {
		return nil
	}
	out := make([]specs.Outcome, len(rl.Codes))
	for i, c := range rl.Codes {
		out[i] = specs.Outcome{Status: rl.Status, Code: c}
	}
	return out
}

// IsThrottle reports whether an answer is one of op's documented throttling
// answers.
func IsThrottle(op *specs.Operation, status int, code string) bool {
	for _, o := range ThrottleOutcomes(op) {
		if outcomeAllows(o, status, code) {
			return true
		}
	}
	return false
}
