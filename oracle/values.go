package oracle

import (
	"strings"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Top-level is the Element of an occurrence outside any list.
const topLevel = -1

// occurrence is one place where a parameter's value may be in a request.
type occurrence struct {
	// Element is the 0-based index in the list, or topLevel.
	Element int
	Value   string
	Present bool
}

// SplitPath splits a parameter path into its top-level name and the field
// of a list element ("Users[].EndUserId" is "Users", "EndUserId"); field is
// "" for a top-level path.
func SplitPath(path string) (top, field string) {
	top, field, _ = strings.Cut(path, "[].")
	return top, field
}

// ParamAt returns the parameter a path names: a top-level parameter
// ("UserName") or a field of a list element ("Users[].EndUserId").
func ParamAt(op *specs.Operation, path string) (*specs.Param, bool) {
	top, field := SplitPath(path)
	p, ok := op.Param(top)
	if !ok || field == "" {
		return p, ok
	}
	return fieldOf(p, field)
}

// fieldOf finds a field of a list parameter, whose fields may sit on the
// parameter itself or on its Items.
func fieldOf(p *specs.Param, name string) (*specs.Param, bool) {
	if f, ok := p.Field(name); ok {
		return f, true
	}
	if p.Items != nil {
		return p.Items.Field(name)
	}
	return nil, false
}

// occurrences lists where path's value is in r: one top-level occurrence,
// or one per element of the list for an element field.
func occurrences(path string, r wire.Request) []occurrence {
	top, field := SplitPath(path)
	if field == "" {
		v, ok := r.Params[top]
		return []occurrence{{Element: topLevel, Value: v, Present: ok}}
	}
	list := r.Lists[top]
	occ := make([]occurrence, len(list))
	for i, el := range list {
		v, ok := el[field]
		occ[i] = occurrence{Element: i, Value: v, Present: ok}
	}
	return occ
}

// Values lists the values sent for a parameter path in r: the top-level
// value, or the field's value in each element that sends it.
func Values(path string, r wire.Request) []string {
	var out []string
	for _, o := range occurrences(path, r) {
		if o.Present {
			out = append(out, o.Value)
		}
	}
	return out
}

// presentTop reports whether a top-level parameter is sent non-empty at top level: a scalar
// with a non-empty value or a list with at least one element.
func presentTop(r wire.Request, name string) bool {
	if v, ok := r.Params[name]; ok && v != "" {
		return true
	}
	return len(r.Lists[name]) > 0
}
