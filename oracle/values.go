package oracle

import (
	"iter"
	"slices"

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

// occurrences yields where path's value is in r: one top-level
// occurrence, or one per element of the list for an element field.
func occurrences(path string, r wire.Request) iter.Seq[occurrence] {
	return func(yield func(occurrence) bool) { // split inside: occurrences inlines
		top, field := specs.SplitPath(path)
		for o := range occurrencesOf(top, field, r) {
			if !yield(o) {
				return
			}
		}
	}
}

// occurrencesOf is occurrences of the path of field in list top's
// elements, or of top alone when field is "".
func occurrencesOf(top, field string, r wire.Request) iter.Seq[occurrence] {
	return func(yield func(occurrence) bool) {
		if field == "" {
			v, ok := r.Params[top]
			yield(occurrence{Element: topLevel, Value: v, Present: ok})
			return
		}
		for i, el := range r.Lists[top] {
			v, ok := el[field]
			if !yield(occurrence{Element: i, Value: v, Present: ok}) {
				return
			}
		}
	}
}

// appendHits appends to dst the evaluation of each occurrence of the
// judged rule's parameter in r.
func appendHits(dst []Hit, jr *judgedRule, r wire.Request, eval func(o occurrence) Eval) []Hit {
	n := 1
	if jr.field != "" {
		n = len(r.Lists[jr.top])
	}
	dst = slices.Grow(dst, n)
	for o := range occurrencesOf(jr.top, jr.field, r) {
		dst = append(dst, Hit{Element: o.Element, Eval: eval(o)})
	}
	return dst
}

// Values lists the values sent for a parameter path in r: the top-level
// value, or the field's value in each element that sends it.
func Values(path string, r wire.Request) []string {
	var out []string
	for o := range occurrences(path, r) {
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
