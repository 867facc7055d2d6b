package fuzz

import (
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Preconditions a Case may need from the target, named in Case.Needs.
const (
	// NeedsQuota: the account's user quota is declared as len(Setup).
	NeedsQuota = "quota"
	// NeedsInstance: the target's instances are declared, and the case's
	// instance is not among them.
	NeedsInstance = "instance"
	// NeedsBurst: Setup and Request are sent within the rate limit's window.
	NeedsBurst = "burst"
)

// Case is one generated request and what the docs say of it.
type Case struct {
	// Request is the request to judge, sent after Setup.
	Request wire.Request
	// Rule is the rule Request breaks; nil for boundary and chaos cases,
	// which the oracle judges as a whole.
	Rule *specs.Rule
	// Also are rules Request cannot help breaking with Rule, all on the
	// same parameter (an empty value for a one-character minimum is also a
	// missing required parameter).
	Also []*specs.Rule
	// Label says in words what the case does.
	Label string
	// Setup are valid requests to send first, in order, from the same
	// account: the name to duplicate, the quota to use up, the calls that
	// reach a rate limit.
	Setup []wire.Request
	// Needs names a precondition the target must meet for the rule to be judged
	// (NeedsQuota, NeedsInstance, NeedsBurst); "" for none.
	Needs string
	// Base is the valid request the case was derived from: Changed
	// compares the two.
	Base wire.Request
}
