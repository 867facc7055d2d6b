package specs

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// paramSource pairs a built Param with the schema it was read from, for the
// second pass that reads the schema's x-acs-rules.
type paramSource struct {
	param  *Param
	schema *openapi3.Schema
	place  string // where in the document, for errors
}

// buildParams reads the query parameters and the form body of o, in
// document order, and records each param and its schema in b.sources.
func (b *builder) buildParams(o *openapi3.Operation) error {
	for _, ref := range o.Parameters {
		pr := ref.Value
		if pr == nil || pr.Schema == nil || pr.Schema.Value == nil {
			return b.fail("parameters", fmt.Errorf("a parameter has no schema"))
		}
		if pr.In != openapi3.ParameterInQuery {
			return b.fail("parameters/"+pr.Name, fmt.Errorf("in %q: only query parameters are modelled", pr.In))
		}
		p, err := b.buildParam(pr.Name, pr.Name, InQuery, pr.Required, pr.Schema.Value, pr.Description)
		if err != nil {
			return err
		}
		b.op.Params = append(b.op.Params, p)
	}
	if o.RequestBody == nil || o.RequestBody.Value == nil {
		return nil
	}
	mt := o.RequestBody.Value.Content.Get("application/x-www-form-urlencoded")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil || len(o.RequestBody.Value.Content) != 1 {
		return b.fail("requestBody", fmt.Errorf("the body must be application/x-www-form-urlencoded, and only that"))
	}
	fields, err := b.buildFields("", InBody, mt.Schema.Value)
	if err != nil {
		return err
	}
	b.op.Params = append(b.op.Params, fields...)
	return nil
}

// buildFields builds the properties of an object schema, in document order,
// with paths prefix+name.
func (b *builder) buildFields(prefix string, in Location, s *openapi3.Schema) ([]*Param, error) {
	required := map[string]bool{}
	for _, r := range s.Required {
		if _, ok := s.Properties[r]; !ok {
			return nil, b.fail(prefix+"required", fmt.Errorf("required names %q, which is not a property", r))
		}
		required[r] = true
	}
	var out []*Param
	for _, name := range propertyOrder(s) {
		ref := s.Properties[name]
		if ref.Value == nil {
			return nil, b.fail(prefix+name, fmt.Errorf("unresolved schema"))
		}
		p, err := b.buildParam(name, prefix+name, in, required[name], ref.Value, ref.Value.Description)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// propertyOrder returns the property names of s in document order (by the
// line kin-openapi recorded), names breaking ties.
func propertyOrder(s *openapi3.Schema) []string {
	line := func(name string) int {
		if v := s.Properties[name].Value; v != nil && v.Origin != nil && v.Origin.Key != nil {
			return v.Origin.Key.Line
		}
		return 0
	}
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		li, lj := line(names[i]), line(names[j])
		if li != lj {
			return li < lj
		}
		return names[i] < names[j]
	})
	return names
}

// buildParam builds one parameter (and its items or fields) from its schema.
func (b *builder) buildParam(name, path string, in Location, required bool, s *openapi3.Schema, desc string) (*Param, error) {
	place := "parameters/" + path
	p := &Param{Name: name, Path: path, In: in, Required: required, Format: s.Format,
		Description: desc, Enum: stringsOf(s.Enum), Default: valueText(s.Default), Example: valueText(s.Example)}
	var err error
	if p.Kind, err = kindOf(s); err != nil {
		return nil, b.fail(place, err)
	}
	if p.Style, err = styleOf(s, p.Kind); err != nil {
		return nil, b.fail(place, err)
	}
	if err := b.readExtensions(p, s, place); err != nil {
		return nil, err
	}
	p.MinLength, p.MaxLength = positive(s.MinLength), optional(s.MaxLength)
	p.MinItems, p.MaxItems = positive(s.MinItems), optional(s.MaxItems)
	if s.Pattern != "" {
		if p.Pattern, err = regexp.Compile(s.Pattern); err != nil {
			return nil, b.fail(place+"/pattern", err)
		}
	}
	if err := b.buildChildren(p, s, place); err != nil {
		return nil, err
	}
	b.sources = append(b.sources, paramSource{param: p, schema: s, place: place})
	return p, nil
}

