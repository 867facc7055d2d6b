package suites

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/acsconform/acsconform/specs"
)

// schemaMismatch says how a success body differs from the documented
// schema in the requested format; "" when it matches.
func schemaMismatch(resp *specs.Response, format string, doc document) string {
	if resp.Schema == nil || resp.Schema.Value == nil {
		return ""
	}
	if format == formatXML {
		if doc.Root != resp.XMLRoot {
			return fmt.Sprintf("root element <%s>, want <%s>", doc.Root, resp.XMLRoot)
		}
		return xmlMismatch(resp.Schema.Value, doc.Value, doc.Root)
	}
	return jsonMismatch(resp.Schema.Value, doc.Value)
}

// envelopeMismatch says how an error body differs from the error envelope;
// "" when it matches.
func envelopeMismatch(schema *openapi3.SchemaRef, format string, doc document) string {
	if schema == nil || schema.Value == nil {
		return ""
	}
	if format == formatXML {
		return xmlMismatch(schema.Value, doc.Value, doc.Root)
	}
	return jsonMismatch(schema.Value, doc.Value)
}

// jsonMismatch validates a decoded JSON value against a schema with kin-openapi.
func jsonMismatch(s *openapi3.Schema, v any) string {
	err := s.VisitJSON(v, openapi3.MultiErrors())
	if err == nil {
		return ""
	}
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		parts := make([]string, 0, len(multi))
		for _, e := range multi {
			parts = append(parts, schemaErrorText(e))
		}
		sort.Strings(parts)
		return strings.Join(parts, "; ")
	}
	return schemaErrorText(err)
}

// schemaErrorText words one schema error as "at /User/UserId: reason".
func schemaErrorText(err error) string {
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return fmt.Sprintf("at /%s: %s", strings.Join(se.JSONPointer(), "/"), se.Reason)
	}
	return err.Error()
}

// xmlMismatch checks an XML value (maps and string leaves) against a
// schema: required elements present, objects as elements with children,
// scalars as text that parses as their type.
func xmlMismatch(s *openapi3.Schema, v any, path string) string {
	switch {
	case s.Type.Is(openapi3.TypeObject) || len(s.Properties) > 0:
		return xmlObjectMismatch(s, v, path)
	case s.Type.Is(openapi3.TypeArray):
		return "" // XML does not say whether one child is a list; anything goes
	}
	text, ok := v.(string)
	if !ok {
		return fmt.Sprintf("<%s> has child elements, want text", path)
	}
	return scalarMismatch(s, text, path)
}

// xmlObjectMismatch checks an element that the schema says is an object.
func xmlObjectMismatch(s *openapi3.Schema, v any, path string) string {
	m, ok := v.(map[string]any)
	if !ok {
		if text, isText := v.(string); isText && text == "" && len(s.Required) == 0 {
			return ""
		}
		return fmt.Sprintf("<%s> has no child elements", path)
	}
	var problems []string
	for _, name := range s.Required {
		if _, present := m[name]; !present {
			problems = append(problems, fmt.Sprintf("<%s> lacks <%s>", path, name))
		}
	}
	for _, name := range sortedKeys(m, make([]string, 0, 8)) {
		if prop, known := s.Properties[name]; known && prop.Value != nil {
			if p := xmlMismatch(prop.Value, m[name], path+"/"+name); p != "" {
				problems = append(problems, p)
			}
		}
	}
	return strings.Join(problems, "; ")
}

// scalarMismatch checks that XML text parses as the schema's scalar type.
func scalarMismatch(s *openapi3.Schema, text, path string) string {
	var err error
	switch {
	case s.Type.Is(openapi3.TypeInteger):
		_, err = strconv.ParseInt(text, 10, 64)
	case s.Type.Is(openapi3.TypeNumber):
		_, err = strconv.ParseFloat(text, 64)
	case s.Type.Is(openapi3.TypeBoolean):
		_, err = strconv.ParseBool(text)
	}
	if err != nil {
		return fmt.Sprintf("<%s> is %q, want %s", path, text, s.Type.Slice())
	}
	return ""
}
