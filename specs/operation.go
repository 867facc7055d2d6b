package specs

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// builder builds one Operation from one document.
type builder struct {
	file        string
	op          *Operation
	sources     []paramSource  // every param (items and fields too), document order
	exampleRefs []ambiguityRef // x-acs-example ambiguities to resolve
}

// ambiguityRef is a place in the document naming an ambiguity ID.
type ambiguityRef struct{ place, id string }

// fail wraps err with the document and the place.
func (b *builder) fail(place string, err error) error {
	return &DocError{File: b.file, Place: place, Err: err}
}

// buildOperation models the single POST / operation of doc.
func buildOperation(file string, doc *openapi3.T) (*Operation, error) {
	b := &builder{file: file}
	if doc.Paths == nil || doc.Paths.Len() != 1 || doc.Paths.Value("/") == nil || doc.Paths.Value("/").Post == nil {
		return nil, b.fail("paths", fmt.Errorf("want exactly one path, /, with a post operation"))
	}
	o := doc.Paths.Value("/").Post
	var ox opExt
	if ok, err := decodeExt(o.Extensions, "x-acs-operation", &ox); err != nil || !ok {
		return nil, b.fail("paths/~1/post", orMissing(err, "x-acs-operation"))
	}
	if err := checkOpExt(ox, file, o.OperationID); err != nil {
		return nil, b.fail("paths/~1/post/x-acs-operation", err)
	}
	b.op = &Operation{ID: ox.ID, Product: ox.Product, Action: ox.Action, Version: ox.Version,
		Seed: ox.Seed, Methods: ox.Methods, Summary: o.Summary, Doc: doc}
	var opRules map[string]ruleSpec
	if _, err := decodeExt(o.Extensions, "x-acs-rules", &opRules); err != nil {
		return nil, b.fail("paths/~1/post", err)
	}
	steps := []func() error{
		func() error { return b.buildParams(o) },
		func() error { return b.buildErrors(o) },
		func() error { return b.buildRules(opRules) },
		func() error { return b.buildRateLimit(o) },
		func() error { return b.buildAmbiguities(o) },
		func() error { return b.buildResponse(o) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return b.op, nil
}

// checkOpExt checks x-acs-operation against the file name and operationId.
func checkOpExt(ox opExt, file, operationID string) error {
	switch {
	case ox.ID+".yaml" != path.Base(file):
		return fmt.Errorf("id %q does not match the file name", ox.ID)
	case ox.Action != operationID:
		return fmt.Errorf("action %q is not the operationId %q", ox.Action, operationID)
	case ox.Product == "" || ox.Version == "" || ox.Seed == "":
		return fmt.Errorf("product, version and seed are required")
	case len(ox.Methods) == 0 || !slices.Contains(ox.Methods, "POST"):
		return fmt.Errorf("methods must include POST")
	}
	return nil
}

// buildErrors reads the operation's x-acs-errors.
func (b *builder) buildErrors(o *openapi3.Operation) error {
	var specs []errorSpec
	if ok, err := decodeExt(o.Extensions, "x-acs-errors", &specs); err != nil || !ok {
		return b.fail("paths/~1/post", orMissing(err, "x-acs-errors"))
	}
	for i, s := range specs {
		e, err := errorDef(s)
		if err != nil {
			return b.fail(fmt.Sprintf("x-acs-errors[%d]", i), err)
		}
		if _, dup := b.op.Error(e.Code); dup {
			return b.fail(fmt.Sprintf("x-acs-errors[%d]", i), fmt.Errorf("code %s declared twice", e.Code))
		}
		b.op.Errors = append(b.op.Errors, e)
	}
	return nil
}

// buildRateLimit reads x-acs-rate-limit and adds the <op>.rate-limit rule.
func (b *builder) buildRateLimit(o *openapi3.Operation) error {
	var s rateSpec
	ok, err := decodeExt(o.Extensions, "x-acs-rate-limit", &s)
	if err != nil || !ok {
		return orNil(err, b, "x-acs-rate-limit")
	}
	per, err := time.ParseDuration(s.Per)
	switch {
	case err != nil || per <= 0:
		return b.fail("x-acs-rate-limit", fmt.Errorf("per %q is not a positive duration", s.Per))
	case s.Calls < 1 || s.Quote == "" || len(s.Codes) == 0 || !slices.Contains(scopes, s.Scope):
		return b.fail("x-acs-rate-limit", fmt.Errorf("calls, quote, codes and a scope (%v) are required", scopes))
	case s.Status < 400 || s.Status > 599:
		return b.fail("x-acs-rate-limit", fmt.Errorf("status %d is not an HTTP error status", s.Status))
	}
	b.op.RateLimit = &RateLimit{Calls: s.Calls, Per: per, Scope: s.Scope, Status: s.Status, Codes: s.Codes, Quote: s.Quote}
	r := &Rule{ID: b.op.ID + "." + string(RuleRateLimit), Kind: RuleRateLimit, Limit: s.Calls, Scope: s.Scope, Quote: s.Quote}
	for _, c := range s.Codes {
		r.Broken = append(r.Broken, Outcome{Status: s.Status, Code: c})
	}
	b.op.Rules = append(b.op.Rules, r)
	return nil
}

// orNil turns a decoding error into a DocError; an absent extension is fine.
func orNil(err error, b *builder, place string) error {
	if err != nil {
		return b.fail(place, err)
	}
	return nil
}

// buildAmbiguities reads x-acs-ambiguities, links each to its rules, and
// checks that every reference to an ambiguity resolves and that every rule
// whose outcomes admit acceptance or a second reading names one.
func (b *builder) buildAmbiguities(o *openapi3.Operation) error {
	var specs []ambiguitySpec
	if _, err := decodeExt(o.Extensions, "x-acs-ambiguities", &specs); err != nil {
		return b.fail("paths/~1/post", err)
	}
	for i, s := range specs {
		place := fmt.Sprintf("x-acs-ambiguities[%d]", i)
		a, err := b.ambiguity(s)
		if err != nil {
			return b.fail(place, err)
		}
		b.op.Ambiguities = append(b.op.Ambiguities, a)
	}
	for _, ref := range b.exampleRefs {
		if _, ok := b.op.Ambiguity(ref.id); !ok {
			return b.fail(ref.place, fmt.Errorf("unknown ambiguity %q", ref.id))
		}
	}
	for _, r := range b.op.Rules {
		if needsAmbiguity(b.op, r) && r.Ambiguity == "" {
			return b.fail(r.ID, fmt.Errorf("the rule admits several readings (accept, strict pattern, case-insensitive enum, empty or unsure-chars) but no ambiguity names it"))
		}
	}
	return nil
}

// ambiguity checks one ambiguity and marks its rules.
func (b *builder) ambiguity(s ambiguitySpec) (*Ambiguity, error) {
	switch {
	case !strings.HasPrefix(s.ID, b.op.ID+"."):
		return nil, fmt.Errorf("id %q must start with %q", s.ID, b.op.ID+".")
	case s.Quote == "" || len(s.Readings) == 0 || s.Emulator == "":
		return nil, fmt.Errorf("%s: quote, readings and emulator are required", s.ID)
	}
	if _, dup := b.op.Ambiguity(s.ID); dup {
		return nil, fmt.Errorf("%s declared twice", s.ID)
	}
	for _, id := range s.Rules {
		r, ok := b.op.Rule(id)
		switch {
		case !ok:
			return nil, fmt.Errorf("%s: unknown rule %q", s.ID, id)
		case slices.Contains(r.Ambiguities, s.ID):
			return nil, fmt.Errorf("%s: rule %s is named twice", s.ID, id)
		}
		if r.Ambiguity == "" {
			r.Ambiguity = s.ID
		}
		r.Ambiguities = append(r.Ambiguities, s.ID)
	}
	answers, err := outcomes(s.Answers, "")
	if err != nil {
		return nil, fmt.Errorf("%s answers: %w", s.ID, err)
	}
	for _, o := range answers {
		if o.Accept || o.Batch || o.Status == 0 || o.Code == "" {
			return nil, fmt.Errorf("%s answers: each is an HTTP error status with a code", s.ID)
		}
	}
	return &Ambiguity{ID: s.ID, Quote: s.Quote, Readings: s.Readings, Emulator: s.Emulator, Rules: s.Rules, Answers: answers}, nil
}

// needsAmbiguity reports whether r's outcomes, its unsure characters or its parameter admit more
// than one reading of the seed.
func needsAmbiguity(op *Operation, r *Rule) bool {
	if r.UnsureChars != "" || len(r.Empty) > 0 || slices.ContainsFunc(r.Broken, func(o Outcome) bool { return o.Accept }) {
		return true
	}
	p, ok := op.Lookup(r.Param)
	if !ok {
		return false
	}
	switch r.Kind {
	case RulePattern, RuleFormat:
		return p.StrictPattern != nil
	case RuleEnum:
		return p.EnumCaseInsensitive
	}
	return false
}

// checkOperation checks what needs the whole model: every outcome code and
// rate-limit code is declared by the operation or the gateway.
func checkOperation(m *Model, op *Operation) error {
	for _, r := range op.Rules {
		for _, o := range slices.Concat(r.Broken, r.Empty) {
			if err := declared(m, op, o.Code, o.Batch); err != nil {
				return fmt.Errorf("%s: %w", r.ID, err)
			}
		}
	}
	for _, p := range op.Params {
		for _, ref := range p.References {
			for _, o := range ref.Broken {
				if err := declared(m, op, o.Code, o.Batch); err != nil {
					return fmt.Errorf("%s reference %s: %w", p.Path, ref.Resource, err)
				}
			}
		}
	}
	return nil
}

// declared checks that code (when not "") is a documented error of the
// right kind: a batch error for batch outcomes, an HTTP error otherwise.
func declared(m *Model, op *Operation, code string, batch bool) error {
	if code == "" {
		return nil
	}
	if e, ok := op.Error(code); ok {
		if e.Batch != batch {
			return fmt.Errorf("code %s is declared with batch=%v but used with batch=%v", code, e.Batch, batch)
		}
		return nil
	}
	if _, ok := m.GatewayError(code); ok && !batch {
		return nil
	}
	return fmt.Errorf("code %s is declared neither in x-acs-errors nor in the gateway errors", code)
}
