// Package results holds what one run found: the verdict of every check on
// every operation, with its findings. It is what reports read, and it
// imports nothing of the suite, so a report format depends on it alone.
package results

import "time"

// Status is a check's verdict for one operation.
type Status string

// Check verdicts.
const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Skipped Status = "skipped"
	// Errored: the check saw no conclusive answer (transport failures, a
	// precondition that did not hold, a target that does not speak the
	// protocol, a run stopped early); never passed on silence.
	Errored Status = "errored"
)

// Result is everything one run found; reports are pure functions of it.
type Result struct {
	// Tool is the acsconform version, Target the base URL (or "embedded
	// emulator"), Seed the run's seed.
	Tool, Target string
	Seed         int64
	// Command is the acsconform command line that reproduces the run.
	Command string
	// Stopped says why the run stopped before sending every case (its
	// time budget, an interrupt); "" when it ran to the end.
	Stopped string
	// Started and Duration time the run.
	Started  time.Time
	Duration time.Duration
	// Operations in model order.
	Operations []OperationResult
}

// OperationResult is the verdicts of every check for one operation.
type OperationResult struct {
	// Operation is the operation ID ("ram"); Action and Version identify it on the wire.
	Operation, Action, Version string
	Checks                     []CheckResult
	// Rules is every documented rule of the operation, in model order,
	// with what the run's exchanges showed about it (RuleResult).
	Rules []RuleResult
}

// CheckResult is one check's verdict on one operation.
type CheckResult struct {
	// Check is the stable kebab-case ID ("error-code-documented").
	Check string
	// Status is passed, failed or skipped.
	Status Status
	// SkipReason says which precondition the target did not declare.
	SkipReason string
	// ErrorReason says why an errored check saw no conclusive answer.
	ErrorReason string
	// Exchanges counts the requests the check judged.
	Exchanges int
	// Findings are the failures (bounded; Dropped counts the rest).
	Findings []Finding
	// Warnings are disagreements on ambiguous rules: reported, never failing.
	Warnings []Finding
	// Dropped counts findings beyond the kept ones.
	Dropped int
	// Causes group every finding (kept or dropped) by root cause, in the
	// order each cause was first found.
	Causes   []Cause
	Duration time.Duration
	// Timeline is when the check's exchanges went out and how they were
	// answered, for the rate-limit checks only (nil for the others).
	Timeline []TimelinePoint
}

// Cause is one root cause of a check's findings: the rule, the answer and
// the parameter they share.
type Cause struct {
	// Key names the cause: "ram.UserName.max-length: HTTP 200 (UserName)".
	Key string
	// Rule is the rule ID ("" when the check judges no single rule).
	Rule string
	// Findings counts the findings of this cause.
	Findings int
}

// Finding is one disagreement between the target and the docs, with
// everything a person needs to act on it. It never holds a secret.
type Finding struct {
	Check     string
	Operation string
	// Rule is the rule ID; Quote the seed sentence it rests on.
	Rule, Quote string
	// Expected and Actual in words ("HTTP 400 InvalidParameter.UserName.Length",
	// "HTTP 200 with User.UserId").
	Expected, Actual string
	// Seed reproduces the case.
	Seed int64
	// Curl is a curl command of the request, signature left to the user.
	Curl string
	// Command is the acsconform run line that replays it.
	Command string
	// Request and Response summarize the exchange (redacted).
	Request, Response string
	// Cause is the key of the finding's root cause (see Cause).
	Cause string
	// Shrunk says how the reproducer (Expected, Actual, Curl, Request and
	// Response) was shrunk from the request first found failing: "from 9
	// parameters (412 bytes) to 2 parameters (31 bytes) in 37 requests";
	// "" when it was not (Options.Shrink).
	Shrunk string
	// Ambiguities names the ambiguity notes of the specs a warning rests
	// on ("eds-user.password-space"): the answer is allowed only under one
	// of their readings. Empty for a warning that rests on no ambiguity (an
	// inconclusive measurement) and for a finding, except a warning made a
	// failure by Options.Strict.
	Ambiguities []string
}

// Failed reports whether some check of the run failed.
func (r *Result) Failed() bool {
	for i := range r.Operations {
		if r.Operations[i].Failed() {
			return true
		}
	}
	return false
}

// Failed reports whether some check of the operation failed.
func (o *OperationResult) Failed() bool {
	for i := range o.Checks {
		if o.Checks[i].Failed() {
			return true
		}
	}
	return false
}

// Failed reports whether the check failed.
func (c *CheckResult) Failed() bool { return c.Status == Failed }

// Errored reports whether some check of the run saw no conclusive answer.
func (r *Result) Errored() bool {
	for _, op := range r.Operations {
		for _, c := range op.Checks {
			if c.Status == Errored {
				return true
			}
		}
	}
	return false
}
