package suites

import (
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// generated is one generated request and the rule it was built to break
// (nil for a valid request, a boundary value or a chaos input).
type generated struct {
	Request wire.Request
	Rule    *specs.Rule
	// Label says what the case does.
	Label string
	// Protect are the parameter paths the case sets on purpose: the
	// plans leave their values as generated (no unique renaming, no
	// declared instance).
	Protect []string
	// Elements are, for a list field in Protect ("Users[].EndUserId"),
	// the 0-based elements the case sets on purpose; the other elements
	// are the valid request's and get run-unique names like one. A list
	// field in Protect but not here is set on purpose in every element.
	Elements map[string][]int
}

// source is where the plans get their requests: the fuzz generators, each
// call deterministic in (op, seed, i).
type source interface {
	// valid is the i-th valid request.
	valid(op *specs.Operation, seed int64, i int) wire.Request
	// invalid is the i-th request breaking exactly one rule.
	invalid(op *specs.Operation, seed int64, i int) generated
	// invalidFor is a request breaking rule alone; false when the
	// generators cannot build one.
	invalidFor(op *specs.Operation, rule *specs.Rule, seed int64) (generated, bool)
	// boundary are the boundary cases of every constrained parameter.
	boundary(op *specs.Operation, seed int64) []generated
	// chaos are n chaos inputs.
	chaos(op *specs.Operation, seed int64, n int) []generated
}
