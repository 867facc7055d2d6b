package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v4"
	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/specs"
)

// schemaFile is the config's JSON Schema, at the top of the repository.
const schemaFile = "../../acsconform.schema.json"

// fullConfig sets every key.
const fullConfig = `
target: http://127.0.0.1:8080
endpoints: {yundun-bastionhost: "http://127.0.0.1:8081"}
accounts:
  - {access_key_id_env: AK1, access_key_secret_env: SK1}
  - {access_key_id_env: AK2, access_key_secret_env: SK2}
instances: [bastionhost-cn-a, bastionhost-cn-b]
quota: 40
source_user_ids: ["122748924538", "122748924539"]
checks: "^rate-limit-"
ops: [bastionhost]
seed: 7
examples: 5
paced_examples: 4
reports: {junit: j.xml, json: r.json, html: r.html}
`

// compileSchema compiles acsconform.schema.json.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaFile)
	assert.NilError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	assert.NilError(t, err)
	c := jsonschema.NewCompiler()
	assert.NilError(t, c.AddResource("acsconform.schema.json", doc))
	s, err := c.Compile("acsconform.schema.json")
	assert.NilError(t, err)
	return s
}

// asJSON is a YAML document as the JSON value a schema validator reads.
func asJSON(t *testing.T, doc string) any {
	t.Helper()
	var v any
	assert.NilError(t, yaml.Unmarshal([]byte(doc), &v))
	b, err := json.Marshal(v)
	assert.NilError(t, err)
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	assert.NilError(t, err)
	return out
}

func TestConfigDocumentsAgainstTheSchema(t *testing.T) {
	schema := compileSchema(t)
	rows := []struct {
		reason, doc string
		valid       bool
	}{
		{"the example 'acsconform init' writes is valid", exampleConfig, true},
		{"a config setting every key is valid", fullConfig, true},
		{"an unknown key is not", "target: http://x\ntargets: []\n", false},
		{"an unknown account key is not", "accounts: [{access_key_id_env: A, access_key_secret_env: B, secret: C}]\n", false},
		{"an account with a credential instead of a variable name is not", "accounts: [{access_key_id_env: A, access_key_secret_env: 'a/b+c='}]\n", false},
		{"a negative quota is not", "quota: -1\n", false},
		{"zero paced examples is not", "paced_examples: 0\n", false},
		{"an unknown operation is not", "ops: [ecs]\n", false},
	}
	for _, row := range rows {
		err := schema.Validate(asJSON(t, row.doc))
		assert.Equal(t, err == nil, row.valid, "%s: %v", row.reason, err)
		_, goErr := parseConfig([]byte(row.doc))
		if row.valid || !strings.Contains(row.reason, "operation") {
			assert.Equal(t, goErr == nil, row.valid, "the loader agrees: %s: %v", row.reason, goErr)
		}
	}
}

// yamlKeys are the yaml keys of a struct type's fields; nested for struct
// fields and the elements of struct slices.
func yamlKeys(t reflect.Type, prefix string) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key := prefix + strings.Split(f.Tag.Get("yaml"), ",")[0]
		out = append(out, key)
		ft := f.Type
		if ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			out = append(out, yamlKeys(ft, key+".")...)
		}
	}
	return out
}

// schemaKeys are the property names of a schema object, nested likewise.
func schemaKeys(t *testing.T, s map[string]any, prefix string) []string {
	var out []string
	props, _ := s["properties"].(map[string]any)
	for k, v := range props {
		out = append(out, prefix+k)
		sub := v.(map[string]any)
		if items, ok := sub["items"].(map[string]any); ok {
			sub = items
		}
		if sub["type"] == "object" && sub["properties"] != nil {
			assert.Equal(t, sub["additionalProperties"], false, "%s%s: an unknown key is an error, as in the loader", prefix, k)
			out = append(out, schemaKeys(t, sub, prefix+k+".")...)
		}
	}
	return out
}

func TestSchemaPropertiesAreTheConfigFields(t *testing.T) {
	b, err := os.ReadFile(schemaFile)
	assert.NilError(t, err)
	var schema map[string]any
	assert.NilError(t, json.Unmarshal(b, &schema))
	assert.Equal(t, schema["$schema"], "https://json-schema.org/draft/2020-12/schema")
	assert.Equal(t, schema["additionalProperties"], false, "an unknown key is an error, as in the loader")
	got := schemaKeys(t, schema, "")
	want := yamlKeys(reflect.TypeFor[config](), "")
	slices.Sort(got)
	slices.Sort(want)
	assert.DeepEqual(t, got, want)

	model, err := specs.Load()
	assert.NilError(t, err)
	var ids []any
	for _, op := range model.Operations {
		ids = append(ids, op.ID)
	}
	ops := schema["properties"].(map[string]any)["ops"].(map[string]any)["items"].(map[string]any)["enum"]
	assert.DeepEqual(t, ops, ids)
}

