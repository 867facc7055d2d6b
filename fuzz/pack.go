package fuzz

import (
	"strings"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// packSeparator joins the labels of the values a packed case sends.
const packSeparator = "; "

// PackedBoundary is Boundary(op, seed) with its valid values sent
// together. A case that sets one parameter (a top-level one, or a field of
// the first list element) to a value every reading of the docs accepts,
// on a parameter no state rule names and no reference constrains, goes
// into the first pack that does not set that parameter yet and stays
// valid under every reading with it; every other case is left as it is.
// A target must accept a pack whole, so each of its values is still
// tested: an operation's valid edges go out in about as many requests as
// its parameter with the most of them has (Bastionhost's 74 in 21), which
// matters most where a documented rate limit paces the traffic. A pack
// stands where its first value stood, its label joining its values'
// labels; Members splits one back into them.
func PackedBoundary(op *specs.Operation, seed int64) []Case {
	return pack(op, boundaries(op, seed))
}

// Members are the boundary cases a case of PackedBoundary(op, seed) packs,
// in order, found by its label: the case itself when it packs one value,
// nil when no case of that list has the label.
func Members(op *specs.Operation, seed int64, label string) []Case {
	if !strings.HasPrefix(label, boundaryPrefix) {
		return nil
	}
	want := map[string]bool{}
	for _, l := range strings.Split(strings.TrimPrefix(label, boundaryPrefix), packSeparator) {
		want[boundaryPrefix+l] = true
	}
	var out []Case
	for _, c := range boundaries(op, seed) {
		if want[c.Label] {
			out = append(out, c.Case)
		}
	}
	if len(out) != len(want) {
		return nil
	}
	return out
}

// PackedValues is the number of boundary values a case labelled label
// sends: its values for a pack of PackedBoundary, else one.
func PackedValues(label string) int {
	if !strings.HasPrefix(label, boundaryPrefix) {
		return 1
	}
	return strings.Count(label, packSeparator) + 1
}

// openPack is a pack being filled: its place among the cases and the
// sites it sets.
type openPack struct {
	index int
	sites map[site]bool
}

// pack merges cases' valid single-site values into packs (PackedBoundary).
func pack(op *specs.Operation, cases []sitedCase) []Case {
	out := make([]Case, 0, len(cases))
	var packs []*openPack
	for _, c := range cases {
		if !packable(op, c) {
			out = append(out, c.Case)
			continue
		}
		if !mergeIntoPack(op, out, packs, c) {
			packs = append(packs, &openPack{index: len(out), sites: map[site]bool{c.at: true}})
			out = append(out, c.Case)
		}
	}
	return out
}

// mergeIntoPack sets c's value in the first of packs that does not set its
// site yet and stays valid with it, and reports whether one took it.
func mergeIntoPack(op *specs.Operation, out []Case, packs []*openPack, c sitedCase) bool {
	v, _ := c.at.get(c.Request)
	for _, p := range packs {
		if p.sites[c.at] {
			continue
		}
		r := out[p.index].Request.Clone()
		c.at.set(&r, v)
		if !validUnderEveryReading(op, r) {
			continue
		}
		out[p.index].Request = r
		out[p.index].Label += packSeparator + strings.TrimPrefix(c.Label, boundaryPrefix)
		p.sites[c.at] = true
		return true
	}
	return false
}

// packable reports whether c may share a request: it sets one value, in a
// top-level parameter or the first list element, that every reading of
// the docs accepts, on a parameter whose acceptance depends on nothing but
// the request (no unique, batch-unique, exists or quota rule names it, and
// no reference to another resource constrains it).
func packable(op *specs.Operation, c sitedCase) bool {
	if !c.ok || c.at.el > 0 {
		return false
	}
	path := specs.JoinPath(c.at.top, c.at.field)
	if p, ok := op.Lookup(path); !ok || len(p.References) > 0 {
		return false
	}
	for _, rule := range op.Rules {
		if rule.Param == path && dependsOnState(rule.Kind) {
			return false
		}
	}
	return validUnderEveryReading(op, c.Request)
}

// dependsOnState reports whether a rule of kind k may refuse a value for
// what the target holds or what other values the batch holds.
func dependsOnState(k specs.RuleKind) bool {
	switch k {
	case specs.RuleUnique, specs.RuleBatchUnique, specs.RuleExists, specs.RuleQuota, specs.RuleRateLimit:
		return true
	}
	return false
}

// validUnderEveryReading reports whether r is documented input that keeps
// every rule a request can break alone under every reading of the docs.
func validUnderEveryReading(op *specs.Operation, r wire.Request) bool {
	if oracle.Undocumented(op, r) {
		return false
	}
	for _, rule := range op.Rules {
		if oracle.Evaluate(op, rule, r) != oracle.Satisfied {
			return false
		}
	}
	return true
}
