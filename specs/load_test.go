package specs_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/acsconform/acsconform/specs"
)

// sourcesFS is the embedded documents as an in-memory file system.
func sourcesFS() fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, b := range specs.Sources() {
		fsys[name] = &fstest.MapFile{Data: b}
	}
	return fsys
}

// mutate returns the embedded documents with old replaced by new in file,
// failing the test when old does not occur exactly once.
func mutate(t *testing.T, file, old, new string) fstest.MapFS {
	t.Helper()
	fsys := sourcesFS()
	src := string(fsys[file].Data)
	assert.Equal(t, strings.Count(src, old), 1, "%s must hold %q exactly once", file, old)
	fsys[file] = &fstest.MapFile{Data: []byte(strings.Replace(src, old, new, 1))}
	return fsys
}

func TestEveryDocumentValidates(t *testing.T) {
	src := specs.Sources()
	assert.DeepEqual(t, len(src), 5)
	for name, data := range src {
		if name == "statements.yaml" {
			continue // the statements table, not an OpenAPI document
		}
		doc, err := openapi3.NewLoader().LoadFromData(data)
		assert.NilError(t, err, name)
		assert.NilError(t, doc.Validate(context.Background()), name)
		assert.Check(t, is.Equal(doc.OpenAPI, "3.0.3"), name)
	}
}

func TestSourcesIsACopy(t *testing.T) {
	a := specs.Sources()
	a["ram.yaml"][0] = '!'
	b := specs.Sources()
	assert.Check(t, b["ram.yaml"][0] != '!', "changing a returned source changes no later copy")
}

func TestCommonFacts(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	assert.Check(t, is.Equal(m.TimestampSkew, 15*time.Minute), "Gateways reject a timestamp more than 15 minutes off")
	for _, f := range []struct {
		code   string
		status int
		reason string
	}{
		{"MissingParameter", 400, "MissingParameter / `Missing<Name>` | 400"},
		{"MissingUserName", 400, "MissingParameter / `Missing<Name>` | 400, <Name> = UserName"},
		{"MissingUsers", 400, "MissingParameter / `Missing<Name>` | 400, <Name> = Users"},
		{"MissingInstanceId", 400, "MissingParameter / `Missing<Name>` | 400, <Name> = InstanceId"},
		{"IncompleteSignature", 400, "IncompleteSignature | 400"},
		{"SignatureDoesNotMatch", 400, "SignatureDoesNotMatch | 400"},
		{"InvalidAccessKeyId.NotFound", 404, "InvalidAccessKeyId.NotFound | 404"},
		{"InvalidTimeStamp.Expired", 400, "InvalidTimeStamp.Expired | 400"},
		{"SignatureNonceUsed", 400, "SignatureNonceUsed | 400"},
		{"InvalidAction.NotFound", 404, "InvalidAction.NotFound | 404"},
		{"Throttling", 400, "Throttling is HTTP 400, not 429"},
		{"Throttling.User", 400, "Throttling / Throttling.User / Throttling.Api | 400"},
		{"Throttling.Api", 400, "Throttling / Throttling.User / Throttling.Api | 400"},
		{"InternalError", 500, "InternalError | 500"},
		{"ServiceUnavailable", 503, "ServiceUnavailable | 503"},
	} {
		e, ok := m.GatewayError(f.code)
		if assert.Check(t, ok, f.reason) {
			assert.Check(t, is.Equal(e.Status, f.status), f.reason)
		}
	}
	u, _ := m.GatewayError("MissingUserName")
	assert.Check(t, is.Equal(u.Message, `The input parameter "UserName" that is mandatory for processing this request is not supplied.`),
		"the template's <Name> is replaced in the message")
	_, template := m.GatewayError("Missing<Name>")
	assert.Check(t, !template, "the template itself is not a code")
}

func TestErrorEnvelope(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	for _, op := range m.Operations {
		assert.Check(t, is.DeepEqual(schemaFields(op.Response.ErrorSchema), []string{
			"Code string required",
			"HostId string required",
			"Message string required",
			"Recommend string",
			"RequestId string required",
		}), "%s: {RequestId, HostId, Code, Message, Recommend} (PROTOCOL.md)", op.ID)
		assert.Check(t, is.DeepEqual(op.Response.MediaTypes["JSON"], []string{"application/json"}), op.ID)
		assert.Check(t, !op.Response.RequestID.MatchString("04f0f334-1335-436c-a1d7-6c044fe73368"),
			"%s: RequestId is an upper-case UUID", op.ID)
		assert.Check(t, op.Response.Example != "", "%s: the seed's JSON example", op.ID)
	}
}

