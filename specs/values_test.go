package specs_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/acsconform/acsconform/specs"
)

// brokenBy lists the IDs of the value rules of p that value breaks.
func brokenBy(op *specs.Operation, p *specs.Param, value string) []string {
	var out []string
	for _, r := range op.Rules {
		if r.Param == p.Path && breaks(p, r, value) {
			out = append(out, r.ID)
		}
	}
	return out
}

// breaks reports whether value breaks the value rule r of p (rules that
// depend on other parameters or on state never break here).
func breaks(p *specs.Param, r *specs.Rule, value string) bool {
	switch r.Kind {
	case specs.RuleMinLength:
		return specs.Length(value) < r.Limit
	case specs.RuleMaxLength:
		return specs.Length(value) > r.Limit
	case specs.RulePattern, specs.RuleFormat:
		return !p.Pattern.MatchString(value) || p.Unsure(value)
	case specs.RuleEnum:
		return !slices.Contains(p.Enum, value) && !jsonArrayIn(value, p)
	case specs.RuleComplexity:
		return specs.ClassesIn(value, r.Classes) < r.Limit
	case specs.RuleType:
		return !parses(p, value)
	}
	return false
}

// jsonArrayIn reports whether value is a JSON array of p's element enum.
func jsonArrayIn(value string, p *specs.Param) bool {
	var vs []string
	if p.Items == nil || json.Unmarshal([]byte(value), &vs) != nil {
		return false
	}
	for _, v := range vs {
		if !slices.Contains(p.Items.Enum, v) {
			return false
		}
	}
	return true
}

// parses reports whether value is text of p's kind.
func parses(p *specs.Param, value string) bool {
	switch p.Kind {
	case specs.KindInteger:
		_, err := strconv.ParseInt(value, 10, 64)
		return err == nil
	case specs.KindBoolean:
		return value == "true" || value == "false"
	}
	var v []any
	return json.Unmarshal([]byte(value), &v) == nil
}

// TestSeedExamples checks each seed example against the spec: it satisfies
// every rule of its parameter, or it is listed as an ambiguity (masked or
// rule-breaking examples) and the parameter names that ambiguity.
func TestSeedExamples(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	for _, op := range m.Operations {
		for _, p := range allParams(op) {
			if p.Example == "" {
				continue
			}
			broken := brokenBy(op, p, p.Example)
			masked := strings.Contains(p.Example, "****")
			if p.ExampleAmbiguity == "" {
				assert.Check(t, is.Len(broken, 0), "%s example %q breaks rules and names no ambiguity", p.Path, p.Example)
				assert.Check(t, !masked, "%s example %q is masked and names no ambiguity", p.Path, p.Example)
				continue
			}
			_, ok := op.Ambiguity(p.ExampleAmbiguity)
			assert.Check(t, ok, "%s: ambiguity %s", p.Path, p.ExampleAmbiguity)
			assert.Check(t, len(broken) > 0 || masked || p.Unsure(p.Example) || p.Kind != specs.KindString,
				"%s example %q is listed as an ambiguity but is plainly valid", p.Path, p.Example)
		}
	}
}

// TestRuleBreakingExamples names the seed examples that break the seed's
// own rules: each is listed under its ambiguity, not silently accepted.
func TestRuleBreakingExamples(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	for _, c := range []struct {
		op, path, example, ambiguity string
		breaks                       []string
		reason                       string
	}{
		{"eds-user", "Users[].Password", "password1", "eds-user.password-example",
			[]string{"eds-user.Users[].Password.min-length", "eds-user.Users[].Password.complexity"},
			"| password1 |: 9 characters and 2 character classes, against at least 10 and three"},
		{"bastionhost", "Password", "213****", "bastionhost.password-example",
			[]string{"bastionhost.Password.min-length", "bastionhost.Password.complexity"},
			"213****: 7 characters, against 8 to 128 and four classes"},
		{"bastionhost", "Source", "local", "bastionhost.source-case",
			[]string{"bastionhost.Source.enum"}, "local, against Local, Ram, AD, LDAP"},
		{"eds-user", "Users", "CreateUsers", "eds-user.masked-examples",
			nil, "Users | array<object> | Yes | … | CreateUsers |: a word, not an array"},
	} {
		_, op := loadOpFrom(t, m, c.op)
		p, ok := op.Lookup(c.path)
		assert.Assert(t, ok, c.reason)
		assert.Check(t, is.Equal(p.Example, c.example), c.reason)
		assert.Check(t, is.Equal(p.ExampleAmbiguity, c.ambiguity), c.reason)
		assert.Check(t, is.DeepEqual(brokenBy(op, p, p.Example), c.breaks), c.reason)
	}
}