func TestParseConfigBadInputIsOneLine(t *testing.T) {
	rows := []struct{ reason, doc, want string }{
		{"an unknown key is named", "target: http://x\nsede: 1\n", `line 2: unknown key "sede"`},
		{"an unknown nested key is named", "reports: {pdf: x}\n", `unknown key "pdf"`},
		{"a value of the wrong type", "seed: abc\nexamples: [1]\n", "line 1: cannot construct"},
		{"a credential in place of a variable name is refused, and not echoed", "accounts: [{access_key_id_env: LTAI5tXYZ, access_key_secret_env: 'S3cr3t/Value+'}]\n", `"S3cr…" is not an environment variable name`},
		{"an account without its secret's variable", "accounts: [{access_key_id_env: AK}]\n", "accounts[0].access_key_secret_env"},
		{"a target with a query", "target: http://x/?a=b\n", "target:"},
		{"a negative quota", "quota: -3\n", "quota: must not be negative"},
		{"zero examples", "examples: 0\n", "examples: must be at least 1"},
		{"zero paced examples", "paced_examples: 0\n", "paced_examples: must be at least 1"},
		{"negative paced examples", "paced_examples: -3\n", "paced_examples: must be at least 1"},
		{"a bad checks regexp", "checks: '('\n", "checks: error parsing regexp"},
		{"an instance listed twice", "instances: [a, a]\n", `instances[1]: "a" is listed twice`},
		{"a SourceUserId with a space", "source_user_ids: ['1 2']\n", "source_user_ids[0]: want an ID without spaces"},
		{"two documents", "seed: 1\n---\nseed: 2\n", "more than one YAML document"},
		{"broken YAML", "ops: [\n", "line"},
	}
	for _, row := range rows {
		_, err := parseConfig([]byte(row.doc))
		assert.Assert(t, err != nil, row.reason)
		assert.Assert(t, strings.Contains(err.Error(), row.want), "%s: %v", row.reason, err)
		assert.Assert(t, !strings.Contains(err.Error(), "\n"), "%s: one line: %q", row.reason, err)
		assert.Assert(t, !strings.Contains(err.Error(), "S3cr3t/Value+"), row.reason)
	}
}

func TestParseConfigEmptyIsTheDefault(t *testing.T) {
	c, err := parseConfig(nil)
	assert.NilError(t, err)
	assert.DeepEqual(t, c, &config{})
}

// writeConfig writes a config file in a fresh directory and returns its path.
func writeConfig(t *testing.T, doc string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "acsconform.yaml")
	assert.NilError(t, os.WriteFile(path, []byte(doc), 0o644))
	return path
}

// envOf is an environment holding vars.
func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestConfigFillsTheOptionsAndFlagsOverrideIt(t *testing.T) {
	path := writeConfig(t, fullConfig)
	env := envOf(map[string]string{"AK1": "id1", "SK1": "secret1", "AK2": "id2", "SK2": "secret2"})
	o, err := parseRun([]string{"--config", path}, env, &bytes.Buffer{})
	assert.NilError(t, err)
	assert.Equal(t, o.target, "http://127.0.0.1:8080")
	assert.DeepEqual(t, o.endpoints, map[string]string{"yundun-bastionhost": "http://127.0.0.1:8081"})
	assert.Equal(t, len(o.accounts), 2)
	assert.Equal(t, o.accounts[1].AccessKeyID, "id2")
	assert.Equal(t, o.accounts[1].AccessKeySecret, "secret2")
	assert.DeepEqual(t, o.instances, []string{"bastionhost-cn-a", "bastionhost-cn-b"})
	assert.DeepEqual(t, o.sourceUsers, []string{"122748924538", "122748924539"})
	assert.Equal(t, o.quota, 40)
	assert.DeepEqual(t, o.suite.Ops, []string{"bastionhost"})
	assert.Equal(t, o.suite.Checks.String(), "^rate-limit-")
	assert.Equal(t, o.suite.Seed, int64(7))
	assert.Equal(t, o.suite.Examples, 5)
	assert.Equal(t, o.suite.PacedExamples, 4)
	assert.Equal(t, o.junit+" "+o.json+" "+o.html, "j.xml r.json r.html")
	assert.Assert(t, strings.HasPrefix(o.replay(), "acsconform run --config "+path+" --target http://127.0.0.1:8080"), o.replay())

	o, err = parseRun([]string{"--config", path, "--target", "http://127.0.0.1:9", "--account", "cli:clisecret",
		"--seed", "3", "--examples", "2", "--paced-examples", "1", "--ops", "ram", "--checks", "^positive", "--ram-user-quota", "0",
		"--bastionhost-instance", "bastionhost-cn-flag", "--html", "flag.html", "--endpoint", "ram=http://127.0.0.1:10"}, env, &bytes.Buffer{})
	assert.NilError(t, err)
	assert.Equal(t, o.target, "http://127.0.0.1:9", "a flag overrides the file")
	assert.DeepEqual(t, o.endpoints, map[string]string{"ram": "http://127.0.0.1:10"})
	assert.Equal(t, len(o.accounts), 1)
	assert.Equal(t, o.accounts[0].AccessKeyID, "cli")
	assert.Equal(t, o.suite.Seed, int64(3))
	assert.Equal(t, o.suite.Examples, 2)
	assert.Equal(t, o.suite.PacedExamples, 1)
	assert.DeepEqual(t, o.suite.Ops, []string{"ram"})
	assert.Equal(t, o.suite.Checks.String(), "^positive")
	assert.Equal(t, o.quota, 0, "a flag set to its zero value still overrides the file")
	assert.DeepEqual(t, o.instances, []string{"bastionhost-cn-flag"})
	assert.Equal(t, o.html, "flag.html")
	assert.Equal(t, o.json, "r.json", "what no flag sets still comes from the file")
}