// TestLoadFSFollowsTheDocument changes numbers in a document: the model's
// params and rules change with it, because they are built from the keywords.
func TestLoadFSFollowsTheDocument(t *testing.T) {
	m, err := specs.LoadFS(mutate(t, "ram.yaml", "maxLength: 64", "maxLength: 10"))
	assert.NilError(t, err)
	ram, _ := m.Operation("ram")
	p, _ := ram.Param("UserName")
	r, _ := ram.Rule("ram.UserName.max-length")
	assert.Check(t, is.Equal(*p.MaxLength, 10))
	assert.Check(t, is.Equal(r.Limit, 10))

	m, err = specs.LoadFS(mutate(t, "bastionhost.yaml", "calls: 10", "calls: 5"))
	assert.NilError(t, err)
	bh, _ := m.Operation("bastionhost")
	rl, _ := bh.Rule("bastionhost.rate-limit")
	assert.Check(t, is.Equal(bh.RateLimit.Calls, 5))
	assert.Check(t, is.Equal(rl.Limit, 5))

	m, err = specs.LoadFS(mutate(t, "eds-user.yaml", "pattern: '^[a-z0-9_]+$'", "pattern: '^[a-z0-9]+$'"))
	assert.NilError(t, err)
	eds, _ := m.Operation("eds-user")
	id, _ := eds.Lookup("Users[].EndUserId")
	assert.Check(t, !id.Pattern.MatchString("te_st1"), "underscores are no longer allowed")
}

// TestLoadFSRejectsBrokenDocuments: every inconsistency is one clear error
// naming the document, never a panic and never a silently dropped rule.
func TestLoadFSRejectsBrokenDocuments(t *testing.T) {
	for _, c := range []struct {
		reason, file, old, new, want string
	}{
		{"invalid YAML", "ram.yaml", "openapi: 3.0.3", "openapi: [3.0.3", "parse"},
		{"not OpenAPI: a path without a slash", "ram.yaml", "paths:\n  /:", "paths:\n  x:", "openapi validation"},
		{"a condition naming an unknown parameter", "bastionhost.yaml",
			"when: [{param: Source, values: [Local]}]", "when: [{param: Sauce, values: [Local]}]", `unknown parameter "Sauce"`},
		{"a condition value outside the enum", "bastionhost.yaml",
			"when: [{param: LanguageStatus, values: [Custom]}]", "when: [{param: LanguageStatus, values: [Kustom]}]", `"Kustom" is not one of`},
		{"an outcome code declared nowhere", "ram.yaml",
			"broken: [{status: 400, code: InvalidParameter.Comments.Length}]",
			"broken: [{status: 400, code: InvalidParameter.Comments.TooLong}]", "InvalidParameter.Comments.TooLong is declared neither"},
		{"a batch code used as an HTTP error", "eds-user.yaml",
			"broken: [{batch: true, code: ExistedEndUserId}]", "broken: [{status: 400, code: ExistedEndUserId}]", "batch=true but used with batch=false"},
		{"a bad regexp", "eds-user.yaml", "pattern: '^[a-z0-9_]+$'", "pattern: '^[a-z0-9_+$'", "openapi validation"},
		{"a bad strict pattern", "ram.yaml", "strict-pattern: '^86-1[3-9][0-9]{9}$'", "strict-pattern: '^86-(1'", "strict-pattern"},
		{"an ambiguity naming an unknown rule", "ram.yaml",
			"rules: [ram.UserName.required]", "rules: [ram.UserName.nonsense]", `unknown rule "ram.UserName.nonsense"`},
		{"a rule without its seed quote", "ram.yaml",
			`quote: "描述:备注, 最大长度128个字符。"`, `quote: ""`, "no quote"},
		{"a keyword without quote and outcomes", "ram.yaml",
			"maxLength: 12\n", "maxLength: 12\n            minLength: 1\n", "states a min-length rule"},
		{"x-acs-rules for a keyword the schema lacks", "ram.yaml",
			"maxLength: 128\n", "\n", "has no max-length keyword"},
		{"a misspelt extension field", "bastionhost.yaml", "case-insensitive: true", "case-insensitiv: true", "unknown field"},
		{"an unknown rule kind", "ram.yaml", "              unique:\n", "              uniq:\n", `unknown rule kind "uniq"`},
		{"acceptance without an ambiguity", "ram.yaml",
			"broken: [{status: 400, code: InvalidParameter.Comments.Length}]",
			"broken: [{accept: true}, {status: 400, code: InvalidParameter.Comments.Length}]", "no ambiguity names it"},
		{"an example naming an unknown ambiguity", "bastionhost.yaml",
			"ambiguity: bastionhost.password-example}", "ambiguity: bastionhost.nope}", `unknown ambiguity "bastionhost.nope"`},
		{"an operation id that is not the file name", "eds-user.yaml", "id: eds-user\n", "id: eds\n", "does not match the file name"},
		{"a rate limit without a duration", "bastionhost.yaml", "per: 1s", "per: often", "not a positive duration"},
		{"a complexity limit above its classes", "bastionhost.yaml", "limit: 4", "limit: 5", "not between 1 and the 4 classes"},
		{"unsure characters on a rule that is not a complexity rule", "bastionhost.yaml",
			`quote: "The display name can be up to 128 characters in length."`,
			"unsure-chars: \" \"\n                quote: \"The display name can be up to 128 characters in length.\"", "unsure-chars is for complexity rules only"},
		{"an ambiguity naming a rule twice", "bastionhost.yaml",
			"rules: [bastionhost.Source.enum]", "rules: [bastionhost.Source.enum, bastionhost.Source.enum]", "named twice"},
		{"a reference naming an unknown ambiguity", "bastionhost.yaml",
			"ambiguity: bastionhost.region-reference\n", "ambiguity: bastionhost.region\n", `unknown ambiguity "bastionhost.region"`},
		{"a reference allowing acceptance in broken (it always may)", "bastionhost.yaml",
			"ambiguity: bastionhost.region-reference\n                broken: [{status: 400, code: InvalidParameter}]",
			"ambiguity: bastionhost.region-reference\n                broken: [{accept: true}]", "error outcomes only"},
		{"a reference condition naming an unknown parameter", "bastionhost.yaml",
			"when: [{param: Source, values: [Ram]}]", "when: [{param: Sauce, values: [Ram]}]", `unknown parameter "Sauce"`},
		{"empty outcomes on a rule that is not a required rule", "ram.yaml",
			"broken: [{status: 400, code: InvalidParameter.Comments.Length}]",
			"broken: [{status: 400, code: InvalidParameter.Comments.Length}]\n                empty: [{status: 400, code: InvalidParameter.Comments.Length}]", "empty is for required rules only"},
		{"empty outcomes no ambiguity names", "ram.yaml",
			"rules: [ram.UserName.required]", "rules: []", "empty or unsure-chars) but no ambiguity names it"},
		{"a timestamp skew that is not a duration", "common.yaml", "x-acs-timestamp-skew: 15m", "x-acs-timestamp-skew: soon", "not a positive duration"},
		{"a gateway error without a status", "common.yaml", "status: 503", "status: 0", "not an HTTP error status"},
	} {
		t.Run(c.reason, func(t *testing.T) {
			_, err := specs.LoadFS(mutate(t, c.file, c.old, c.new))
			var de *specs.DocError
			assert.Assert(t, errors.As(err, &de), "want a *DocError, got %v", err)
			assert.Check(t, is.Equal(de.File, c.file))
			assert.Check(t, is.ErrorContains(err, c.want))
		})
	}
}

