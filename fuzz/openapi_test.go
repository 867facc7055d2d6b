package fuzz

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// formMedia is the media type of eds-user's body.
const formMedia = "application/x-www-form-urlencoded"

// validateWithOpenAPI checks every parameter of r against its schema in
// the operation's OpenAPI document with kin-openapi, independently of the
// oracle: query parameters one by one, the form body as one object.
func validateWithOpenAPI(op *specs.Operation, r wire.Request) error {
	o := op.Doc.Paths.Value("/").Post
	body := map[string]any{}
	for name, text := range r.Params {
		p, _ := op.Param(name)
		v, err := jsonValue(p, text)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if p.In == specs.InBody {
			body[name] = v
			continue
		}
		ref := o.Parameters.GetByInAndName(string(p.In), name)
		if ref == nil {
			return fmt.Errorf("%s: not in the document", name)
		}
		if err := ref.Schema.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	for name, els := range r.Lists {
		list := make([]any, len(els))
		for i, el := range els {
			m := map[string]any{}
			for k, v := range el {
				m[k] = v
			}
			list[i] = m
		}
		body[name] = list
	}
	if o.RequestBody == nil {
		if len(body) > 0 {
			return fmt.Errorf("a body for an operation without one")
		}
		return nil
	}
	return o.RequestBody.Value.Content.Get(formMedia).Schema.Value.VisitJSON(body, openapi3.MultiErrors())
}

// jsonValue converts wire text to the JSON value its schema describes.
func jsonValue(p *specs.Param, text string) (any, error) {
	switch {
	case p.Style == specs.StyleJSON:
		var v []any
		err := json.Unmarshal([]byte(text), &v)
		return v, err
	case p.Kind == specs.KindInteger:
		return strconv.ParseInt(text, 10, 64)
	case p.Kind == specs.KindBoolean:
		return strconv.ParseBool(text)
	}
	return text, nil
}

func TestValidRequestsPassOpenAPIValidation(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		t.Run(op.ID, rapid.MakeCheck(func(t *rapid.T) {
			r := Valid(op).Draw(t, "request")
			if err := validateWithOpenAPI(op, r); err != nil {
				t.Fatalf("kin-openapi rejects a valid request: %v\n%+v", err, r)
			}
		}))
	}
}

// schemaKinds are rule kinds the OpenAPI schema itself expresses.
var schemaKinds = map[specs.RuleKind]bool{
	specs.RuleMinLength: true, specs.RuleMaxLength: true, specs.RulePattern: true,
	specs.RuleEnum: true, specs.RuleType: true, specs.RuleMaxItems: true,
}

func TestInvalidRequestsFailOpenAPIValidation(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		for _, rule := range op.Rules {
			if !schemaKinds[rule.Kind] {
				continue
			}
			t.Run(rule.ID, rapid.MakeCheck(func(t *rapid.T) {
				c := InvalidFor(op, rule).Draw(t, "case")
				if err := validateWithOpenAPI(op, c.Request); err == nil {
					t.Fatalf("%s: kin-openapi accepts it: %+v", c.Label, c.Request)
				}
			}))
		}
	}
}
