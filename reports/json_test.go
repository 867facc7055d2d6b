package reports

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gotest.tools/v3/assert"
	"gotest.tools/v3/golden"
	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/results"
)

func jsonBytes(t tb, r *results.Result) []byte {
	t.Helper()
	var buf bytes.Buffer
	assert.NilError(t, JSON(&buf, r))
	return buf.Bytes()
}

func TestJSONGolden(t *testing.T) {
	golden.Assert(t, string(jsonBytes(t, richResult())), "report.golden.json")
}

// asUTF8 is s as JSON carries it: each byte that is not UTF-8 becomes U+FFFD.
var asUTF8 = cmp.Transformer("asUTF8", func(s string) string { return string([]rune(s)) })

func TestJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genResult().Draw(t, "result")
		var got jsonReport
		assert.NilError(t, json.Unmarshal(jsonBytes(t, r), &got))
		assert.DeepEqual(t, got, buildJSON(r), asUTF8)
	})
}

func TestJSONFindingsCarryTheirContext(t *testing.T) {
	doc := buildJSON(richResult())
	assert.Equal(t, len(doc.Findings), 3, "every kept finding, none of the dropped")
	assert.Equal(t, len(doc.Warnings), 4)
	last := doc.Findings[2]
	assert.Equal(t, last.Operation, "bastionhost", "a finding without operation is located by its result")
	assert.Equal(t, last.Check, "error-code-documented", "a finding without check is located by its result")
	assert.DeepEqual(t, doc.Totals, tally{Checks: 8, Passed: 4, Failed: 2, Errored: 1, Skipped: 1,
		Exchanges: 229, Findings: 3, Warnings: 4, Dropped: 3})
	assert.DeepEqual(t, doc.Operations[0].Rules[0], jsonRule{Rule: "ram.UserName.length", Quote: "UserName：用户名称。长度为 1~64 个字符。",
		Param: "UserName", Status: "failed", Exchanges: 12, Findings: 4})
	rate := doc.Operations[2].Checks[1]
	assert.Equal(t, len(rate.Timeline), 6, "a rate-limit check carries its timeline")
	assert.DeepEqual(t, rate.Timeline[3], jsonPoint{OffsetMillis: 20, Status: 400, Throttled: true})
	assert.DeepEqual(t, doc.Warnings[0].Ambiguities, []string{"eds-user.partial-code"})
	assert.DeepEqual(t, doc.Findings[0].Ambiguities, []string{}) // a list is [] when empty
}

// keys are the member names of a decoded JSON object, sorted.
func keys(v any) []string {
	return slices.Sorted(maps.Keys(v.(map[string]any)))
}

func TestJSONShape(t *testing.T) {
	var doc map[string]any
	assert.NilError(t, json.Unmarshal(jsonBytes(t, richResult()), &doc))
	op := doc["operations"].([]any)[0].(map[string]any)
	cases := []struct {
		reason string
		object any
		want   []string
	}{
		{"the top level is documented", doc, []string{"command", "durationSeconds", "findings", "format",
			"operations", "seed", "started", "target", "tool", "totals", "warnings"}},
		{"totals count checks, exchanges and findings", doc["totals"], []string{"checks", "dropped",
			"errored", "exchanges", "failed", "findings", "passed", "skipped", "warnings"}},
		{"an operation names itself on the wire and lists its rules", op, []string{"action", "checks", "operation", "rules", "totals", "version"}},
		{"a rule carries its seed sentence, parameter, status and counts", op["rules"].([]any)[0], []string{"exchanges", "findings",
			"param", "quote", "rule", "status", "warnings"}},
		{"a passed check has no skip reason", op["checks"].([]any)[0], []string{"causes", "check", "dropped",
			"durationSeconds", "exchanges", "findings", "status", "warnings"}},
		{"an errored check says why", op["checks"].([]any)[2], []string{"causes", "check", "dropped",
			"durationSeconds", "errorReason", "exchanges", "findings", "status", "warnings"}},
		{"a skipped check says why", op["checks"].([]any)[3], []string{"causes", "check", "dropped",
			"durationSeconds", "exchanges", "findings", "skipReason", "status", "warnings"}},
		{"a finding carries its rule, reproducers, exchange, root cause and how it was shrunk", doc["findings"].([]any)[0], []string{
			"accounts", "actual", "ambiguities", "cause", "check", "command", "curl", "declared", "exchanges", "expected", "id", "operation", "quote", "request",
			"response", "rule", "seed", "send", "shrunk"}},
		{"a recorded exchange is structured", doc["findings"].([]any)[0].(map[string]any)["exchanges"].([]any)[1], []string{
			"account", "body", "breaks", "operation", "params", "setup", "signatureVersion", "status", "url"}},
	}
	for _, c := range cases {
		t.Run(c.reason, func(t *testing.T) { assert.DeepEqual(t, keys(c.object), c.want) })
	}
	assert.Equal(t, doc["format"], JSONFormat)
}

func TestJSONKeepsTheRunsSize(t *testing.T) {
	r := richResult()
	r.Examples, r.PacedExamples = 50, 25
	var doc map[string]any
	assert.NilError(t, json.Unmarshal(jsonBytes(t, r), &doc))
	assert.Equal(t, doc["examples"], 50.0)
	assert.Equal(t, doc["pacedExamples"], 25.0)
	got, err := ReadJSON(bytes.NewReader(jsonBytes(t, r)))
	assert.NilError(t, err)
	assert.Equal(t, got.Examples, 50)
	assert.Equal(t, got.PacedExamples, 25)
}

func TestJSONEmptyListsAreNotNull(t *testing.T) {
	var doc map[string]any
	assert.NilError(t, json.Unmarshal(jsonBytes(t, &results.Result{}), &doc))
	for _, name := range []string{"operations", "findings", "warnings"} {
		assert.DeepEqual(t, doc[name], []any{})
	}
}

func TestReadJSONReadsWhatJSONWrote(t *testing.T) {
	want := richResult()
	got, err := ReadJSON(bytes.NewReader(jsonBytes(t, want)))
	assert.NilError(t, err)
	// JSON writes a finding's operation and check from its place; ReadJSON
	// gives back the located findings.
	f := got.Operations[2].Checks[0].Findings[0]
	assert.Equal(t, f.Operation+"/"+f.Check, "bastionhost/error-code-documented")
	assert.DeepEqual(t, got.Operations[0].Checks[1].Findings[0], want.Operations[0].Checks[1].Findings[0])
	again, err := ReadJSON(bytes.NewReader(jsonBytes(t, got)))
	assert.NilError(t, err)
	assert.Equal(t, string(jsonBytes(t, again)), string(jsonBytes(t, got)), "reading and writing again changes nothing")
	_, err = ReadJSON(strings.NewReader(`{"format":"other/1"}`))
	assert.ErrorContains(t, err, "format")
}
