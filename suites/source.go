package suites

import (
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// generated is one generated request and the rule it was built to break
// (nil for a valid request).
type generated struct {
	Request wire.Request
	Rule    *specs.Rule
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
	// chaos is the i-th chaos input.
	chaos(op *specs.Operation, seed int64, i int) wire.Request
}
