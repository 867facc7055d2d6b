package specs_test

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v4"

	"github.com/acsconform/acsconform/specs"
)

// documentPatterns returns every pattern written in the documents (the
// keys pattern and strict-pattern, at any depth), as "file: pattern".
func documentPatterns(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, src := range specs.Sources() {
		var doc yaml.Node
		if err := yaml.Unmarshal(src, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					k, v := n.Content[i], n.Content[i+1]
					if (k.Value == "pattern" || k.Value == "strict-pattern") && v.Kind == yaml.ScalarNode {
						out[fmt.Sprintf("%s:%d: %s", name, v.Line, v.Value)] = v.Value
					}
				}
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(&doc)
	}
	return out
}

// forbiddenText is source syntax Go's RE2 and ECMA-262 (without the u
// flag) read differently, or only one of them reads.
var forbiddenText = []struct{ token, why string }{
	{`\x`, `\x{...} is RE2 only; write the character`},
	{`\u`, `\uXXXX is JavaScript only; write the character`},
	{`\p`, `\p{...} needs JavaScript's u flag`},
	{`\P`, `\P{...} needs JavaScript's u flag`},
	{`\Q`, `\Q...\E is RE2 only`},
	{`\A`, `\A is RE2 only`},
	{`\z`, `\z is RE2 only`},
	{`\b`, `\b depends on each engine's word characters`},
	{`\B`, `\B depends on each engine's word characters`},
	{`\s`, `\s is ASCII white space in RE2, Unicode white space in JavaScript; list the characters`},
	{`\S`, `\S is ASCII white space in RE2, Unicode white space in JavaScript; list the characters`},
	{`(?`, `flags, named and non-capturing groups are not portable`},
	{`[[:`, `POSIX classes are RE2 only`},
}

// portable reports why a pattern is not in the subset both engines read
// the same way, "" when it is.
func portable(pattern string) string {
	for _, f := range forbiddenText {
		if strings.Contains(pattern, f.token) {
			return f.why
		}
	}
	if _, err := regexp.Compile(pattern); err != nil {
		return "Go does not compile it: " + err.Error()
	}
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return err.Error()
	}
	return portableTree(re, false)
}

// portableTree checks the parse tree: no dot (JavaScript's excludes \r and
// U+2028/9, RE2's only \n), no multi-line anchors or word boundaries, no
// lazy or possessive repeats, no named groups, no character outside the
// Basic Multilingual Plane (JavaScript without u counts UTF-16 units), and
// no counted repeat of a class that matches such characters (the counts
// would differ).
func portableTree(re *syntax.Regexp, counted bool) string {
	switch re.Op {
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return "'.' is not the same set in both engines; write a class"
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return "multi-line anchors and word boundaries are not portable"
	case syntax.OpCapture:
		if re.Name != "" {
			return "named groups are not portable"
		}
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		if re.Flags&syntax.NonGreedy != 0 {
			return "lazy repeats are not portable"
		}
		counted = re.Op == syntax.OpRepeat
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r > 0xFFFF {
				return fmt.Sprintf("%U is outside the Basic Multilingual Plane", r)
			}
		}
		if re.Flags&syntax.FoldCase != 0 {
			return "case folding is not portable"
		}
	case syntax.OpCharClass:
		if counted && len(re.Rune) > 0 && re.Rune[len(re.Rune)-1] > 0xFFFF {
			return "a counted repeat of a class matching characters beyond U+FFFF counts differently in JavaScript"
		}
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] > 0xFFFF && re.Rune[i+1] != utf8.MaxRune {
				return "a class naming characters beyond U+FFFF is not portable"
			}
		}
	}
	for _, sub := range re.Sub {
		if why := portableTree(sub, counted); why != "" {
			return why
		}
	}
	return ""
}

// TestPatternsArePortable: every pattern of the documents compiles in Go
// and uses only syntax that ECMA-262 (without the u flag) reads the same
// way, so other tools (Prism, JSON Schema validators in JavaScript) apply
// the same rules.
func TestPatternsArePortable(t *testing.T) {
	patterns := documentPatterns(t)
	if len(patterns) < 10 {
		t.Fatalf("found only %d patterns", len(patterns))
	}
	places := make([]string, 0, len(patterns))
	for p := range patterns {
		places = append(places, p)
	}
	sort.Strings(places)
	for _, place := range places {
		if why := portable(patterns[place]); why != "" {
			t.Errorf("%s: %s", place, why)
		}
	}
}

// TestPortableRejectsUnportableSyntax: the check itself, one row per kind
// of syntax the engines read differently.
func TestPortableRejectsUnportableSyntax(t *testing.T) {
	for _, c := range []struct {
		pattern  string
		portable bool
		reason   string
	}{
		{`^[a-zA-Z0-9\.@\-一-龥]+$`, true, "literal CJK characters in a class: the portable spelling of \\u4e00-\\u9fa5"},
		{`^[a-zA-Z0-9\.@\-\x{4e00}-\x{9fa5}]+$`, false, "\\x{...} is a syntax error in JavaScript without u"},
		{`^[\u4e00-\u9fa5]+$`, false, "Go has no \\u escape"},
		{`^\p{Han}+$`, false, "\\p{...} needs the u flag"},
		{`(?i)^abc$`, false, "inline flags do not exist in JavaScript"},
		{`^(?P<name>a)$`, false, "named groups differ"},
		{`^(?:a|b)$`, false, "non-capturing groups are written (?:...) in both, but the check keeps to (...)"},
		{`^a+?$`, false, "lazy repeats"},
		{`^[^@\s]+@[^@\s]+$`, false, "\\s is not the same set of white space"},
		{`^[^@\t\n\f\r ]+@[^@\t\n\f\r ]+$`, true, "RE2's \\s, spelt out"},
		{`^a.b$`, false, "'.' differs on \\r and U+2028"},
		{`^[0-9]{4}([T ][^\n]*)?$`, true, "a class instead of the dot"},
		{`^[^@]{1,3}$`, false, "a counted negated class counts UTF-16 units in JavaScript"},
		{`^😀$`, false, "a character outside the BMP is two units in JavaScript"},
		{`\bword\b`, false, "word boundaries"},
		{`^[[:alpha:]]+$`, false, "POSIX classes"},
		{`^[0-9A-F]{8}-[0-9A-F]{4}$`, true, "the RequestId's form"},
	} {
		got := portable(c.pattern) == ""
		if diff := cmp.Diff(c.portable, got); diff != "" {
			t.Errorf("%s: %s (-want +got):\n%s", c.pattern, c.reason, diff)
		}
	}
}
