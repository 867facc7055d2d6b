package fuzz

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// veryLong is the length of the "very long" boundary value when it is
// longer than ten times the documented maximum.
const veryLong = 4096

// probe strings that every parameter gets.
const (
	percentSpecial = "+*~%&=/"
	invalidUTF8    = "\xff\xfe"
	emoji          = "😀" // 4 bytes in UTF-8, 2 code units in UTF-16
)

// boundaryValue is one boundary value for a parameter and what it is.
type boundaryValue struct {
	label, value string
}

// Boundary returns, for every parameter of op (each field of a list
// element in its first element), a valid request drawn with seed with that
// parameter set to each of its boundary values: at the minimum and maximum
// length, one under and one over, empty, whitespace, control characters,
// invalid UTF-8, multi-byte characters (byte length and character length
// differ, and UTF-16 length too), the characters percent-encoding treats
// specially, and a very long value; integers, booleans, enums and JSON
// arrays get their own edge values, lists their edge sizes. Each case's
// Base is the valid request it changes. It panics when the spec admits no valid request; Cases returns an error.
func Boundary(op *specs.Operation, seed int64) []Case {
	sited := boundaries(op, seed)
	cases := make([]Case, len(sited))
	for i, c := range sited {
		cases[i] = c.Case
	}
	return cases
}

// sitedCase is a boundary case and the one site it sets a value at; a
// list-size case sets a whole list and has no site (ok false).
type sitedCase struct {
	Case
	at site
	ok bool
}

// boundaries are Boundary's cases with their sites.
func boundaries(op *specs.Operation, seed int64) []sitedCase {
	base := exampleOf(Valid(op), seed)
	var cases []sitedCase
	for _, p := range op.Params {
		if p.Style == specs.StyleFlat {
			for _, c := range listBoundaries(op, p, base, seed) {
				cases = append(cases, sitedCase{Case: c})
			}
			for _, f := range fieldsOf(p) {
				cases = append(cases, paramBoundaries(op, f, base, site{top: p.Name, field: f.Name, el: 0}, seed)...)
			}
			continue
		}
		cases = append(cases, paramBoundaries(op, p, base, site{top: p.Name, el: -1}, seed)...)
	}
	return cases
}

// paramBoundaries are the cases of one parameter at one site.
func paramBoundaries(op *specs.Operation, p *specs.Param, base wire.Request, s site, seed int64) []sitedCase {
	values := boundaryValues(op, p, seed)
	cases := make([]sitedCase, 0, len(values))
	for _, b := range values {
		r := base.Clone()
		s.set(&r, b.value)
		cases = append(cases, sitedCase{Case: Case{Request: r, Base: base, Label: fmt.Sprintf("%s%s %s", boundaryPrefix, s, b.label)}, at: s, ok: true})
	}
	return cases
}

// boundaryPrefix begins every boundary case's label.
const boundaryPrefix = "boundary: "

// boundaryValues lists the boundary values of p.
func boundaryValues(op *specs.Operation, p *specs.Param, seed int64) []boundaryValue {
	enum, _ := p.Enumeration()
	switch {
	case p.Style == specs.StyleJSON:
		return jsonBoundaries(enum)
	case len(enum) > 0:
		return enumBoundaries(enum)
	case p.Kind == specs.KindInteger:
		return integerBoundaries
	case p.Kind == specs.KindBoolean:
		return booleanBoundaries
	}
	return stringBoundaries(op, p, seed)
}

// integerBoundaries are edge texts of an integer parameter.
var integerBoundaries = []boundaryValue{
	{"zero", "0"}, {"negative", "-1"}, {"int64 max", "9223372036854775807"},
	{"int64 max + 1", "9223372036854775808"}, {"decimal fraction", "1.5"}, {"exponent", "1e3"},
	{"leading plus", "+1"}, {"leading zeros", "007"}, {"padded", " 1 "}, {"empty", ""},
}

// booleanBoundaries are edge texts of a boolean parameter.
var booleanBoundaries = []boundaryValue{
	{"true", "true"}, {"false", "false"}, {"upper case", "TRUE"}, {"digit", "1"},
	{"word", "yes"}, {"empty", ""},
}

// enumBoundaries are every documented value, its case variants, a padded
// value and an empty one.
func enumBoundaries(enum []string) []boundaryValue {
	var out []boundaryValue
	for _, v := range enum {
		out = append(out, boundaryValue{"= " + v, v})
	}
	first := enum[0]
	return append(out,
		boundaryValue{"lower-case " + first, strings.ToLower(first)},
		boundaryValue{"upper-case " + first, strings.ToUpper(first)},
		boundaryValue{"padded " + first, " " + first + " "},
		boundaryValue{"empty", ""})
}

// jsonBoundaries are edge JSON arrays: empty, every item alone, all items,
// and broken JSON.
func jsonBoundaries(enum []string) []boundaryValue {
	out := []boundaryValue{{"empty array", "[]"}, {"empty string item", `[""]`}, {"not JSON", "["},
		{"trailing comma", `["x",]`}, {"a string, not an array", `"x"`}, {"a number item", "[1]"}, {"empty", ""}}
	for _, v := range enum {
		out = append(out, boundaryValue{"only " + v, jsonText([]string{v})})
	}
	if len(enum) > 1 {
		out = append(out, boundaryValue{"every item", jsonText(enum)})
	}
	return out
}

