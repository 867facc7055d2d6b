package oracle

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/acsconform/acsconform/specs"
)

// checkType: the text parses as the parameter's kind. Non-canonical forms a
// lenient parser would take ("007", "+1", "TRUE") are ambiguous.
func checkType(p *specs.Param, _ *specs.Rule, v string) Eval {
	switch p.Kind {
	case specs.KindInteger:
		return checkInteger(p.Format, v)
	case specs.KindBoolean:
		return checkBoolean(v)
	case specs.KindArray:
		if p.Style == specs.StyleJSON {
			return checkJSONArray(v)
		}
	}
	return Satisfied
}

// checkInteger: decimal text in range of the format (int32, else int64).
func checkInteger(format, v string) Eval {
	bits := 64
	if format == "int32" {
		bits = 32
	}
	n, err := strconv.ParseInt(v, 10, bits)
	switch {
	case err != nil:
		return Broken
	case strconv.FormatInt(n, 10) != v:
		return Ambiguous
	}
	return Satisfied
}

// checkBoolean: "true" or "false"; other cases of them are ambiguous.
func checkBoolean(v string) Eval {
	switch {
	case v == "true" || v == "false":
		return Satisfied
	case strings.EqualFold(v, "true") || strings.EqualFold(v, "false"):
		return Ambiguous
	}
	return Broken
}

// checkJSONArray: a JSON array of strings; an array of other values is ambiguous.
func checkJSONArray(v string) Eval {
	if _, ok := jsonStrings(v); ok {
		return Satisfied
	}
	var any []any
	if json.Unmarshal([]byte(v), &any) == nil {
		return Ambiguous
	}
	return Broken
}

// jsonStrings parses a JSON array of strings.
func jsonStrings(v string) ([]string, bool) {
	var items []string
	if err := json.Unmarshal([]byte(v), &items); err != nil || items == nil {
		return nil, false
	}
	return items, true
}

