package specs_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/acsconform/acsconform/specs"
)

// The fact tables (facts_*_test.go) hold, per seed, one row per documented
// fact, hand-written from the seed with the seed's sentence as the row's
// reason. These helpers assert a table against the loaded model, and assert
// that the model holds nothing the table does not: no undocumented rule,
// parameter or error.

// paramFact is what a seed says of one parameter.
type paramFact struct {
	path     string
	in       specs.Location
	kind     specs.Kind
	style    specs.Style
	required bool
	format   string
	min, max int // 0: none
	pattern  string
	strict   string
	enum     []string
	def      string
	secret   bool
	reason   string
}

// ruleFact is one rule: its ID, the number it names, its scope and
// conditions, every allowed outcome (see outcomeText), its ambiguities
// (comma-separated, document order) and its unsure characters. reason is
// the seed sentence, which must be the rule's Quote.
type ruleFact struct {
	id        string
	limit     int
	scope     string
	when      string
	broken    []string
	ambiguity string
	unsure    string
	reason    string
}

// errorFact is one documented error.
type errorFact struct {
	code    string
	status  int
	message string
	batch   bool
	reason  string
}

// loadOp loads the embedded model and returns the operation id.
func loadOp(t *testing.T, id string) (*specs.Model, *specs.Operation) {
	t.Helper()
	m, err := specs.Load()
	assert.NilError(t, err)
	op, ok := m.Operation(id)
	assert.Assert(t, ok, "operation %s", id)
	return m, op
}

// allParams lists every parameter of op at any depth, document order.
func allParams(op *specs.Operation) []*specs.Param {
	var out []*specs.Param
	var walk func([]*specs.Param)
	walk = func(ps []*specs.Param) {
		for _, p := range ps {
			out = append(out, p)
			if p.Items != nil {
				walk([]*specs.Param{p.Items})
			}
			walk(p.Fields)
		}
	}
	walk(op.Params)
	return out
}

// intOr0 dereferences an optional limit.
func intOr0(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

// reString renders an optional regexp.
func reString(p *specs.Param, strict bool) string {
	re := p.Pattern
	if strict {
		re = p.StrictPattern
	}
	if re == nil {
		return ""
	}
	return re.String()
}

// outcomeText renders an outcome: "400 Code", "4xx" (any 4xx, any code),
// "accept", "batch Code", "batch" (any ErrorCode).
func outcomeText(o specs.Outcome) string {
	switch {
	case o.Accept:
		return "accept"
	case o.Batch:
		return strings.TrimSpace("batch " + o.Code)
	case o.Status == 0:
		return strings.TrimSpace("4xx " + o.Code)
	}
	return fmt.Sprintf("%d %s", o.Status, o.Code)
}

// whenText renders conditions as "A=x|y & B=z".
func whenText(cs []specs.Condition) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, c.Param+"="+strings.Join(c.Values, "|"))
	}
	return strings.Join(parts, " & ")
}

func assertParams(t *testing.T, op *specs.Operation, facts []paramFact) {
	t.Helper()
	var want, got []string
	for _, f := range facts {
		want = append(want, f.path)
		p, ok := op.Lookup(f.path)
		if !assert.Check(t, ok, "param %s (%s)", f.path, f.reason) {
			continue
		}
		assert.Check(t, is.Equal(p.In, f.in), "%s in: %s", f.path, f.reason)
		assert.Check(t, is.Equal(p.Kind, f.kind), "%s kind: %s", f.path, f.reason)
		assert.Check(t, is.Equal(p.Style, f.style), "%s style: %s", f.path, f.reason)
		assert.Check(t, is.Equal(p.Required, f.required), "%s required: %s", f.path, f.reason)
		assert.Check(t, is.Equal(p.Format, f.format), "%s format: %s", f.path, f.reason)
		assert.Check(t, is.Equal(intOr0(p.MinLength), f.min), "%s min length: %s", f.path, f.reason)
		assert.Check(t, is.Equal(intOr0(p.MaxLength)+intOr0(p.MaxItems), f.max), "%s max: %s", f.path, f.reason)
		assert.Check(t, is.Equal(reString(p, false), f.pattern), "%s pattern: %s", f.path, f.reason)
		assert.Check(t, is.Equal(reString(p, true), f.strict), "%s strict pattern: %s", f.path, f.reason)
		assert.Check(t, is.DeepEqual(p.Enum, f.enum), "%s enum: %s", f.path, f.reason)
		assert.Check(t, is.Equal(p.Default, f.def), "%s default: %s", f.path, f.reason)
		assert.Check(t, is.Equal(p.Secret, f.secret), "%s secret: %s", f.path, f.reason)
	}
	for _, p := range allParams(op) {
		got = append(got, p.Path)
	}
	assert.Check(t, is.DeepEqual(got, want), "every parameter of %s, in document order", op.ID)
}

