package reports

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/acsconform/acsconform/results"
)

// JUnitOptions tunes JUnit. Its zero value is the default.
type JUnitOptions struct {
	// Hostname is written as every testsuite's hostname; empty means
	// os.Hostname(), or "localhost" when that fails.
	Hostname string
}

// hostname resolves the hostname the options ask for.
func (o JUnitOptions) hostname() string {
	if h := strings.TrimSpace(printable(o.Hostname)); h != "" {
		return h
	}
	if h, err := os.Hostname(); err == nil && strings.TrimSpace(h) != "" {
		return printable(h)
	}
	return "localhost"
}

// JUnit writes r as a JUnit XML document valid against the strict Apache Ant
// schema: a testsuites element holding one testsuite per operation (named
// "acsconform.<operation>", with the tool version, seed, target, command,
// Action and API version as properties) and one testcase per check (the
// check ID as name, the testsuite name as classname).
//
// A failed check carries a failure element: its message sums up the first
// finding, its type is that finding's rule ID, its text lists every kept
// finding with its reproducers and exchange. A skipped check carries a
// skipped element whose message is the skip reason. Warnings (disagreements
// on ambiguous rules) never fail a testcase: they are listed in the
// testsuite's system-out. The timestamp is r.Started in UTC without a zone
// (as the schema demands), times are the checks' durations in seconds.
// In free text '<' and '>' are written as '‹' and '›' (see inert), so a
// consumer that renders the text as HTML unescaped still parses it.
func JUnit(w io.Writer, r *results.Result, opts JUnitOptions) error {
	if r == nil {
		return errNilResult
	}
	doc := buildJUnit(r, opts.hostname())
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("reports: encode junit: %w", err)
	}
	bw.WriteString("\n")
	return bw.Flush()
}

// junitTestsuites is the document root.
type junitTestsuites struct {
	XMLName xml.Name         `xml:"testsuites"`
	Suites  []junitTestsuite `xml:"testsuite"`
}