// readExtensions reads x-acs-secret and x-acs-example into p.
func (b *builder) readExtensions(p *Param, s *openapi3.Schema, place string) error {
	if _, err := decodeExt(s.Extensions, "x-acs-secret", &p.Secret); err != nil {
		return b.fail(place, err)
	}
	var ex exampleSpec
	ok, err := decodeExt(s.Extensions, "x-acs-example", &ex)
	switch {
	case err != nil:
		return b.fail(place, err)
	case !ok:
		return nil
	case s.Example != nil:
		return b.fail(place, fmt.Errorf("both example and x-acs-example are given"))
	case ex.Ambiguity == "":
		return b.fail(place+"/x-acs-example", fmt.Errorf("names no ambiguity"))
	}
	p.Example, p.ExampleAmbiguity = valueText(ex.Value), ex.Ambiguity
	b.exampleRefs = append(b.exampleRefs, ambiguityRef{place: place + "/x-acs-example", id: ex.Ambiguity})
	return nil
}

// buildChildren builds the items of an array and the fields of an object.
func (b *builder) buildChildren(p *Param, s *openapi3.Schema, place string) error {
	switch p.Kind {
	case KindArray:
		if s.Items == nil || s.Items.Value == nil {
			return b.fail(place, fmt.Errorf("an array needs items"))
		}
		items, err := b.buildParam(p.Name, p.Path+"[]", p.In, false, s.Items.Value, s.Items.Value.Description)
		if err != nil {
			return err
		}
		p.Items = items
	case KindObject:
		fields, err := b.buildFields(p.Path+".", p.In, s)
		if err != nil {
			return err
		}
		p.Fields = fields
	}
	return nil
}

// kindOf returns the single type of s.
func kindOf(s *openapi3.Schema) (Kind, error) {
	types := s.Type.Slice()
	if len(types) != 1 {
		return "", fmt.Errorf("type must be exactly one type, not %v", types)
	}
	switch k := Kind(types[0]); k {
	case KindString, KindInteger, KindBoolean, KindArray, KindObject:
		return k, nil
	}
	return "", fmt.Errorf("type %q is not modelled", types[0])
}

// styleOf reads x-acs-style (default plain) and checks it suits kind.
func styleOf(s *openapi3.Schema, kind Kind) (Style, error) {
	st := StylePlain
	if _, err := decodeExt(s.Extensions, "x-acs-style", &st); err != nil {
		return "", err
	}
	switch {
	case st == StylePlain && kind != KindArray:
		return st, nil
	case st == StyleFlat && kind == KindArray, st == StyleJSON && kind == KindArray:
		return st, nil
	case kind == KindArray && st == StylePlain:
		// Array elements (items) of a flat or json array inherit no style.
		return "", fmt.Errorf("an array needs x-acs-style flat or json")
	}
	return "", fmt.Errorf("x-acs-style %q does not suit type %s", st, kind)
}

// stringsOf renders enum values as text.
func stringsOf(vs []any) []string {
	var out []string
	for _, v := range vs {
		out = append(out, valueText(v))
	}
	return out
}

// valueText renders a schema value as it travels on the wire: strings as
// they are, numbers and booleans as JSON text, arrays as a JSON document.
func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// positive returns a pointer to n, or nil when n is 0 (keyword absent).
func positive(n uint64) *int {
	if n == 0 {
		return nil
	}
	v := int(n)
	return &v
}

// optional converts an optional unsigned keyword.
func optional(n *uint64) *int {
	if n == nil {
		return nil
	}
	v := int(*n)
	return &v
}
