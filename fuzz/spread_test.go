package fuzz

import (
	"fmt"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// spreadDraws is how many valid requests the spread test looks at; the
// draws are deterministic (Example seeds 0..spreadDraws-1).
const spreadDraws = 400

// features lists what one request shows of the space: parameters present
// and absent, enum values, lengths at the bounds, CJK, batch sizes.
func features(op *specs.Operation, r wire.Request) []string {
	var out []string
	for p := range allParams(op) {
		vals := oracle.Values(p.Path, r)
		if len(vals) == 0 {
			out = append(out, p.Path+" absent")
		}
		for _, v := range vals {
			out = append(out, p.Path+" present")
			enum, _ := p.Enumeration()
			if len(enum) > 0 && p.Style != specs.StyleJSON {
				out = append(out, p.Path+"="+v)
			}
			n := utf8.RuneCountInString(v)
			if lo, hi := bounds(p); p.MaxLength != nil && n == hi {
				out = append(out, p.Path+" at max")
			} else if p.MinLength != nil && n == lo {
				out = append(out, p.Path+" at min")
			}
			for _, c := range v {
				if unicode.Is(unicode.Han, c) {
					out = append(out, p.Path+" with CJK")
					break
				}
			}
		}
	}
	for name, els := range r.Lists {
		out = append(out, fmt.Sprintf("%s of %d", name, len(els)))
	}
	return out
}

// wanted lists what the space holds for op, from the model.
func wanted(op *specs.Operation) []string {
	var out []string
	for p := range allParams(op) {
		out = append(out, p.Path+" present")
		if !p.Required {
			out = append(out, p.Path+" absent")
		}
		enum, _ := p.Enumeration()
		if p.Style != specs.StyleJSON {
			for _, v := range enum {
				out = append(out, p.Path+"="+v)
			}
		}
		if p.MaxLength != nil {
			out = append(out, p.Path+" at max")
		}
		if p.MinLength != nil {
			out = append(out, p.Path+" at min")
		}
		if re := sure(p); re != nil && re.MatchString("张") {
			out = append(out, p.Path+" with CJK")
		}
	}
	for _, p := range op.Params {
		if p.Style == specs.StyleFlat {
			out = append(out, p.Name+" of 1", fmt.Sprintf("%s of %d", p.Name, MaxBatch))
		}
	}
	return out
}

func TestValidSpreadsOverTheSpace(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		seen := map[string]bool{}
		for seed := 0; seed < spreadDraws; seed++ {
			for _, f := range features(op, Valid(op).Example(seed)) {
				seen[f] = true
			}
		}
		for _, w := range wanted(op) {
			if !seen[w] {
				t.Errorf("%s: no valid request in %d shows %q", op.ID, spreadDraws, w)
			}
		}
	}
}