func TestConfigAccountsNeedTheirVariables(t *testing.T) {
	path := writeConfig(t, fullConfig)
	_, err := parseRun([]string{"--config", path}, envOf(map[string]string{"AK1": "id1", "SK1": "very-secret-value"}), &bytes.Buffer{})
	assert.ErrorContains(t, err, "config accounts[1]: environment variable AK2 is not set")
	assert.Assert(t, !strings.Contains(err.Error(), "very-secret-value"))

	o, err := parseRun([]string{"--config", writeConfig(t, "accounts: [{access_key_id_env: NOPE, access_key_secret_env: NOPE2}]\n")}, noEnv, &bytes.Buffer{})
	assert.NilError(t, err, "without a target the embedded emulator brings its accounts: the variables are not read")
	assert.Equal(t, len(o.accounts), 0)
}

func TestConfigFromTheWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	o, err := parseRun(nil, noEnv, &bytes.Buffer{})
	assert.NilError(t, err)
	assert.Equal(t, o.configPath, "", "no file, no config")

	assert.NilError(t, os.WriteFile(defaultConfig, []byte("seed: 11\n"), 0o644))
	o, err = parseRun(nil, noEnv, &bytes.Buffer{})
	assert.NilError(t, err)
	assert.Equal(t, o.suite.Seed, int64(11))
	assert.Equal(t, o.configPath, defaultConfig)

	o, err = parseRun([]string{"--config", writeConfig(t, "seed: 12\n")}, noEnv, &bytes.Buffer{})
	assert.NilError(t, err)
	assert.Equal(t, o.suite.Seed, int64(12), "--config wins over ./acsconform.yaml")
}

func TestRunBadConfigExitsTwoWithOneLine(t *testing.T) {
	for _, args := range [][]string{
		{"--config", writeConfig(t, "target: http://x\nbogus: 1\n")},
		{"--config", filepath.Join(t.TempDir(), "missing.yaml")},
	} {
		code, stdout, stderr := runCLI(t, noEnv, args...)
		assert.Equal(t, code, exitUsage, stderr)
		assert.Equal(t, stdout, "")
		assert.Equal(t, strings.Count(stderr, "\n"), 1, stderr)
		assert.Assert(t, strings.HasPrefix(stderr, "acsconform run: config"), stderr)
	}
}

func TestInitWritesTheExampleOnce(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	assert.Equal(t, dispatch([]string{"init"}, &stdout, &stderr), exitOK, stderr.String())
	b, err := os.ReadFile(defaultConfig)
	assert.NilError(t, err)
	assert.Equal(t, string(b), exampleConfig)
	c, err := loadConfig(defaultConfig)
	assert.NilError(t, err, "the example loads")
	assert.Assert(t, len(c.Accounts) > 0 && c.Reports.HTML != "", "the example shows the keys")

	assert.NilError(t, os.WriteFile(defaultConfig, []byte("seed: 5\n"), 0o644))
	stderr.Reset()
	assert.Equal(t, dispatch([]string{"init"}, &stdout, &stderr), exitUsage)
	assert.Equal(t, stderr.String(), "acsconform init: acsconform.yaml exists; not overwriting it\n")
	b, _ = os.ReadFile(defaultConfig)
	assert.Equal(t, string(b), "seed: 5\n", "the file is left alone")

	other := filepath.Join(dir, "sub.yaml")
	assert.Equal(t, dispatch([]string{"init", other}, &stdout, &stderr), exitOK)
	_, err = os.Stat(other)
	assert.NilError(t, err)
	assert.Equal(t, dispatch([]string{"init", "a", "b"}, &stdout, &stderr), exitUsage)
}