func assertRules(t *testing.T, op *specs.Operation, facts []ruleFact) {
	t.Helper()
	var want, got []string
	for _, f := range facts {
		want = append(want, f.id)
		r, ok := op.Rule(f.id)
		if !assert.Check(t, ok, "rule %s (%s)", f.id, f.reason) {
			continue
		}
		var broken []string
		for _, o := range r.Broken {
			broken = append(broken, outcomeText(o))
		}
		assert.Check(t, is.Equal(r.Quote, f.reason), "%s quote", f.id)
		assert.Check(t, is.Equal(r.Limit, f.limit), "%s limit: %s", f.id, f.reason)
		assert.Check(t, is.Equal(r.Scope, f.scope), "%s scope: %s", f.id, f.reason)
		assert.Check(t, is.Equal(whenText(r.When), f.when), "%s when: %s", f.id, f.reason)
		assert.Check(t, is.DeepEqual(broken, f.broken), "%s outcomes: %s", f.id, f.reason)
		assert.Check(t, is.Equal(strings.Join(r.Ambiguities, ", "), f.ambiguity), "%s ambiguities: %s", f.id, f.reason)
		first, _, _ := strings.Cut(f.ambiguity, ", ")
		assert.Check(t, is.Equal(r.Ambiguity, first), "%s first ambiguity: %s", f.id, f.reason)
		assert.Check(t, is.Equal(r.UnsureChars, f.unsure), "%s unsure characters: %s", f.id, f.reason)
	}
	for _, r := range op.Rules {
		got = append(got, r.ID)
	}
	sort.Strings(want)
	sort.Strings(got)
	assert.Check(t, is.DeepEqual(got, want), "every rule of %s", op.ID)
}

func assertErrors(t *testing.T, op *specs.Operation, facts []errorFact) {
	t.Helper()
	var want, got []string
	for _, f := range facts {
		want = append(want, f.code)
		e, ok := op.Error(f.code)
		if !assert.Check(t, ok, "error %s (%s)", f.code, f.reason) {
			continue
		}
		assert.Check(t, is.Equal(e.Status, f.status), "%s status: %s", f.code, f.reason)
		assert.Check(t, is.Equal(e.Message, f.message), "%s message: %s", f.code, f.reason)
		assert.Check(t, is.Equal(e.Batch, f.batch), "%s batch: %s", f.code, f.reason)
	}
	for _, e := range op.Errors {
		got = append(got, e.Code)
	}
	assert.Check(t, is.DeepEqual(got, want), "every error of %s", op.ID)
}

// schemaFields lists a response schema as "path type[ format][ required]",
// depth first, properties sorted by name.
func schemaFields(ref *openapi3.SchemaRef) []string {
	var out []string
	var walk func(prefix string, s *openapi3.Schema)
	walk = func(prefix string, s *openapi3.Schema) {
		names := make([]string, 0, len(s.Properties))
		for n := range s.Properties {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			v := s.Properties[n].Value
			line := strings.TrimSpace(fmt.Sprintf("%s%s %s %s", prefix, n, strings.Join(v.Type.Slice(), ","), v.Format))
			if slices.Contains(s.Required, n) {
				line += " required"
			}
			out = append(out, line)
			if v.Items != nil {
				walk(prefix+n+"[].", v.Items.Value)
			}
			walk(prefix+n+".", v)
		}
	}
	walk("", ref.Value)
	return out
}