// loadOpFrom returns an operation of an already loaded model.
func loadOpFrom(t *testing.T, m *specs.Model, id string) (*specs.Model, *specs.Operation) {
	t.Helper()
	op, ok := m.Operation(id)
	assert.Assert(t, ok, id)
	return m, op
}

// TestPatternsAgreeWithKinOpenAPI: every pattern of the model accepts and
// rejects the same values under Go's regexp and under kin-openapi's schema
// validation (which request validators such as openapi3filter use).
func TestPatternsAgreeWithKinOpenAPI(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	values := []string{"", "zhangqiang", "张强", "张强_", "a.b@c-d", "a b", "\u4e00", "\u9fa5", "\u4dff", "\u9fa6",
		"86-18600008888", "86-1860000888x", "1-2", "zhangqiang@example.com", "a@b", "@b", "test1", "Te1",
		"2023-03-03", "20230303", "2023-03-03T00:00:00Z", "tomorrow", "abc_def", "ab-cd", "ɐ"}
	for _, op := range m.Operations {
		for _, p := range allParams(op) {
			for _, re := range []*regexp.Regexp{p.Pattern, p.StrictPattern} {
				if re == nil {
					continue
				}
				schema := openapi3.NewStringSchema()
				schema.Pattern = re.String()
				for _, v := range append(values, p.Example) {
					kin := schema.VisitJSON(v) == nil
					assert.Check(t, is.Equal(re.MatchString(v), kin), "%s %s on %q", p.Path, re, v)
				}
			}
		}
	}
}

func TestDisplayNameCJKRange(t *testing.T) {
	_, op := loadOp(t, "ram")
	p, _ := op.Param("DisplayName")
	for _, c := range []struct {
		value  string
		match  bool
		reason string
	}{
		{"张强", true, "the seed's example 张强"},
		{"\u4e00", true, `\u4e00 is the first character of the range`},
		{"\u9fa5", true, `\u9fa5 is the last character of the range`},
		{"\u4dff", false, "just below the range"},
		{"\u9fa6", false, "just above the range"},
		{"a.b@c-d", true, `a-zA-Z0-9\.@\- are allowed`},
		{"a_b", false, "the underscore is not in DisplayName's pattern (it is in UserName's)"},
		{"", false, "at least one character (+)"},
	} {
		assert.Check(t, is.Equal(p.Pattern.MatchString(c.value), c.match), c.reason)
	}
	assert.Check(t, is.Equal(specs.Length("张强张强张强张强张强张强"), 12), "最多包含12个字符或汉字: characters, not bytes")
}

func TestUnsure(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	for _, c := range []struct {
		op, path, value string
		unsure          bool
		reason          string
	}{
		{"ram", "MobilePhone", "86-18600008888", false, "the example matches the strict reading"},
		{"ram", "MobilePhone", "1-555", true, "digits-hyphen-digits, but not a Chinese mobile"},
		{"ram", "MobilePhone", "18600008888", false, "no hyphen: invalid under every reading"},
		{"bastionhost", "Source", "local", true, "local is Local but for case"},
		{"bastionhost", "Source", "Local", false, "exactly a documented value"},
		{"bastionhost", "Source", "remote", false, "no documented value, whatever the case"},
		{"ram", "UserName", "a b", false, "UserName's pattern is unambiguous"},
		{"eds-user", "AutoLockTime", "2023-03-03", false, "| 2023-03-03 |: the seed's own example is valid under every reading"},
		{"eds-user", "AutoLockTime", "2023-03-31", true, "a calendar date the strict pattern leaves out: unsure, never demanded rejected"},
		{"eds-user", "AutoLockTime", "2099-12-28", false, "a future date of the strict pattern"},
	} {
		_, op := loadOpFrom(t, m, c.op)
		p, _ := op.Lookup(c.path)
		assert.Check(t, is.Equal(p.Unsure(c.value), c.unsure), c.reason)
	}
}

func TestClassesIn(t *testing.T) {
	all := []string{"upper", "lower", "digit", "special"}
	for _, c := range []struct {
		value  string
		want   int
		reason string
	}{
		{"password1", 2, "lower and digit"},
		{"Test123****", 4, "upper, lower, digit and special"},
		{"Aa1 ", 3, "a space is no special character (excluding spaces)"},
		{"Aa1强", 3, "a non-ASCII character counts in no class"},
		{"", 0, "nothing"},
	} {
		assert.Check(t, is.Equal(specs.ClassesIn(c.value, all), c.want), c.reason)
	}
	assert.Check(t, is.Equal(specs.ClassesIn("Aa1!", []string{"upper", "lower"}), 2), "only the named classes count")
}
