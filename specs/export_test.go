package specs_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/getkin/kin-openapi/openapi3"
	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/specs"
)

// exported is op's exported document, decoded.
type exported struct {
	raw  []byte
	tree map[string]any
}

// exportOp exports the operation id of m and decodes it.
func exportOp(t *testing.T, m *specs.Model, id string, opts specs.ExportOptions) exported {
	t.Helper()
	op, ok := m.Operation(id)
	assert.Assert(t, ok, id)
	raw, err := specs.Export(op, opts)
	assert.NilError(t, err, id)
	var tree map[string]any
	assert.NilError(t, json.Unmarshal(raw, &tree), id)
	return exported{raw: raw, tree: tree}
}

// params maps each parameter and body property of e to its schema.
func (e exported) params(t *testing.T) map[string]map[string]any {
	t.Helper()
	post := e.tree["paths"].(map[string]any)["/"].(map[string]any)["post"].(map[string]any)
	out := map[string]map[string]any{}
	for _, p := range post["parameters"].([]any) {
		p := p.(map[string]any)
		s := p["schema"].(map[string]any)
		s["(required)"] = p["required"]
		out[p["name"].(string)] = s
	}
	if rb, ok := post["requestBody"].(map[string]any); ok {
		schema := rb["content"].(map[string]any)["application/x-www-form-urlencoded"].(map[string]any)["schema"].(map[string]any)
		required := map[string]bool{}
		for _, r := range schema["required"].([]any) {
			required[r.(string)] = true
		}
		for name, s := range schema["properties"].(map[string]any) {
			s := s.(map[string]any)
			s["(required)"] = required[name]
			out[name] = s
		}
	}
	return out
}

// walk calls f with every key and value of v, recursively.
func walk(v any, f func(key string, value any)) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			f(k, e)
			walk(e, f)
		}
	case []any:
		for _, e := range t {
			walk(e, f)
		}
	}
}

func TestExportIsPlainOpenAPI(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	for _, op := range m.Operations {
		t.Run(op.ID, func(t *testing.T) {
			e := exportOp(t, m, op.ID, specs.ExportOptions{})
			doc, err := openapi3.NewLoader().LoadFromData(e.raw)
			assert.NilError(t, err)
			assert.NilError(t, doc.Validate(context.Background()), "kin-openapi validates the export")
			walk(e.tree, func(k string, v any) {
				assert.Assert(t, !strings.HasPrefix(k, "x-"), "extension %q left in the export", k)
				if s, ok := v.(string); ok && k == "pattern" {
					assert.Assert(t, !strings.Contains(s, `\x{`), "pattern %q keeps a Go-only escape", s)
					goPattern(t, s)
				}
			})
			ps := e.params(t)
			assert.DeepEqual(t, ps["Action"]["enum"], []any{op.Action})
			assert.DeepEqual(t, ps["Version"]["enum"], []any{op.Version})
			for _, name := range []string{"Format", "AccessKeyId", "Signature", "SignatureNonce", "Timestamp"} {
				assert.Equal(t, ps[name]["(required)"], false, "%s is declared and optional", name)
			}
			schemes := e.tree["components"].(map[string]any)["securitySchemes"].(map[string]any)
			assert.Assert(t, schemes["acs3"] != nil && schemes["acs1"] != nil)
			assert.Assert(t, len(e.tree["security"].([]any)) == 2)
			for _, p := range op.Params {
				if p.Style == specs.StylePlain {
					assert.Assert(t, ps[p.Name] != nil, "business parameter %s is exported", p.Name)
					assert.Equal(t, ps[p.Name]["(required)"], p.Required, p.Name)
				}
			}
		})
	}
}

func TestExportFollowsTheModel(t *testing.T) {
	m, err := specs.LoadFS(mutate(t, "ram.yaml", "maxLength: 64", "maxLength: 10"))
	assert.NilError(t, err)
	ps := exportOp(t, m, "ram", specs.ExportOptions{}).params(t)
	assert.Equal(t, ps["UserName"]["maxLength"], 10.0, "a limit changed in the YAML changes the export")
	assert.Equal(t, ps["UserName"]["(required)"], true)
}

// edit returns the embedded documents with each old replaced by its new in
// file, every old occurring exactly once.
func edit(t *testing.T, file string, pairs ...string) fstest.MapFS {
	t.Helper()
	fsys := sourcesFS()
	src := string(fsys[file].Data)
	for i := 0; i < len(pairs); i += 2 {
		assert.Equal(t, strings.Count(src, pairs[i]), 1, "%s must hold %q exactly once", file, pairs[i])
		src = strings.Replace(src, pairs[i], pairs[i+1], 1)
	}
	fsys[file] = &fstest.MapFile{Data: []byte(src)}
	return fsys
}

