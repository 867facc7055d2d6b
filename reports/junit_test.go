package reports

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"
	"gotest.tools/v3/assert"
	"gotest.tools/v3/golden"
	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/results"
)

// antSchema is the strict Ant JUnit schema, in ../shared beside the repository.
var antSchema = filepath.Join("..", "..", "shared", "schemas", "junit-ant.xsd")

// tb is what both *testing.T and *rapid.T offer.
type tb interface {
	assert.TestingT
	Helper()
}

func junitBytes(t tb, r *results.Result, opts JUnitOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	assert.NilError(t, JUnit(&buf, r, opts))
	return buf.Bytes()
}

func TestJUnitGolden(t *testing.T) {
	golden.Assert(t, string(junitBytes(t, richResult(), JUnitOptions{Hostname: "ci-runner"})), "junit.golden.xml")
}

// validate runs xmllint with the Ant schema over the documents; a missing
// xmllint or schema fails the test: CI installs both.
func validate(t *testing.T, docs map[string][]byte) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	assert.NilError(t, err, "xmllint is needed to check the schema (apt-get install libxml2-utils)")
	_, err = os.Stat(antSchema)
	assert.NilError(t, err, "the Ant schema is expected at %s (../shared beside the repository)", antSchema)
	dir := t.TempDir()
	for name, doc := range docs {
		path := filepath.Join(dir, name+".xml")
		assert.NilError(t, os.WriteFile(path, doc, 0o600))
		out, err := exec.Command(xmllint, "--noout", "--schema", antSchema, path).CombinedOutput()
		assert.NilError(t, err, "%s does not validate:\n%s\n%s", name, out, doc)
	}
}

func TestJUnitValidatesAgainstAntSchema(t *testing.T) {
	cases := []struct {
		name, reason string
		result       *results.Result
		opts         JUnitOptions
	}{
		{"rich", "failures, skips, warnings, unicode, XML-special and forbidden characters", richResult(), JUnitOptions{Hostname: "ci-runner"}},
		{"empty", "a run of no operation is an empty testsuites element", &results.Result{}, JUnitOptions{Hostname: "h"}},
		{"no-checks", "an operation with no check still needs properties, system-out and system-err",
			&results.Result{Operations: []results.OperationResult{{}}}, JUnitOptions{Hostname: "h"}},
		{"blank-hostname", "a blank hostname falls back to a real one, never an empty token",
			richResult(), JUnitOptions{Hostname: " \t "}},
	}
	docs := map[string][]byte{}
	for _, c := range cases {
		docs[c.name] = junitBytes(t, c.result, c.opts)
	}
	gen := genResult()
	for i := range 25 {
		docs["random-"+strconv.Itoa(i)] = junitBytes(t, gen.Example(i), JUnitOptions{Hostname: "\x00weird host\n"})
	}
	validate(t, docs)
}

func TestJUnitRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genResult().Draw(t, "result")
		var got junitTestsuites
		assert.NilError(t, xml.Unmarshal(junitBytes(t, r, JUnitOptions{Hostname: "h"}), &got))
		assert.DeepEqual(t, got, buildJUnit(r, "h"),
			cmpopts.IgnoreFields(junitTestsuites{}, "XMLName"), cmpopts.EquateEmpty())
	})
}

func TestJUnitCountsMatchTestcases(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		doc := buildJUnit(genResult().Draw(t, "result"), "h")
		for _, s := range doc.Suites {
			var failures, skipped int
			for _, tc := range s.Testcases {
				if tc.Failure != nil {
					failures++
				}
				if tc.Skipped != nil {
					skipped++
				}
				assert.Assert(t, tc.Failure == nil || tc.Skipped == nil, "testcase %q both failed and skipped", tc.Name)
			}
			assert.Equal(t, s.Tests, len(s.Testcases))
			assert.Equal(t, s.Failures, failures)
			assert.Equal(t, s.Skipped, skipped)
		}
	})
}

