package reports

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/results"
)

// xmlBodyResult is a failed run whose findings carry raw XML response
// bodies (a target answering Format=XML), a CDATA terminator and a curl
// placeholder, in the failure text, the message, a skip reason and a warning.
func xmlBodyResult() *results.Result {
	body := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<Error><RequestId>X</RequestId><Code>A&amp;B</Code><Message><![CDATA[x]]></Message></Error>`
	f := results.Finding{
		Rule: "ram.UserName.max-length", Quote: "<b>quote</b>",
		Expected: "HTTP 400 <Code>", Actual: "HTTP 200 " + body, Seed: 1,
		Curl:    "curl -sS 'http://127.0.0.1:1/?A=1&B=2&Signature=<SIGNATURE>'",
		Request: "POST http://127.0.0.1:1/", Response: "HTTP 200 text/xml\n" + body,
	}
	return &results.Result{
		Tool: "t", Seed: 1, Target: "http://127.0.0.1:1", Command: "acsconform run --checks '<x>'",
		Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Operations: []results.OperationResult{{Operation: "ram", Action: "CreateUser", Version: "2015-05-01",
			Checks: []results.CheckResult{
				{Check: "error-envelope", Status: results.Failed, Findings: []results.Finding{f, f}},
				{Check: "quota-enforced", Status: results.Skipped, SkipReason: "no <quota>"},
				{Check: "response-schema", Status: results.Passed, Warnings: []results.Finding{f}},
			}}},
	}
}

func TestJUnitFreeTextHasNoMarkup(t *testing.T) {
	doc := junitBytes(t, xmlBodyResult(), JUnitOptions{Hostname: "h"})
	var got junitTestsuites
	assert.NilError(t, xml.Unmarshal(doc, &got))
	s := got.Suites[0]
	texts := map[string]string{
		"failure text":    s.Testcases[0].Failure.Text,
		"failure message": s.Testcases[0].Failure.Message,
		"skip reason":     s.Testcases[1].Skipped.Message,
		"system-out":      s.SystemOut.Text,
	}
	for _, p := range s.Properties.Property {
		texts["property "+p.Name] = p.Value
	}
	for where, text := range texts {
		assert.Assert(t, !strings.ContainsAny(text, "<>"),
			"%s, read back by an XML parser, still holds markup for a consumer that pastes it into HTML:\n%s", where, text)
	}
	fail := s.Testcases[0].Failure.Text
	for _, want := range []string{
		`‹?xml version="1.0" encoding="UTF-8"?›`, // the body stays readable
		`‹Code›A&amp;B‹/Code›`,                   // and exact but for the angle brackets
		`‹![CDATA[x]]›`,
		"Signature=‹SIGNATURE›",
		"&B=2", // URLs keep their ampersands
	} {
		assert.Assert(t, strings.Contains(fail, want), "failure text lacks %q:\n%s", want, fail)
	}
	assert.Equal(t, strings.Count(fail, "FAIL ram/error-envelope ["), 2, "both findings are listed")
}

func TestJUnitWithXMLBodiesValidatesAgainstAntSchema(t *testing.T) {
	validate(t, map[string][]byte{"xml-bodies": junitBytes(t, xmlBodyResult(), JUnitOptions{Hostname: "h"})})
}
