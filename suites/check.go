package suites

import (
	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Check is one conformance check. Its judge is pure: it reads exchanges and
// the expectations the case plans attached to them, and writes findings.
type Check struct {
	// ID is the stable kebab-case name: the JUnit test name and what
	// --checks matches.
	ID string
	// Summary says in one line what the check demands.
	Summary string

	// plans are the case plans whose exchanges the check judges.
	plans []fuzz.PlanID
	// applies decides from the model whether the check concerns op;
	// nil means every operation.
	applies func(op *specs.Operation) bool
	// requires returns why the target cannot be checked ("" when it can).
	requires func(t *runner.Target, o *Options, op *specs.Operation) string
	// judge judges one sequence's exchanges.
	judge func(j *judging, seq *sequence, exs []runner.Exchange)
}

// Checks returns every check in report order.
func Checks() []Check {
	return append([]Check(nil), registry...)
}

// ordinaryPlans are the plans of generated single requests.
var ordinaryPlans = []fuzz.PlanID{fuzz.PlanValid, fuzz.PlanInvalid, fuzz.PlanBoundary, fuzz.PlanChaos}

// everyPlan is every plan of ordinary traffic, stateful sequences included.
var everyPlan = append(append([]fuzz.PlanID(nil), ordinaryPlans...), fuzz.PlanDuplicate, fuzz.PlanRetry, fuzz.PlanBatch, fuzz.PlanConditional)

// registry is every check, in the order results list them.
var registry = []Check{
	{ID: "positive-acceptance", Summary: "valid requests get HTTP 200 and the documented body",
		plans: []fuzz.PlanID{fuzz.PlanValid, fuzz.PlanBoundary}, judge: perStep(judgePositive)},
	{ID: "response-schema", Summary: "the success body matches the spec's schema in the requested format, types included",
		plans: []fuzz.PlanID{fuzz.PlanValid}, judge: perStep(judgeSchema)},
	{ID: "error-envelope", Summary: "every error carries the envelope's fields in the requested format",
		plans: ordinaryPlans, judge: perStep(judgeEnvelope)},
	{ID: "error-code-documented", Summary: "a request breaking a documented rule gets that rule's Code and HTTP status",
		plans: []fuzz.PlanID{fuzz.PlanInvalid, fuzz.PlanBoundary}, judge: perStep(judgeErrorCode)},
	{ID: "negative-rejection", Summary: "a request the docs reject under every reading is never accepted",
		plans: []fuzz.PlanID{fuzz.PlanInvalid, fuzz.PlanBoundary, fuzz.PlanChaos}, judge: perStep(judgeNegative)},
	{ID: noServerErrorCheck, Summary: "no 5xx, hang or broken response for any input, chaos included",
		plans: everyPlan, judge: everyStep(judgeNoServerError)},
	{ID: requestIDCheck, Summary: "every answer has a RequestId in upper-case UUID form, unique across the run",
		plans: ordinaryPlans, judge: perStep(judgeRequestID)},
	{ID: "content-type", Summary: "the Content-Type matches the requested format",
		plans: ordinaryPlans, judge: perStep(judgeContentType)},
	{ID: "duplicate-rejected", Summary: "a second create of the same name gets the documented conflict; another account may use it",
		plans: []fuzz.PlanID{fuzz.PlanDuplicate}, applies: hasRule(specs.RuleUnique), judge: judgeAll},
	{ID: "rejection-leaves-no-trace", Summary: "after a rejected create of X, a valid create of X succeeds",
		plans: []fuzz.PlanID{fuzz.PlanRetry}, applies: hasRule(specs.RuleUnique), judge: judgeRetry},
	{ID: "batch-partial-failure", Summary: "a mixed batch splits exactly into created and failed elements, each failure with ErrorCode and ErrorMessage",
		plans: []fuzz.PlanID{fuzz.PlanBatch}, applies: hasBatchRule, judge: judgeAll},
	{ID: "conditional-required", Summary: "every conditional requirement, both sides",
		plans: []fuzz.PlanID{fuzz.PlanConditional}, applies: hasRule(specs.RuleConditionalRequired), judge: judgeAll},
	{ID: "rate-limit-enforced", Summary: "a burst over the documented rate from one account is throttled with the documented status and code",
		plans: []fuzz.PlanID{fuzz.PlanRateBurst}, applies: hasRateLimit, judge: judgeRateEnforced},
	{ID: "rate-limit-not-premature", Summary: "calls paced under the documented rate are never throttled",
		plans: []fuzz.PlanID{fuzz.PlanRatePaced}, applies: hasRateLimit, judge: judgePaced},
	{ID: "rate-limit-recovers", Summary: "after the window, calls succeed again",
		plans: []fuzz.PlanID{fuzz.PlanRateBurst}, applies: hasRateLimit, judge: judgeRole(fuzz.RoleAfterWindow)},
	{ID: "rate-limit-per-account", Summary: "one account's burst does not throttle another account",
		plans: []fuzz.PlanID{fuzz.PlanRateBurst}, applies: hasRateLimit, requires: needAccounts(2), judge: judgeRole(fuzz.RoleOtherAccount)},
	{ID: "quota-enforced", Summary: "creates beyond the target's declared quota get the documented quota error",
		plans: []fuzz.PlanID{fuzz.PlanQuota}, applies: hasRule(specs.RuleQuota), requires: needQuota, judge: judgeQuota},
	{ID: "signature-required", Summary: "unsigned, wrongly signed, expired and replayed requests are rejected with the gateway's codes",
		plans: []fuzz.PlanID{fuzz.PlanSignature}, requires: needSignatureChecks, judge: judgeAll},
}

// hasBatchRule reports whether some rule of op is answered per element of a batch.
func hasBatchRule(op *specs.Operation) bool {
	for _, r := range op.Rules {
		for _, o := range r.Broken {
			if o.Batch {
				return true
			}
		}
	}
	return false
}

// hasRateLimit reports whether op documents a rate limit.
func hasRateLimit(op *specs.Operation) bool { return op.RateLimit != nil }

// needAccounts requires n accounts of the target.
func needAccounts(n int) func(*runner.Target, *Options, *specs.Operation) string {
	return func(t *runner.Target, _ *Options, _ *specs.Operation) string {
		if len(t.Accounts) < n {
			return "the target declares fewer than " + itoa(n) + " accounts (--account AK:SECRET, repeated)"
		}
		return ""
	}
}

// needQuota requires a declared user quota.
func needQuota(_ *runner.Target, o *Options, _ *specs.Operation) string {
	quota := o.Declared.Limits[specs.RuleQuota]
	if quota <= 0 {
		return "the target declares no user quota (--ram-user-quota N)"
	}
	if quota > maxQuota {
		return "the declared user quota is above " + itoa(maxQuota) + ", too many creates to check"
	}
	return ""
}

// maxQuota bounds the creates the quota check sends.
const maxQuota = 5000

// needSignatureChecks requires a target that declares it verifies signatures,
// and a run that signs.
func needSignatureChecks(t *runner.Target, o *Options, _ *specs.Operation) string {
	if !t.ChecksSignatures {
		return "the target does not declare that it checks signatures"
	}
	for _, s := range o.Signatures {
		if s != wire.SignNone {
			return ""
		}
	}
	return "the run sends unsigned requests (--signature none)"
}
