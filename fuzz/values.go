package fuzz

import (
	"encoding/json"
	"regexp"
	"strconv"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
)

// openSpan is how far past its minimum a value with no documented maximum
// is drawn by the valid generators (boundary cases go further).
const openSpan = 24

// bounds are the documented length bounds of p for a value that keeps
// them: at least one character (an empty optional value reads as absent).
func bounds(p *specs.Param) (lo, hi int) {
	lo = 1
	if p.MinLength != nil && *p.MinLength > lo {
		lo = *p.MinLength
	}
	hi = lo + openSpan
	if p.MaxLength != nil {
		hi = *p.MaxLength
	}
	return lo, hi
}

// length draws a length in [lo, hi], often exactly lo or hi. Both draws
// always happen, so rapid shrinks an edge length towards lo step by step.
func length(t *rapid.T, lo, hi int) int {
	edge := rapid.IntRange(0, 3).Draw(t, "length-edge")
	n := rapid.IntRange(lo, hi).Draw(t, "length")
	switch edge {
	case 2:
		return lo
	case 3:
		return hi
	}
	return n
}

// validValue draws a value of p that keeps every documented rule on it
// under every reading.
func validValue(op *specs.Operation, p *specs.Param) *rapid.Generator[string] {
	lo, hi := bounds(p)
	return sized(op, p, lo, hi)
}

// sized draws a value of p whose length in characters is in [lo, hi] and
// that keeps every other rule on p (pattern, enum, format, complexity).
func sized(op *specs.Operation, p *specs.Param, lo, hi int) *rapid.Generator[string] {
	enum, _ := oracle.EnumOf(p)
	switch {
	case p.Style == specs.StyleJSON && len(enum) > 0:
		return jsonArray(p, enum)
	case len(enum) > 0:
		return rapid.SampledFrom(enum)
	case p.Kind == specs.KindInteger:
		return rapid.Map(rapid.Int64Range(0, 1<<32), func(n int64) string { return strconv.FormatInt(n, 10) })
	case p.Kind == specs.KindBoolean:
		return rapid.SampledFrom([]string{"true", "false"})
	}
	if rule := ruleOn(op, p, specs.RuleComplexity); rule != nil {
		return password(rule, lo, hi, rule.Classes)
	}
	if re := sure(p); re != nil {
		return matching(re, lo, hi)
	}
	return rapid.Custom(func(t *rapid.T) string { return trimmed(t, freeText, length(t, lo, hi)) })
}

// trimmed draws n runes of cs that neither start nor end with a space, so
// a target that trims values sees the same value.
func trimmed(t *rapid.T, cs charset, n int) string {
	rs := []rune(cs.stringOf(t, n))
	for _, i := range []int{0, len(rs) - 1} {
		if i >= 0 && rs[i] == ' ' {
			rs[i] = '_'
		}
	}
	return string(rs)
}

// sure is the pattern every reading accepts: StrictPattern, else Pattern.
func sure(p *specs.Param) *regexp.Regexp {
	if p.StrictPattern != nil {
		return p.StrictPattern
	}
	return p.Pattern
}

// matching draws strings of re with a length in [lo, hi]: from the
// pattern's character class when it is one class repeated, else from the
// pattern itself, filtered by length.
func matching(re *regexp.Regexp, lo, hi int) *rapid.Generator[string] {
	if cs, least, most, ok := simpleClass(re); ok {
		lo = max(lo, least)
		if most >= 0 && most < hi {
			hi = most
		}
		return rapid.Custom(func(t *rapid.T) string { return cs.stringOf(t, length(t, lo, hi)) })
	}
	return rapid.StringMatching(re.String()).Filter(func(s string) bool {
		n := utf8.RuneCountInString(s)
		return n >= lo && n <= hi
	})
}

// password draws a value of length [lo, hi] holding at least one character
// of each of classes, every character printable ASCII of those classes.
func password(rule *specs.Rule, lo, hi int, classes []string) *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		n := max(length(t, lo, hi), len(classes))
		var all charset
		rs := make([]rune, 0, n)
		for _, c := range classes {
			cs := classSet(c, oracle.ClassOf)
			all = append(all, cs...)
			rs = append(rs, cs.rune().Draw(t, "class-char"))
		}
		for len(rs) < n {
			rs = append(rs, all.rune().Draw(t, "char"))
		}
		return string(rapid.Permutation(rs).Draw(t, "password"))
	})
}

// jsonArray draws a JSON array of distinct enum values, as many as the
// documented item bounds allow (at least one).
func jsonArray(p *specs.Param, enum []string) *rapid.Generator[string] {
	lo, hi := 1, len(enum)
	if p.MinItems != nil && *p.MinItems > lo {
		lo = *p.MinItems
	}
	if p.MaxItems != nil && *p.MaxItems < hi {
		hi = *p.MaxItems
	}
	return rapid.Custom(func(t *rapid.T) string {
		items := rapid.SliceOfNDistinct(rapid.SampledFrom(enum), lo, hi, rapid.ID[string]).Draw(t, "items")
		b, _ := json.Marshal(items)
		return string(b)
	})
}

// ruleOn returns the first rule of kind on p's path, nil if none.
func ruleOn(op *specs.Operation, p *specs.Param, kind specs.RuleKind) *specs.Rule {
	for _, r := range op.Rules {
		if r.Kind == kind && r.Param == p.Path {
			return r
		}
	}
	return nil
}
