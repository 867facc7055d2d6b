package reports

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/acsconform/acsconform/results"
)

// TextOptions tunes Text. Its zero value is the default.
type TextOptions struct {
	// Verbose adds each finding's request and response summaries;
	// false lists findings with their reproducers only.
	Verbose bool
}

// Text writes r for a person at a console: every finding (FAIL) as a
// block with the rule's seed sentence, what the docs expect and what the
// target did, the seed and the reproducers; the warnings summed up in one
// line per ambiguity they rest on (WarningLines), each warning's block
// only when verbose; then a summary: a header line, a table with one row
// per operation and check in run order (status, exchanges, findings
// including those not kept, warnings, and why a check was skipped or
// errored or how many root causes its findings have), and a totals line
// that starts with PASS or FAIL (a failed or errored check). Control
// characters in values are written as Go escapes.
func Text(w io.Writer, r *results.Result, opts TextOptions) error {
	if r == nil {
		return errNilResult
	}
	bw := bufio.NewWriter(w)
	writeTextFindings(bw, r, opts.Verbose)
	writeWarningLines(bw, r, opts.Verbose)
	writeSummary(bw, r)
	return bw.Flush()
}

// writeTextFindings writes the finding blocks, and when verbose the
// warning blocks, a blank line after each.
func writeTextFindings(w io.Writer, r *results.Result, verbose bool) {
	for _, op := range r.Operations {
		for _, c := range op.Checks {
			for _, f := range c.Findings {
				writeFinding(w, markFail, located(f, op.Operation, c.Check), verbose)
				fmt.Fprintln(w)
			}
			if c.Dropped > 0 {
				writeDropped(w, op.Operation, c)
				fmt.Fprintln(w)
			}
			for _, f := range c.Warnings {
				if !verbose {
					break
				}
				writeFinding(w, markWarn, located(f, op.Operation, c.Check), verbose)
				fmt.Fprintln(w)
			}
		}
	}
}

// writeSummary writes the header line, the table and the totals line.
func writeSummary(w io.Writer, r *results.Result) {
	fmt.Fprintln(w, printable(fmt.Sprintf("acsconform %s against %s, seed %d, started %s, took %s",
		r.Tool, r.Target, r.Seed, r.Started.UTC().Format(time.RFC3339), r.Duration.Round(time.Millisecond))))
	if s := shardLabel(r); s != "" {
		fmt.Fprintln(w, "shard: "+printable(s))
	}
	if r.Command != "" {
		fmt.Fprintln(w, "replay: "+printable(r.Command))
	}
	if r.Stopped != "" {
		fmt.Fprintln(w, "STOPPED EARLY: "+printable(r.Stopped)+" (the checks cut short are errored)")
	}
	fmt.Fprintln(w)
	writeTable(w, summaryColumns, summaryRows(r))
	fmt.Fprintln(w, totalsLine(tallyResult(r)))
}

// column is one column of a text table.
type column struct {
	title string
	right bool // right-aligned (numbers)
}

// summaryColumns are the columns of the summary table.
var summaryColumns = []column{
	{"OPERATION", false}, {"CHECK", false}, {"STATUS", false},
	{"EXCHANGES", true}, {"FINDINGS", true}, {"WARNINGS", true}, {"NOTE", false},
}

// summaryRows is one row per operation and check, in run order.
func summaryRows(r *results.Result) [][]string {
	var rows [][]string
	for _, op := range r.Operations {
		for _, c := range op.Checks {
			rows = append(rows, []string{
				op.Operation, c.Check, statusWord(c.Status),
				strconv.Itoa(c.Exchanges), strconv.Itoa(len(c.Findings) + c.Dropped),
				strconv.Itoa(len(c.Warnings)), note(c),
			})
		}
	}
	return rows
}

// note is the table's last column: why a check was skipped or errored,
// how many root causes its findings have.
func note(c results.CheckResult) string {
	switch c.Status {
	case results.Skipped:
		return c.SkipReason
	case results.Errored:
		return c.ErrorReason
	case results.Failed:
		if len(c.Causes) > 1 {
			return causesWords(c)
		}
	}
	return ""
}

// statusWord is a check's status as the table shows it: failures and
// errors in capitals.
func statusWord(s results.Status) string {
	if s == results.Failed || s == results.Errored {
		return strings.ToUpper(string(s))
	}
	return string(s)
}

// writeTable writes a header and rows in columns two spaces apart, each
// cell made printable on one line; the last column is not padded.
func writeTable(w io.Writer, cols []column, rows [][]string) {
	cells := make([][]string, 0, len(rows)+1)
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.title
	}
	cells = append(cells, header)
	for _, row := range rows {
		clean := make([]string, len(row))
		for i, cell := range row {
			clean[i] = strings.ReplaceAll(printable(cell), "\n", " ")
		}
		cells = append(cells, clean)
	}
	widths := columnWidths(cells)
	for _, row := range cells {
		fmt.Fprintln(w, strings.TrimRight(tableLine(cols, widths, row), " "))
	}
}