// TestLoadFSUnsureCharsNeedAnAmbiguity: a complexity rule with unsure-chars
// that no ambiguity names fails the load.
func TestLoadFSUnsureCharsNeedAnAmbiguity(t *testing.T) {
	fsys := sourcesFS()
	named := "rules: [bastionhost.Password.complexity]"
	src := string(fsys["bastionhost.yaml"].Data)
	assert.Equal(t, strings.Count(src, named), 2, "password-special and password-space name the rule")
	fsys["bastionhost.yaml"] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(src, named, "rules: []"))}
	_, err := specs.LoadFS(fsys)
	assert.Check(t, is.ErrorContains(err, "bastionhost.Password.complexity"))
	assert.Check(t, is.ErrorContains(err, "unsure-chars) but no ambiguity names it"))
}

func TestLoadFSMissingDocument(t *testing.T) {
	for _, name := range []string{"common.yaml", "ram.yaml", "eds-user.yaml", "bastionhost.yaml", "statements.yaml"} {
		fsys := sourcesFS()
		delete(fsys, name)
		_, err := specs.LoadFS(fsys)
		assert.Check(t, is.ErrorContains(err, name), "without %s", name)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := specs.Load(); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzLoadFS: whatever bytes a document holds, LoadFS returns a model or an
// error and never panics.
func FuzzLoadFS(f *testing.F) {
	for _, name := range []string{"ram.yaml", "eds-user.yaml", "bastionhost.yaml"} {
		f.Add(name, specs.Sources()[name])
	}
	f.Add("common.yaml", []byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		fsys := sourcesFS()
		if _, ok := fsys[name]; !ok {
			return
		}
		fsys[name] = &fstest.MapFile{Data: data}
		m, err := specs.LoadFS(fsys)
		if (m == nil) == (err == nil) {
			t.Fatalf("want a model or an error, got %v and %v", m, err)
		}
	})
}
