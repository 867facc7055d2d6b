package reports

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/results"
)

// sentinel is a secret the environment holds and no output may show.
const sentinel = "sentinel-5ecret-from-the-environment"

// secretEnv are the variables the Alibaba Cloud SDKs read credentials from.
var secretEnv = []string{
	"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
	"ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ACSCONFORM_SECRET",
}

// expandable are values a careless writer would expand: environment
// references, format verbs, templates, entities and redaction markers. Each
// must come out exactly as it went in.
var expandable = []string{
	"${ALIBABA_CLOUD_ACCESS_KEY_SECRET}", "$ALICLOUD_SECRET_KEY", "$(printenv ACSCONFORM_SECRET)",
	"%s %v %[1]q %!", "{{.AccessKeySecret}}", "&lt;redacted&gt;", "Password=<redacted>",
	"Signature=<sign this request>",
}

// secretLeak matches a secret-named key whose value is not a placeholder
// ("<redacted>", or "‹redacted›" in JUnit free text),
// through the quoting of JSON (\") and XML (&#34;) alike.
var secretLeak = regexp.MustCompile(`(?i)(password|accesskeysecret|signature)` + quotes + `\s*[=:]\s*` + quotes + `[^<‹&\s"'\\]`)

// quotes are the ways a quote can be written in the outputs.
const quotes = `(\\?["']|&#34;|&#39;|&quot;)*`

// expandableResult puts every expandable value in every string of a result.
func expandableResult() *results.Result {
	v := strings.Join(expandable, " | ")
	f := results.Finding{Check: v, Operation: v, Rule: v, Quote: v, Expected: v, Actual: v,
		Curl: v, Command: v, Request: v, Response: v}
	return &results.Result{Tool: v, Target: v, Command: v, Started: started,
		Operations: []results.OperationResult{{Operation: v, Action: v, Version: v, Checks: []results.CheckResult{
			{Check: v, Status: results.Failed, Findings: []results.Finding{f}, Warnings: []results.Finding{f}},
			{Check: v, Status: results.Skipped, SkipReason: v},
		}}}}
}

// allOutputs are every report of r, by name.
func allOutputs(t *testing.T, r *results.Result) map[string][]byte {
	return map[string][]byte{
		"junit":        junitBytes(t, r, JUnitOptions{}),
		"json":         jsonBytes(t, r),
		"text":         textBytes(t, r, TextOptions{}),
		"text-verbose": textBytes(t, r, TextOptions{Verbose: true}),
	}
}

func TestNoSecretFromTheEnvironment(t *testing.T) {
	for _, name := range secretEnv {
		t.Setenv(name, sentinel)
	}
	for _, r := range []*results.Result{richResult(), expandableResult()} {
		for name, out := range allOutputs(t, r) {
			assert.Assert(t, !bytes.Contains(out, []byte(sentinel)), "%s output shows a secret from the environment", name)
		}
	}
}

func TestNoSecretAdded(t *testing.T) {
	for name, out := range allOutputs(t, richResult()) {
		assert.Assert(t, secretLeak.Find(out) == nil, "%s output has a secret value: %s", name, secretLeak.Find(out))
		assert.Assert(t, !bytes.Contains(out, []byte("AccessKeySecret")), "%s output names a secret the result has not", name)
	}
}

func TestSecretLeakIsSeenInEveryOutput(t *testing.T) {
	cases := []struct {
		reason, value string
		leak          bool
	}{
		{"a password value is a leak", "Action=CreateUser&Password=hunter2", true},
		{"a signature value is a leak", "Signature=Zm9vYmFy&SignatureMethod=HMAC-SHA1", true},
		{"a JSON secret member is a leak", `{"AccessKeySecret": "abc"}`, true},
		{"a redacted password is not", "Action=CreateUser&Password=<redacted>", false},
		{"a signature left to the user is not", "Signature=<sign this request>", false},
	}
	for _, c := range cases {
		r := richResult()
		f := &r.Operations[0].Checks[1].Findings[0]
		f.Request, f.Actual = c.value, c.value // Actual also lands in a JUnit attribute
		for name, out := range allOutputs(t, r) {
			assert.Equal(t, secretLeak.Match(out), c.leak, "%s output: %s", name, c.reason)
		}
	}
}

func TestValuesAreNeitherExpandedNorMangled(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", sentinel)
	outputs := allOutputs(t, expandableResult())
	decoded := map[string]string{
		"junit":        xmlText(t, outputs["junit"]),
		"json":         jsonText(t, outputs["json"]),
		"text":         string(outputs["text"]),
		"text-verbose": string(outputs["text-verbose"]),
	}
	for name, text := range decoded {
		for _, v := range expandable {
			if name == "junit" {
				v = inert(v) // the one documented change: '<' and '>' as '‹' and '›'
			}
			assert.Assert(t, strings.Contains(text, v), "%s output, once decoded, lacks %q", name, v)
		}
	}
}

// xmlText is every attribute value and text of an XML document, one a line.
func xmlText(t *testing.T, doc []byte) string {
	var b strings.Builder
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return b.String()
		}
		assert.NilError(t, err)
		switch tok := tok.(type) {
		case xml.StartElement:
			for _, a := range tok.Attr {
				b.WriteString(a.Value + "\n")
			}
		case xml.CharData:
			b.WriteString(string(tok) + "\n")
		}
	}
}

// jsonText is every string of a JSON document, one a line.
func jsonText(t *testing.T, doc []byte) string {
	var b strings.Builder
	dec := json.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return b.String()
		}
		assert.NilError(t, err)
		if s, ok := tok.(string); ok {
			b.WriteString(s + "\n")
		}
	}
}