// columnWidths is the widest cell of each column, in runes.
func columnWidths(cells [][]string) []int {
	widths := make([]int, len(cells[0]))
	for _, row := range cells {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	return widths
}

// tableLine lays out one row.
func tableLine(cols []column, widths []int, row []string) string {
	var b strings.Builder
	for i, cell := range row {
		if i > 0 {
			b.WriteString("  ")
		}
		pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
		if cols[i].right {
			b.WriteString(pad + cell)
		} else {
			b.WriteString(cell + pad)
		}
	}
	return b.String()
}

// totalsLine sums up a run: PASS or FAIL, then the counts.
func totalsLine(t tally) string {
	verdict := "PASS"
	if t.Failed > 0 || t.Errored > 0 {
		verdict = "FAIL"
	}
	findings := t.Findings + t.Dropped
	line := fmt.Sprintf("%s: %d %s (%d passed, %d failed, %d errored, %d skipped), %d %s, %d %s",
		verdict, t.Checks, plural(t.Checks, "check"), t.Passed, t.Failed, t.Errored, t.Skipped,
		t.Exchanges, plural(t.Exchanges, "exchange"), findings, plural(findings, "finding"))
	if t.Dropped > 0 {
		line += fmt.Sprintf(" (%d not kept)", t.Dropped)
	}
	return line + fmt.Sprintf(", %d %s", t.Warnings, plural(t.Warnings, "warning"))
}

// ProgressLine is one progress line for stderr: "[ 3/12] ram/no-server-error",
// the count padded to the width of total so successive lines align.
func ProgressLine(op, check string, done, total int) string {
	width := len(strconv.Itoa(total))
	return printable(fmt.Sprintf("[%*d/%d] %s/%s", width, done, total, op, check))
}

// warningGroup is the warnings that rest on one ambiguity (or, for a
// warning resting on none, come from one check on one rule).
type warningGroup struct {
	key    string
	count  int
	checks []string
	// inconclusive marks a group of warnings that rest on no ambiguity;
	// first is the first one's actual answer.
	inconclusive bool
	first        string
}

// WarningLines sums up r's warnings in one line per ambiguity they rest
// on, in the order the result first names each: "eds-user.password-space:
// 4 answers allowed only under one reading (eds-user/positive-acceptance)".
// A warning resting on several ambiguities counts under each. A warning
// resting on none (an inconclusive measurement) is grouped by operation,
// check and rule with its first actual answer. Lines are printable.
func WarningLines(r *results.Result) []string {
	var groups []*warningGroup
	byKey := map[string]*warningGroup{}
	add := func(key, where string, inconclusive bool, actual string) {
		g := byKey[key]
		if g == nil {
			g = &warningGroup{key: key, inconclusive: inconclusive, first: actual}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.count++
		if !slices.Contains(g.checks, where) {
			g.checks = append(g.checks, where)
		}
	}
	for _, op := range r.Operations {
		for _, c := range op.Checks {
			for _, f := range c.Warnings {
				f = located(f, op.Operation, c.Check)
				where := f.Operation + "/" + f.Check
				if len(f.Ambiguities) == 0 {
					key := where
					if f.Rule != "" {
						key += " [" + f.Rule + "]"
					}
					add(key, where, true, f.Actual)
					continue
				}
				for _, a := range f.Ambiguities {
					add(a, where, false, "")
				}
			}
		}
	}
	lines := make([]string, 0, len(groups))
	for _, g := range groups {
		var line string
		if g.inconclusive {
			line = fmt.Sprintf("%s: %d %s: %s", g.key, g.count, plural(g.count, "warning"), g.first)
		} else {
			line = fmt.Sprintf("%s: %d %s allowed only under one reading (%s)",
				g.key, g.count, plural(g.count, "answer"), strings.Join(g.checks, ", "))
		}
		lines = append(lines, strings.ReplaceAll(printable(line), "\n", " "))
	}
	return lines
}

// writeWarningLines writes WarningLines, each after "WARN ", and a hint
// that -v shows each warning, then a blank line; nothing without warnings.
func writeWarningLines(w io.Writer, r *results.Result, verbose bool) {
	lines := WarningLines(r)
	if len(lines) == 0 {
		return
	}
	for _, l := range lines {
		fmt.Fprintln(w, markWarn+" "+l)
	}
	if !verbose {
		fmt.Fprintln(w, "(-v shows each warning with its reproducers)")
	}
	fmt.Fprintln(w)
}
