package fuzz

import (
	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Candidates are the requests a finding from a plan's generated case is
// shrunk over: the generator the plan drew the case from, and the
// preparation that fits each candidate to the target with run-unique
// names of their own stream.
type Candidates struct {
	b   *builder
	gen *rapid.Generator[Case]
}

// Candidates returns the candidates of a finding of plan id on the case
// labelled label, breaking rule (nil for a valid case), their names and
// seed drawn from stream: the plan's generator, or a boundary pack's
// values each sent alone (Members; rapid shrinks to the first that
// fails); nil when the case was not drawn from one generator and is no
// pack.
func (p *Planner) Candidates(id PlanID, rule *specs.Rule, label, stream string) *Candidates {
	var gen *rapid.Generator[Case]
	switch {
	case id == PlanBoundary:
		members := Members(p.op, p.streamSeed(string(PlanBoundary)), label)
		if len(members) < 2 {
			return nil
		}
		gen = rapid.SampledFrom(members)
	case id == PlanValid:
		gen = rapid.Map(Valid(p.op), func(r wire.Request) Case {
			return Case{Request: r, Base: r, Label: "valid request (shrunk)"}
		})
	case id == PlanInvalid && rule != nil && Breakable(rule):
		gen = rapid.Map(InvalidFor(p.op, rule), func(c Case) Case {
			if !usable(c) {
				return Case{}
			}
			return c
		})
	default:
		return nil
	}
	return &Candidates{b: p.builder(stream, 0), gen: gen}
}

// Generator draws the candidates; a candidate with no Request.Params is
// one that cannot go out as a single request.
func (c *Candidates) Generator() *rapid.Generator[Case] { return c.gen }

// Seed is the seed shrinking starts from.
func (c *Candidates) Seed() uint64 { return uint64(c.b.seed) }

// Prepare fits a candidate to the target as the plans fit their cases:
// the declared values and fresh run-unique names.
func (c *Candidates) Prepare(cs Case) wire.Request { return c.b.prepareCase(cs) }

// Canonical is the candidate prepared with names of a fixed stream, so
// that candidates differing only in their generated names compare equal.
func (c *Candidates) Canonical(cs Case) wire.Request {
	kb := &builder{Planner: c.b.Planner, names: NewNames(0), seed: c.b.seed}
	return kb.prepareCase(cs)
}