// lengths counts v in characters two ways: Unicode code points, and UTF-16
// code units (what a Java or JavaScript service counts). They differ only
// for characters outside the Basic Multilingual Plane.
func lengths(v string) (runes, units int) {
	for i := 0; i < len(v); runes++ {
		if v[i] < utf8.RuneSelf { // ASCII: one of each, decoded at no cost
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(v[i:])
		if utf16.RuneLen(r) == 2 {
			units++
		}
		i += w
	}
	return runes, runes + units
}

// checkLength evaluates ok on both ways of counting v: agreeing readings
// decide, disagreeing ones are ambiguous.
func checkLength(v string, ok func(n int) bool) Eval {
	runes, units := lengths(v)
	a, b := ok(runes), ok(units)
	switch {
	case a && b:
		return Satisfied
	case !a && !b:
		return Broken
	}
	return Ambiguous
}

// checkMinLength: at least rule.Limit characters.
func checkMinLength(_ *specs.Param, rule *specs.Rule, v string) Eval {
	return checkLength(v, func(n int) bool { return n >= rule.Limit })
}

// checkMaxLength: at most rule.Limit characters.
func checkMaxLength(_ *specs.Param, rule *specs.Rule, v string) Eval {
	return checkLength(v, func(n int) bool { return n <= rule.Limit })
}

// patternCheck judges the values of one parameter against its Pattern
// and StrictPattern, each made a Matcher once: outside Pattern is broken
// under every reading; inside Pattern but outside StrictPattern is
// ambiguous. A parameter without a Pattern keeps the rule.
type patternCheck struct{ broad, strict *specs.Matcher }

// newPatternCheck makes the pattern check of p.
func newPatternCheck(p *specs.Param) patternCheck {
	var c patternCheck
	if p.Pattern != nil {
		c.broad = specs.NewMatcher(p.Pattern)
	}
	if p.StrictPattern != nil {
		c.strict = specs.NewMatcher(p.StrictPattern)
	}
	return c
}

// check is the valueCheck of the parameter the check was made for.
func (c patternCheck) check(_ *specs.Param, _ *specs.Rule, v string) Eval {
	switch {
	case c.broad == nil:
		return Satisfied
	case !c.broad.MatchString(v):
		return Broken
	case c.strict != nil && !c.strict.MatchString(v):
		return Ambiguous
	}
	return Satisfied
}

// costly reports whether a value's check runs a pattern (a pattern
// matched by a table costs no more than remembering it).
func (c patternCheck) costly() bool {
	return c.broad != nil && !c.broad.Table() || c.strict != nil && !c.strict.Table()
}

// checkEnum: the value (each item of a JSON array) is one of the enum.
func checkEnum(p *specs.Param, _ *specs.Rule, v string) Eval {
	enum, fold := p.Enumeration()
	if len(enum) == 0 {
		return Satisfied
	}
	if p.Style != specs.StyleJSON {
		return enumValue(enum, fold, v)
	}
	items, ok := jsonStrings(v)
	if !ok {
		return Satisfied // the type rule judges the JSON itself
	}
	e := Satisfied
	for _, it := range items {
		e = worse(e, enumValue(enum, fold, it))
	}
	return e
}

// enumValue: exact match satisfies; a case variant is ambiguous when the
// spec notes the enum may be case-insensitive.
func enumValue(enum []string, fold bool, v string) Eval {
	e := Broken
	for _, x := range enum {
		if x == v {
			return Satisfied
		}
		if fold && strings.EqualFold(x, v) {
			e = Ambiguous
		}
	}
	return e
}

// checkFormat: the value has the parameter's format, by the format's
// name. A format the spec writes as patterns (Pattern broad,
// StrictPattern sure) is judged like a pattern instead (checkOf).
func checkFormat(p *specs.Param, _ *specs.Rule, v string) Eval {
	switch p.Format {
	case "email":
		return checkEmail(v)
	case "date":
		return checkDate(v)
	case "json-array":
		return checkJSONArray(v)
	case "int32", "int64":
		return checkInteger(p.Format, v)
	}
	if p.Style == specs.StyleJSON {
		return checkJSONArray(v)
	}
	return Ambiguous // a format the oracle does not know: accept either answer
}

var (
	// plainEmail is an address every reading accepts.
	plainEmail = regexp.MustCompile(`^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$`)
	// looseDate is a date some parser may accept ("2023-3-3", "2023-02-30").
	looseDate = regexp.MustCompile(`^\d{4}[-/]\d{1,2}[-/]\d{1,2}`)
)

// checkEmail: a plain address satisfies; text with no '@' between non-empty
// parts is broken; anything else (quoted parts, odd domains) is ambiguous.
func checkEmail(v string) Eval {
	if plainEmail.MatchString(v) {
		return Satisfied
	}
	if i := strings.LastIndexByte(v, '@'); i <= 0 || i == len(v)-1 {
		return Broken
	}
	return Ambiguous
}

// checkDate: a calendar date YYYY-MM-DD satisfies; near misses are ambiguous.
func checkDate(v string) Eval {
	if _, err := time.Parse(time.DateOnly, v); err == nil {
		return Satisfied
	}
	if looseDate.MatchString(v) {
		return Ambiguous
	}
	return Broken
}

// checkComplexity: at least rule.Limit of rule.Classes appear. An ASCII
// character of a class (specs.CharClass) counts surely. A non-ASCII
// character, or one of the rule's unsure characters, may count for any one
// class under some reading, so a count short by no more than the distinct
// such characters is ambiguous. An unsure character may also make the value
// invalid, so a value holding one is at best ambiguous.
func checkComplexity(_ *specs.Param, rule *specs.Rule, v string) Eval {
	sure, open, unsure := map[string]bool{}, map[rune]bool{}, false
	for _, r := range v {
		switch {
		case strings.ContainsRune(rule.UnsureChars, r):
			open[r], unsure = true, true
		case specs.CharClass(r) != "":
			sure[specs.CharClass(r)] = true
		case r >= utf8.RuneSelf:
			open[r] = true
		}
	}
	n := 0
	for _, c := range rule.Classes {
		if sure[c] {
			n++
		}
	}
	switch {
	case n >= rule.Limit && !unsure:
		return Satisfied
	case n+len(open) < rule.Limit:
		return Broken
	}
	return Ambiguous
}