// stringBoundaries are the length edges and character edges of a string.
func stringBoundaries(op *specs.Operation, p *specs.Param, seed int64) []boundaryValue {
	valid := exampleOf(validValue(op, p), seed)
	out := []boundaryValue{
		{"empty", ""}, {"a space", " "}, {"padded with spaces", " " + valid + " "},
		{"with NUL", valid + "\x00"}, {"with a tab", valid + "\t"}, {"with DEL", valid + "\x7f"},
		{"with invalid UTF-8", invalidUTF8 + valid}, {"with " + percentSpecial, percentSpecial + valid},
		{"only " + percentSpecial, percentSpecial}, {"with an emoji", emoji + valid},
	}
	out = append(out, lengthBoundaries(op, p, seed)...)
	if wide, ok := widest(p); ok && !hasByteBoundaries(op, p) {
		n := 8
		if p.MaxLength != nil {
			n = *p.MaxLength
		}
		out = append(out, boundaryValue{fmt.Sprintf("%d multi-byte characters (%d bytes)", n, n*utf8.RuneLen(wide)), strings.Repeat(string(wide), n)})
	}
	return out
}

// hasByteBoundaries reports whether byteBoundaries already sends p's
// maximum in multi-byte characters.
func hasByteBoundaries(op *specs.Operation, p *specs.Param) bool {
	_, ok := wideRune(op, p)
	return ok && p.MaxLength != nil
}

// lengthBoundaries are values at, one under and one over the documented
// lengths, in characters and, where multi-byte characters are allowed, in
// bytes (byteBoundaries), and a very long one.
func lengthBoundaries(op *specs.Operation, p *specs.Param, seed int64) []boundaryValue {
	var out []boundaryValue
	at := func(label string, n int) {
		v, ok := "", n == 0
		if n > 0 {
			v, ok = example(sized(op, p, n, n), seed)
		}
		if ok {
			out = append(out, boundaryValue{fmt.Sprintf("%s (%d characters)", label, n), v})
		}
	}
	long := veryLong
	if p.MaxLength != nil {
		long = max(long, 10**p.MaxLength)
	}
	if p.MinLength != nil {
		at("at the minimum length", *p.MinLength)
		at("one under the minimum length", *p.MinLength-1)
	}
	if p.MaxLength != nil {
		at("at the maximum length", *p.MaxLength)
		at("one over the maximum length", *p.MaxLength+1)
	}
	out = append(out, byteBoundaries(op, p)...)
	if v, ok := example(sized(op, p, long, long), seed); ok {
		out = append(out, boundaryValue{fmt.Sprintf("very long (%d characters)", long), v})
	} else if v, ok := example(validValue(op, p), seed); ok && v != "" {
		// a pattern no class can stretch: repeat its first character
		first, _ := utf8.DecodeRuneInString(v)
		out = append(out, boundaryValue{fmt.Sprintf("very long (%d characters)", long), strings.Repeat(string(first), long) + v})
	}
	return out
}

// example draws gen's example for seed; ok is false when gen cannot
// produce one (a pattern with no string of that length), at once when gen
// is known to fail on every draw (rapid would try a thousand times).
func example[V any](gen *rapid.Generator[V], seed int64) (v V, ok bool) {
	if drawsNever(gen) {
		return v, false
	}
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return exampleOf(gen, seed), true
}

// widest is the first character of p's sure pattern with the longest
// UTF-8 encoding, when that is more than one byte (一 for a class holding
// the CJK ideographs); a CJK ideograph without a pattern.
func widest(p *specs.Param) (rune, bool) {
	cs := freeText
	if re := sure(p); re != nil {
		class, _, _, ok := simpleClass(re)
		if !ok {
			return 0, false
		}
		cs = class
	}
	best := rune(0)
	for _, rg := range cs {
		if utf8.RuneLen(rg[1]) > utf8.RuneLen(best) {
			best = max(rg[0], firstOfLength[utf8.RuneLen(rg[1])])
		}
	}
	return best, utf8.RuneLen(best) > 1
}

// firstOfLength is the first rune of each UTF-8 encoding length.
var firstOfLength = map[int]rune{1: 0, 2: 0x80, 3: 0x800, 4: 0x10000}

// listBoundaries are edge sizes of a flattened list: empty, one element,
// the most a valid request holds, one over a documented maximum, and a
// batch beyond the undocumented-size policy.
func listBoundaries(op *specs.Operation, p *specs.Param, base wire.Request, seed int64) []Case {
	sizes := []int{0, 1, MaxBatch, oracle.UndocumentedBatch + 1}
	if p.MaxItems != nil {
		sizes = append(sizes, *p.MaxItems, *p.MaxItems+1)
	}
	names := NewNames(seed)
	var cases []Case
	for _, n := range sizes {
		els, ok := example(newList(op, p, n, n), seed) // Example's own: not list's shared one
		if !ok {
			continue
		}
		r := base.Clone()
		setList(&r, p, els)
		names.applyInPlace(op, r) // r and els are drawn for this case
		cases = append(cases, Case{Request: r, Base: base, Label: fmt.Sprintf("%s%s with %d elements", boundaryPrefix, p.Name, n)})
	}
	return cases
}
