package results

import "time"

// RuleResult is what one run showed about one documented rule of an
// operation: how many exchanges exercised it and how many findings and
// warnings name it.
type RuleResult struct {
	// Rule is the rule's stable ID ("ram.UserName.max-length"), Quote the
	// seed sentence it rests on, Param the path of the parameter it
	// constrains ("" for an operation-wide rule such as a rate limit).
	Rule, Quote, Param string
	// Status is failed when some finding names the rule, skipped when no
	// exchange exercised it, errored when no exchange that did got an
	// answer, else passed.
	Status Status
	// Exchanges counts the exchanges whose request was generated to
	// exercise the rule (a case breaking it, a step of a sequence about it).
	Exchanges int
	// Findings and Warnings count those naming the rule, kept or not.
	Findings, Warnings int
}

// TimelinePoint is one exchange of a rate-limit check: when it went out,
// from the check's first exchange, and how it was answered.
type TimelinePoint struct {
	// Offset is the time from the check's first request to this one.
	Offset time.Duration
	// Status is the HTTP status; 0 when no answer came.
	Status int
	// Throttled marks an answer with the operation's documented throttling
	// status and code.
	Throttled bool
}
