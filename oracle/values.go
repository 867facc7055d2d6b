package oracle

import (
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

// occurrences lists where path's value is in r: one top-level occurrence,
// or one per element of the list for an element field.
func occurrences(path string, r wire.Request) []occurrence {
	top, field := specs.SplitPath(path)
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
