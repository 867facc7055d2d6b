package suites

import (
	"time"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// expectation is what the docs allow as the answer to one step.
type expectation struct {
	// Rule is the rule the step exercises; nil for a valid request.
	Rule *specs.Rule
	// Valid marks a request generated to satisfy every rule.
	Valid bool
	// Verdict is the oracle's: the answers the docs allow and, for a
	// batch, what each element may become.
	Verdict oracle.Verdict
	// KeyField is the field that identifies a batch element in the
	// response (EndUserId), from the unique rule's parameter path; Keys
	// are the elements' values of it, in list order.
	KeyField string
	Keys     []string
}

// allowsAccept reports whether some reading lets the target answer 200.
func (e expectation) allowsAccept() bool { return e.Verdict.Accepts() }

// allowsError reports whether an error answer (status, code) is allowed.
func (e expectation) allowsError(status int, code string) bool {
	return status != 200 && e.Verdict.Allows(status, code)
}

// words explains the expectation for a person.
func (e expectation) words() string { return e.Verdict.String() }

// step is one request of a case sequence and what the docs allow for it.
type step struct {
	Request wire.Request
	// Account indexes Target.Accounts.
	Account int
	// Signature signs it; Tamper breaks the signing on purpose.
	Signature wire.Signature
	Tamper    wire.Tamper
	// Burst sends it without pacing (the rate-limit checks); Together
	// sends it at the same time as the Together steps right after it (a
	// burst that must land within one window, however slow the target).
	Burst, Together bool
	// Wait pauses before sending it.
	Wait time.Duration
	// Expect is what the docs allow, assuming every earlier step of the
	// sequence got the answer the docs prescribe.
	Expect expectation
	// Label names the case in words ("valid", "breaks ram.UserName.max-length").
	Label string
	// Role tells apart the steps of a sequence that different checks
	// judge (the burst, the other account's call, the call after the window).
	Role string
}

// sequence is an ordered list of steps sent one after the other: one case,
// or a stateful scenario (create X, then create X again).
type sequence struct {
	Steps []step
}
