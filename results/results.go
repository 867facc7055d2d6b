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
	// Examples is the run's number of generated cases per plan and
	// operation (0: not recorded); PacedExamples that of an operation with
	// a documented rate limit, whose traffic is paced (0: not recorded).
	Examples, PacedExamples int
	// Shard is the part of a sharded campaign the run was ("2/4": shard 2
	// of 4), "" for a whole run; Merged is how many shard results Merge
	// joined into this one (0 for a run's own result).
	Shard  string
	Merged int
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
	// Status is passed, failed, errored or skipped.
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
	// ID names the finding stably within its run: OPERATION/CHECK/N, N
	// counting the check's kept findings from 1 ("ram/negative-rejection/3";
	// warnings OPERATION/CHECK/warning/N). 'acsconform replay --finding'
	// takes it.
	ID        string
	Check     string
	Operation string
	// Rule is the rule ID; Quote the seed sentence it rests on.
	Rule, Quote string
	// Expected and Actual in words ("HTTP 400 InvalidParameter.UserName.Length",
	// "HTTP 200 with User.UserId").
	Expected, Actual string
	// Seed reproduces the case.
	Seed int64
	// Curl is a curl command of the request, signature left to the user:
	// as it stands it reproduces against a target that does not check
	// signatures.
	Curl string
	// Send is the 'acsconform send' line that signs and sends the failing
	// request afresh; "" for a deliberately badly signed one.
	Send string
	// Command is the line that replays it: 'acsconform replay REPORT
	// --finding ID' when the run wrote a JSON report, else an 'acsconform
	// run' line; either says where credentials come from.
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
	// Exchanges are the requests of the finding as structured data, in the
	// order sent: the sequence's earlier steps (Setup), then the failing
	// one last; what replay re-sends. Empty for a finding about the run as
	// a whole (repeated RequestIds, a silent target).
	Exchanges []ExchangeRecord
	// Accounts is how many accounts the run had and Declared what the
	// target declared: the expectations of the exchanges rest on both.
	Accounts int
	Declared Declared
}

// Declared is what a target declared about itself, by rule kind ("exists":
// its Bastionhost instances; "quota": its user quota).
type Declared struct {
	Values map[string][]string `json:"values,omitempty"`
	Limits map[string]int      `json:"limits,omitempty"`
}

// ExchangeRecord is one request of a finding and its answer as structured
// data: enough to encode, sign and send it again. The JSON report writes
// it with the field names of its tags. It never holds a secret:
// no AccessKeySecret, no signature, an account by its index only.
type ExchangeRecord struct {
	// Operation is the operation ID ("ram").
	Operation string `json:"operation"`
	// URL is the base URL it was sent to (no query).
	URL string `json:"url"`
	// Params are the parameters as sent, in order (Param.Source tells the
	// business parameters from the verbatim pairs and the protocol's own).
	Params []Param `json:"params"`
	// Format is the requested response format ("" is the default, JSON).
	Format string `json:"format,omitempty"`
	// Signature is the version it was signed with ("v3", "v1", "none");
	// Tamper a deliberate signature fault ("" when none).
	Signature string `json:"signatureVersion"`
	Tamper    string `json:"tamper,omitempty"`
	// Account is the index of the signing account in the run's accounts.
	Account int `json:"account"`
	// Setup marks an earlier step of the sequence, sent before the failing one.
	Setup bool `json:"setup"`
	// How the step was planned, for judging it again: its label and role,
	// the rule it breaks and the rule it exercises (IDs), whether later
	// steps assume what it creates, whether it bursts or goes out together
	// with the next ones, and the pause before it.
	Label      string `json:"label,omitempty"`
	Role       string `json:"role,omitempty"`
	Breaks     string `json:"breaks,omitempty"`
	Exercises  string `json:"exercises,omitempty"`
	Records    bool   `json:"records,omitempty"`
	Burst      bool   `json:"burst,omitempty"`
	Together   bool   `json:"together,omitempty"`
	WaitMillis int64  `json:"waitMillis,omitempty"`
	// Status is the HTTP status (0: no response); Headers the response
	// headers kept (Content-Type and the x-acs ones); Body the response
	// body (bounded); Error a transport failure.
	Status  int                 `json:"status"`
	Headers map[string][]string `json:"headers,omitempty"`
	Body    string              `json:"body"`
	Error   string              `json:"error,omitempty"`
}

// Param is one parameter of a request as it travelled.
type Param struct {
	// Name is the wire name ("Users.1.EndUserId"), Value the value.
	Name  string `json:"name"`
	Value string `json:"value"`
	// In is where it travelled: "query", "body" or "header".
	In string `json:"in"`
	// Source is "param" for a business parameter encoded from the
	// request, "raw" for a pair sent verbatim (unknown, repeated or broken
	// keys), "protocol" for Action, Version and Format as the signature
	// version places them.
	Source string `json:"source"`
}

// Param sources.
const (
	SourceParam    = "param"
	SourceRaw      = "raw"
	SourceProtocol = "protocol"
)

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