func TestJUnitTestcases(t *testing.T) {
	doc := buildJUnit(richResult(), "h")
	ram, eds, bastion := doc.Suites[0], doc.Suites[1], doc.Suites[2]
	cases := []struct {
		reason string
		got    junitTestcase
		want   junitTestcase
	}{
		{"a passed check has neither failure nor skipped",
			ram.Testcases[0], junitTestcase{Name: "error-code-documented", Classname: "acsconform.ram", Time: "0.800"}},
		{"an errored check carries its reason as an error",
			ram.Testcases[2], junitTestcase{Name: "duplicate-rejected", Classname: "acsconform.ram", Time: "0.000",
				Error: &junitFailure{Message: "no conclusive answer among 4 exchanges (first: timeout after 10s)", Type: "errored",
					Text: "no conclusive answer among 4 exchanges (first: timeout after 10s)"}}},
		{"a skipped check carries its reason",
			ram.Testcases[3], junitTestcase{Name: "rate-limit", Classname: "acsconform.ram", Time: "0.000",
				Skipped: &junitSkipped{Message: "the target declares no rate limit (--rate-limit)"}}},
		{"a check with only warnings passes",
			eds.Testcases[0], junitTestcase{Name: "partial-batch", Classname: "acsconform.eds-user", Time: "0.300"}},
	}
	for _, c := range cases {
		t.Run(c.reason, func(t *testing.T) { assert.DeepEqual(t, c.got, c.want) })
	}

	fail := ram.Testcases[1].Failure
	assert.Assert(t, fail != nil)
	assert.Equal(t, fail.Type, "ram.UserName.length", "the type is the first finding's rule")
	assert.Equal(t, fail.Message, "2 root causes (5 findings); first: expected HTTP 400 InvalidParameter.UserName.Length, actual HTTP 500 InternalError")
	assert.Assert(t, strings.Contains(fail.Text, "ram.UserName.length: HTTP 500 InternalError (UserName) (4 findings)"), "the root causes are listed")
	assert.Assert(t, strings.Contains(fail.Text, "FAIL ram/no-server-error: 3 more findings not kept"))
	assert.Equal(t, strings.Count(fail.Text, "FAIL ram/no-server-error/1 ["), 1, "a finding is headed by its ID")
	assert.Equal(t, strings.Count(fail.Text, "FAIL ram/no-server-error ["), 1, "every kept finding is listed")

	assert.Assert(t, strings.Contains(eds.SystemOut.Text, "WARN eds-user/partial-batch [eds-user.Users.partial]"))
	assert.Assert(t, strings.Contains(bastion.Testcases[0].Failure.Text, "FAIL bastionhost/error-code-documented ["),
		"a finding without operation and check is located by the result it sits in")
}

func TestJUnitHostname(t *testing.T) {
	osHost, err := os.Hostname()
	if err != nil || strings.TrimSpace(osHost) == "" {
		osHost = "localhost"
	}
	cases := []struct {
		reason string
		opts   JUnitOptions
		want   string
	}{
		{"an injected hostname is used as is", JUnitOptions{Hostname: "build-7"}, "build-7"},
		{"the zero value means the machine's hostname", JUnitOptions{}, printable(osHost)},
		{"a blank hostname means the machine's hostname", JUnitOptions{Hostname: "  "}, printable(osHost)},
		{"control characters are escaped", JUnitOptions{Hostname: "a\x1bb"}, `a\x1bb`},
	}
	for _, c := range cases {
		assert.Equal(t, c.opts.hostname(), c.want, c.reason)
	}
}

// brokenWriter fails every write, as a full disk or a closed pipe does.
type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errBroken }

var errBroken = errors.New("broken pipe")

func TestWritersReportWriteErrors(t *testing.T) {
	cases := []struct {
		reason string
		write  func(io.Writer) error
	}{
		{"JUnit returns the writer's error", func(w io.Writer) error { return JUnit(w, richResult(), JUnitOptions{}) }},
		{"JSON returns the writer's error", func(w io.Writer) error { return JSON(w, richResult()) }},
		{"Text returns the writer's error", func(w io.Writer) error { return Text(w, richResult(), TextOptions{}) }},
	}
	for _, c := range cases {
		assert.ErrorIs(t, c.write(brokenWriter{}), errBroken, c.reason)
	}
}

func TestWritersRejectNilResult(t *testing.T) {
	var buf bytes.Buffer
	assert.ErrorIs(t, JUnit(&buf, nil, JUnitOptions{}), errNilResult)
	assert.ErrorIs(t, JSON(&buf, nil), errNilResult)
	assert.ErrorIs(t, Text(&buf, nil, TextOptions{}), errNilResult)
	assert.Equal(t, buf.Len(), 0, "nothing is written for a nil result")
}