func TestExportSpellsOutFlatLists(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	eds, _ := m.Operation("eds-user")
	users := eds.Params[0]
	for _, p := range eds.Params {
		if p.Style == specs.StyleFlat {
			users = p
		}
	}
	assert.Equal(t, users.Style, specs.StyleFlat)
	n := specs.DefaultUnboundedItems
	if users.MaxItems != nil {
		n = *users.MaxItems
	}
	ps := exportOp(t, m, "eds-user", specs.ExportOptions{}).params(t)
	for _, f := range users.Items.Fields {
		first, last := ps["Users.1."+f.Name], ps["Users."+strconv.Itoa(n)+"."+f.Name]
		assert.Assert(t, first != nil && last != nil, "Users.1.%s and Users.%d.%s are exported", f.Name, n, f.Name)
		assert.Equal(t, first["(required)"], f.Required, "the first user's %s is required as the field is", f.Name)
		assert.Equal(t, last["(required)"], false, "later users are optional")
		assert.Assert(t, ps["Users."+strconv.Itoa(n+1)+"."+f.Name] == nil, "no user beyond %d", n)
		if f.MaxLength != nil {
			assert.Equal(t, last["maxLength"], float64(*f.MaxLength))
		}
	}
	assert.Assert(t, ps["Users"] == nil, "the list itself is not a wire parameter")

	// a maxItems in the spec bounds the list (its rule needs a statement)
	fsys := edit(t, "eds-user.yaml",
		"                  x-acs-style: flat\n",
		"                  maxItems: 3\n                  x-acs-style: flat\n",
		"                    required:\n                      quote: \"Users | array<object>",
		"                    max-items:\n                      quote: \"Users | array<object>\"\n                      broken: [{status: 400, code: INTERNAL_ERROR}]\n"+
			"                    required:\n                      quote: \"Users | array<object>")
	stmts := string(fsys["statements.yaml"].Data)
	old := `    rules: ["eds-user.Users.required"]`
	assert.Equal(t, strings.Count(stmts, old), 1)
	fsys["statements.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(stmts, old, `    rules: ["eds-user.Users.required", "eds-user.Users.max-items"]`, 1))}
	m, err = specs.LoadFS(fsys)
	assert.NilError(t, err)
	ps = exportOp(t, m, "eds-user", specs.ExportOptions{UnboundedItems: 50}).params(t)
	assert.Assert(t, ps["Users.3.EndUserId"] != nil && ps["Users.4.EndUserId"] == nil, "maxItems 3 spells out 3 users")
}

func TestExportJSONArrayAndCaseInsensitiveEnum(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	op, _ := m.Operation("bastionhost")
	ps := exportOp(t, m, "bastionhost", specs.ExportOptions{}).params(t)
	for _, p := range op.Params {
		s := ps[p.Name]
		switch {
		case p.Style == specs.StyleJSON:
			assert.Equal(t, s["type"], "string", p.Name)
			re := goPattern(t, s["pattern"].(string))
			v := p.Items.Enum[0]
			assert.Assert(t, re.MatchString(`["`+v+`"]`) && re.MatchString(`[ "`+v+`" ]`) && re.MatchString(`[]`), "%s: %s", p.Name, re)
			assert.Assert(t, !re.MatchString(v) && !re.MatchString(`["`+v+`x"]`), "%s: %s", p.Name, re)
			if p.MaxItems != nil {
				over := "[" + strings.TrimSuffix(strings.Repeat(`"`+v+`",`, *p.MaxItems+1), ",") + "]"
				assert.Assert(t, !re.MatchString(over), "%s: more than %d items match %s", p.Name, *p.MaxItems, re)
			}
		case p.EnumCaseInsensitive:
			re := goPattern(t, s["pattern"].(string))
			for _, v := range p.Enum {
				assert.Assert(t, re.MatchString(v) && re.MatchString(strings.ToLower(v)) && re.MatchString(strings.ToUpper(v)), "%s=%s", p.Name, v)
				assert.Assert(t, !re.MatchString(v+"x"), "%s=%sx", p.Name, v)
			}
		case len(p.Enum) > 0:
			assert.Equal(t, len(s["enum"].([]any)), len(p.Enum), p.Name)
		}
	}
}

// goPattern reads an exported pattern back as Go's regexp, as kin-openapi
// does: \uHHHH (upper-case hex) becomes \x{HHHH}.
func goPattern(t *testing.T, re string) *regexp.Regexp {
	t.Helper()
	g, err := regexp.Compile(regexp.MustCompile(`\\u([0-9A-F]{4})`).ReplaceAllString(re, `\x{$1}`))
	assert.NilError(t, err, re)
	return g
}

func TestECMAPattern(t *testing.T) {
	cases := []struct{ reason, in, want string }{
		{"no Go-only escape: unchanged", `^[a-zA-Z0-9\.@\-_]+$`, `^[a-zA-Z0-9\.@\-_]+$`},
		{"a CJK range is written with \\u escapes", `^[a-z\x{4e00}-\x{9fa5}]+$`, `^[a-z\u4E00-\u9FA5]+$`},
		{"literal CJK characters too (the YAML may have either)", "^[a-z\u4e00-\u9fa5]+$", `^[a-z\u4E00-\u9FA5]+$`},
		{"an ASCII character stays escaped, as it may be a metacharacter", `[\x{5d}\x{41}]`, `[\x5d\x41]`},
		{"an escaped backslash is not an escape", `\\x{41}`, `\\x{41}`},
		{"a character beyond U+FFFF is a surrogate pair", `\x{1F600}`, `\uD83D\uDE00`},
	}
	for _, c := range cases {
		got := specs.ECMAPattern(c.in)
		assert.Equal(t, got, c.want, c.reason)
		for _, r := range got {
			assert.Assert(t, r < 0x80, "%s: %q is not ASCII", c.reason, got)
		}
		if strings.Contains(got, `\uD8`) {
			continue // Go reads no surrogate halves
		}
		before, after := regexp.MustCompile(c.in), goPattern(t, got)
		for _, s := range []string{"a", "A", "]", "\u4e00", "\u9fa5", "\u9fa6", `\x{41}`, "\U0001F600"} {
			assert.Equal(t, before.MatchString(s), after.MatchString(s), "%s: %q", c.reason, s)
		}
	}
}
