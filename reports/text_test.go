package reports

import (
	"bytes"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	"gotest.tools/v3/golden"
	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/results"
)

func textBytes(t tb, r *results.Result, opts TextOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	assert.NilError(t, Text(&buf, r, opts))
	return buf.Bytes()
}

func TestTextGolden(t *testing.T) {
	cases := []struct {
		file, reason string
		opts         TextOptions
	}{
		{"text.golden.txt", "findings with reproducers, then the summary table", TextOptions{}},
		{"text-verbose.golden.txt", "verbose adds each finding's request and response", TextOptions{Verbose: true}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			golden.Assert(t, string(textBytes(t, richResult(), c.opts)), c.file)
		})
	}
}

func TestTextVerboseAddsOnlyTheExchangesAndWarnings(t *testing.T) {
	plain := string(textBytes(t, richResult(), TextOptions{}))
	verbose := string(textBytes(t, richResult(), TextOptions{Verbose: true}))
	var kept []string
	for _, block := range strings.Split(verbose, "\n\n") {
		lines := strings.Split(block, "\n")
		if strings.HasPrefix(lines[0], "WARN ") && len(lines) > 1 && strings.HasPrefix(lines[1], "  ") {
			continue // a warning's block: verbose only
		}
		var stripped []string
		for _, line := range lines {
			if strings.HasPrefix(line, "  request:") || strings.HasPrefix(line, "  response:") ||
				strings.HasPrefix(line, "            ") {
				continue
			}
			stripped = append(stripped, line)
		}
		kept = append(kept, strings.Join(stripped, "\n"))
	}
	const hint = "(-v shows each warning with its reproducers)\n"
	assert.Assert(t, strings.Contains(plain, hint))
	assert.Equal(t, strings.Join(kept, "\n\n"), strings.Replace(plain, hint, "", 1))
}

func TestWarningLines(t *testing.T) {
	warn := func(op, check, rule, actual string, ambiguities ...string) results.CheckResult {
		return results.CheckResult{Check: check, Warnings: []results.Finding{{Operation: op, Rule: rule, Actual: actual, Ambiguities: ambiguities}}}
	}
	cases := []struct {
		reason string
		checks []results.CheckResult
		want   []string
	}{
		{"no warning, no line", nil, []string{}},
		{"one line per ambiguity, counting the answers and naming the checks",
			[]results.CheckResult{warn("e", "c1", "r", "x", "e.space"), warn("e", "c2", "r", "x", "e.space"), warn("e", "c2", "r", "x", "e.space")},
			[]string{"e.space: 3 answers allowed only under one reading (e/c1, e/c2)"}},
		{"a warning resting on two ambiguities counts under each",
			[]results.CheckResult{warn("e", "c", "r", "x", "a", "b")},
			[]string{"a: 1 answer allowed only under one reading (e/c)", "b: 1 answer allowed only under one reading (e/c)"}},
		{"a warning resting on none is grouped by check and rule, with its first answer on one line",
			[]results.CheckResult{warn("b", "rate", "b.rl", "took\nlong"), warn("b", "rate", "b.rl", "other")},
			[]string{"b/rate [b.rl]: 2 warnings: took long"}},
		{"control characters are escaped", []results.CheckResult{warn("e", "c", "r", "x", "a\x1b")},
			[]string{`a\x1b: 1 answer allowed only under one reading (e/c)`}},
	}
	for _, c := range cases {
		r := &results.Result{Operations: []results.OperationResult{{Operation: "e", Checks: c.checks}}}
		assert.DeepEqual(t, WarningLines(r), c.want)
	}
}

func TestTextAndJUnitArePrintable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genResult().Draw(t, "result")
		outputs := map[string][]byte{
			"text":  textBytes(t, r, TextOptions{Verbose: true}),
			"junit": junitBytes(t, r, JUnitOptions{Hostname: "h"}),
		}
		for name, out := range outputs {
			assert.Assert(t, isPrintable(string(out)), "%s output has a control character or a byte that is not UTF-8:\n%q", name, out)
		}
	})
}

func TestWriteTable(t *testing.T) {
	cols := []column{{"NAME", false}, {"N", true}, {"NOTE", false}}
	cases := []struct {
		reason string
		rows   [][]string
		want   string
	}{
		{"no rows is the header alone", nil, "NAME  N  NOTE\n"},
		{"numbers align right, text left, the last column is not padded",
			[][]string{{"a", "1", ""}, {"longer", "100", "why"}},
			"NAME      N  NOTE\na         1\nlonger  100  why\n"},
		{"width counts runes, not bytes", [][]string{{"用户", "7", "x"}},
			"NAME  N  NOTE\n用户    7  x\n"},
		{"a cell stays on one line, its control characters escaped", [][]string{{"a\nb", "1", "c\x1b"}},
			"NAME  N  NOTE\na b   1  c\\x1b\n"},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		writeTable(&buf, cols, c.rows)
		assert.Equal(t, buf.String(), c.want, c.reason)
	}
}

func TestTotalsLine(t *testing.T) {
	cases := []struct {
		reason string
		tally  tally
		want   string
	}{
		{"no failure passes", tally{Checks: 1, Passed: 1, Exchanges: 1},
			"PASS: 1 check (1 passed, 0 failed, 0 errored, 0 skipped), 1 exchange, 0 findings, 0 warnings"},
		{"an errored check fails the run", tally{Checks: 2, Passed: 1, Errored: 1, Exchanges: 4},
			"FAIL: 2 checks (1 passed, 0 failed, 1 errored, 0 skipped), 4 exchanges, 0 findings, 0 warnings"},
		{"one failure fails; dropped findings count and are noted",
			tally{Checks: 3, Passed: 1, Failed: 1, Skipped: 1, Exchanges: 10, Findings: 2, Dropped: 3, Warnings: 1},
			"FAIL: 3 checks (1 passed, 1 failed, 0 errored, 1 skipped), 10 exchanges, 5 findings (3 not kept), 1 warning"},
	}
	for _, c := range cases {
		assert.Equal(t, totalsLine(c.tally), c.want, c.reason)
	}
}

func TestProgressLine(t *testing.T) {
	cases := []struct {
		reason      string
		op, check   string
		done, total int
		want        string
	}{
		{"the count is padded to the width of the total", "ram", "no-server-error", 3, 12, "[ 3/12] ram/no-server-error"},
		{"a one-digit total needs no padding", "eds-user", "partial-batch", 1, 1, "[1/1] eds-user/partial-batch"},
		{"control characters are escaped", "ram\r", "x\x1b", 1, 1, `[1/1] ram\x0d/x\x1b`},
	}
	for _, c := range cases {
		assert.Equal(t, ProgressLine(c.op, c.check, c.done, c.total), c.want, c.reason)
	}
}