// junitTestsuite is one operation; the schema fixes the element order.
type junitTestsuite struct {
	Name       string          `xml:"name,attr"`
	Package    string          `xml:"package,attr"`
	ID         int             `xml:"id,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties junitProperties `xml:"properties"`
	Testcases  []junitTestcase `xml:"testcase"`
	SystemOut  junitText       `xml:"system-out"`
	SystemErr  junitText       `xml:"system-err"`
}

// junitProperties is always written: the schema requires the element.
type junitProperties struct {
	Property []junitProperty `xml:"property"`
}

// junitProperty is one name/value pair.
type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// junitTestcase is one check; at most one of Skipped, Error and Failure is set.
type junitTestcase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Skipped   *junitSkipped `xml:"skipped"`
	Error     *junitFailure `xml:"error"`
	Failure   *junitFailure `xml:"failure"`
}

// junitSkipped marks a skipped check.
type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// junitFailure marks a failed check.
type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// junitText is the text of system-out or system-err.
type junitText struct {
	Text string `xml:",cdata"`
}

// junitPackage is the package of every testsuite and the prefix of its name.
const junitPackage = "acsconform"

// junitTimestamp is the schema's ISO 8601 pattern: no zone, no fraction.
const junitTimestamp = "2006-01-02T15:04:05"

// buildJUnit is the document for r; it is pure, every string in it printable.
func buildJUnit(r *results.Result, hostname string) junitTestsuites {
	doc := junitTestsuites{Suites: make([]junitTestsuite, 0, len(r.Operations))}
	stamp := r.Started.UTC().Format(junitTimestamp)
	for i, op := range r.Operations {
		doc.Suites = append(doc.Suites, buildSuite(r, i, op, stamp, hostname))
	}
	return doc
}

// buildSuite is the testsuite of the i-th operation.
func buildSuite(r *results.Result, id int, op results.OperationResult, stamp, hostname string) junitTestsuite {
	name := printable(junitPackage + "." + op.Operation)
	s := junitTestsuite{
		Name: name, Package: junitPackage, ID: id,
		Timestamp: stamp, Hostname: hostname,
		Properties: junitProperties{Property: suiteProperties(r, op)},
		Testcases:  make([]junitTestcase, 0, len(op.Checks)),
	}
	var t tally
	var total time.Duration
	var out strings.Builder
	for _, c := range op.Checks {
		t.add(c)
		total += c.Duration
		s.Testcases = append(s.Testcases, buildTestcase(name, op.Operation, c))
		for _, f := range c.Warnings {
			writeFinding(&out, markWarn, located(f, op.Operation, c.Check), true)
		}
	}
	s.Tests, s.Failures, s.Errors, s.Skipped = t.Checks, t.Failed, t.Errored, t.Skipped
	s.Time = seconds(total)
	s.SystemOut.Text = inert(out.String())
	return s
}

// suiteProperties are the run's and the operation's identifying values.
func suiteProperties(r *results.Result, op results.OperationResult) []junitProperty {
	props := []junitProperty{
		{"acsconform.version", r.Tool},
		{"seed", strconv.FormatInt(r.Seed, 10)},
		{"target", r.Target},
		{"command", r.Command},
		{"stopped", r.Stopped},
		{"operation", op.Operation},
		{"action", op.Action},
		{"api-version", op.Version},
	}
	if s := shardLabel(r); s != "" {
		props = append(props, junitProperty{"shard", s})
	}
	for i := range props {
		props[i].Value = inert(printable(props[i].Value))
	}
	return props
}

// buildTestcase is the testcase of one check of operation op.
func buildTestcase(classname, op string, c results.CheckResult) junitTestcase {
	tc := junitTestcase{Name: printable(c.Check), Classname: classname, Time: seconds(c.Duration)}
	switch c.Status {
	case results.Skipped:
		tc.Skipped = &junitSkipped{Message: inert(printable(c.SkipReason))}
	case results.Errored:
		reason := inert(printable(c.ErrorReason))
		tc.Error = &junitFailure{Message: reason, Type: "errored", Text: reason}
	case results.Failed:
		tc.Failure = buildFailure(op, c)
	}
	return tc
}

// buildFailure sums up a failed check: the first finding in the message,
// every kept finding in the text.
func buildFailure(op string, c results.CheckResult) *junitFailure {
	n := len(c.Findings) + c.Dropped
	fail := &junitFailure{Message: causesWords(c), Type: c.Check}
	var text strings.Builder
	writeCauses(&text, c)
	for i, f := range c.Findings {
		f = located(f, op, c.Check)
		if i == 0 {
			fail.Message += fmt.Sprintf("%s expected %s, actual %s", firstSep(n), f.Expected, f.Actual)
			if f.Rule != "" {
				fail.Type = f.Rule
			}
		}
		writeFinding(&text, markFail, f, true)
	}
	writeDropped(&text, op, c)
	fail.Message, fail.Type = inert(printable(fail.Message)), inert(printable(fail.Type))
	fail.Text = inert(text.String())
	return fail
}

// firstSep introduces the first of n findings in a failure message.
func firstSep(n int) string {
	if n == 1 {
		return ":"
	}
	return "; first:"
}

// inertReplacer swaps the markup characters '<' and '>' for the look-alike
// single angle quotation marks U+2039 and U+203A.
var inertReplacer = strings.NewReplacer("<", "\u2039", ">", "\u203a")

// inert returns s with no '<' or '>' left: the XML encoder escapes the text
// for XML, but JUnit consumers read it back and some paste it into HTML
// unescaped (junit-viewer 4.11.1 does, and fails with a parse error on a
// raw "<?xml" response body; "<SIGNATURE>" in a curl line would vanish as an
// unknown tag). So every free text of the JUnit document (failure messages
// and texts, skip reasons, system-out, property values) shows '<' and '>'
// as '‹' and '›': "‹?xml version=…?›‹Error›…". The JSON report keeps the
// exact text.
func inert(s string) string {
	if !strings.ContainsAny(s, "<>") {
		return s
	}
	return inertReplacer.Replace(s)
}

// seconds writes d as the schema's decimal number of seconds.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}
