package reports

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/acsconform/acsconform/results"
)

// errNilResult is returned by every writer given no result.
var errNilResult = errors.New("reports: nil result")

// tally counts the checks, exchanges and findings of a run or operation.
type tally struct {
	Checks    int `json:"checks"`
	Passed    int `json:"passed"`
	Failed    int `json:"failed"`
	Skipped   int `json:"skipped"`
	Errored   int `json:"errored"`
	Exchanges int `json:"exchanges"`
	Findings  int `json:"findings"`
	Warnings  int `json:"warnings"`
	Dropped   int `json:"dropped"`
}

// add counts one check's verdict.
func (t *tally) add(c results.CheckResult) {
	t.Checks++
	switch c.Status {
	case results.Passed:
		t.Passed++
	case results.Failed:
		t.Failed++
	case results.Skipped:
		t.Skipped++
	case results.Errored:
		t.Errored++
	}
	t.Exchanges += c.Exchanges
	t.Findings += len(c.Findings)
	t.Warnings += len(c.Warnings)
	t.Dropped += c.Dropped
}

// tallyResult counts every check of r.
func tallyResult(r *results.Result) tally {
	var t tally
	for _, op := range r.Operations {
		for _, c := range op.Checks {
			t.add(c)
		}
	}
	return t
}

// located returns f with its operation and check filled in from the
// result it sits in when the finding itself leaves them empty.
func located(f results.Finding, op, check string) results.Finding {
	if f.Operation == "" {
		f.Operation = op
	}
	if f.Check == "" {
		f.Check = check
	}
	return f
}

// Finding block markers.
const (
	markFail = "FAIL"
	markWarn = "WARN"
)

// writeFinding writes f as a block headed by mark ("FAIL ram/check [rule]")
// with one labelled line per field that is not blank; verbose adds the request and
// response summaries. Every value goes through printable.
func writeFinding(w io.Writer, mark string, f results.Finding, verbose bool) {
	header := fmt.Sprintf("%s %s/%s", mark, f.Operation, f.Check)
	if f.ID != "" {
		header = mark + " " + f.ID
	}
	if f.Rule != "" {
		header += " [" + f.Rule + "]"
	}
	fmt.Fprintln(w, printable(header))
	for _, fl := range findingFields(f, verbose) {
		if value := indented(printable(fl.value)); value != "" {
			fmt.Fprintf(w, "  %-9s %s\n", fl.label+":", value)
		}
	}
}

// indented lines up the continuation lines of a multi-line value with its
// first line; trailing newlines are dropped and blank lines stay empty.
func indented(value string) string {
	lines := strings.Split(strings.TrimRight(value, "\n"), "\n")
	for i := 1; i < len(lines); i++ {
		if lines[i] != "" {
			lines[i] = "            " + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// field is one labelled line of a finding block.
type field struct{ label, value string }

// findingFields lists the lines of a finding block in display order.
func findingFields(f results.Finding, verbose bool) []field {
	fields := []field{
		{"rule", f.Quote},
		{"expected", f.Expected},
		{"actual", f.Actual},
		{"seed", strconv.FormatInt(f.Seed, 10)},
		{"replay", f.Command},
		{"shrunk", f.Shrunk},
		{"send", f.Send},
		{"curl", f.Curl},
	}
	if verbose {
		fields = append(fields, field{"request", f.Request}, field{"response", f.Response})
	}
	return fields
}

// writeDropped notes the findings of check c on operation op beyond the
// kept ones; it writes nothing when none was dropped.
func writeDropped(w io.Writer, op string, c results.CheckResult) {
	if c.Dropped > 0 {
		fmt.Fprintln(w, printable(fmt.Sprintf("%s %s/%s: %d more %s not kept",
			markFail, op, c.Check, c.Dropped, plural(c.Dropped, "finding"))))
	}
}

// plural returns word, with an "s" unless n is one.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// causesWords sums up a failed check's findings by root cause:
// "3 root causes (19 findings)", or "1 finding".
func causesWords(c results.CheckResult) string {
	n := len(c.Findings) + c.Dropped
	words := fmt.Sprintf("%d %s", n, plural(n, "finding"))
	if len(c.Causes) > 1 {
		words = fmt.Sprintf("%d root causes (%s)", len(c.Causes), words)
	}
	return words
}

// writeCauses lists a check's root causes with their finding counts, when
// there is more than one finding.
func writeCauses(w io.Writer, c results.CheckResult) {
	if len(c.Findings)+c.Dropped < 2 || len(c.Causes) == 0 {
		return
	}
	fmt.Fprintf(w, "%s:\n", causesWords(c))
	for _, cause := range c.Causes {
		fmt.Fprintf(w, "  %s (%d %s)\n", printable(cause.Key), cause.Findings, plural(cause.Findings, "finding"))
	}
	fmt.Fprintln(w)
}
