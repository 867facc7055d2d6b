package reports

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/acsconform/acsconform/results"
)

//go:embed html.tmpl
var htmlSource string

// htmlPage is the page template, parsed once.
var htmlPage = template.Must(template.New("report").Parse(htmlSource))

// HTML writes r as one self-contained HTML page: inline CSS, no script,
// no image, font or link to fetch (a Content-Security-Policy says so to the
// browser), readable with JavaScript off. On top: the target, the date, the
// seed, the counts and the time taken. Then per operation: the matrix of
// every documented rule (its ID, the seed sentence, the parameter) against
// passed, failed, errored and skipped, the status's cell holding the number
// of exchanges that exercised the rule; the check verdicts; the findings
// grouped by root cause (check and rule), each group a <details> with what
// was expected and what came back and the reproducers; the warnings, one
// line per ambiguity, each expandable; and each rate-limit check's
// timeline as an inline SVG of requests per 100 ms, the throttled ones
// marked. Every value is HTML-escaped by html/template after control
// characters and bytes that are not UTF-8 are written as Go escapes.
func HTML(w io.Writer, r *results.Result) error {
	if r == nil {
		return errNilResult
	}
	bw := bufio.NewWriter(w)
	if err := htmlPage.Execute(bw, buildHTML(r)); err != nil {
		return fmt.Errorf("reports: html: %w", err)
	}
	return bw.Flush()
}

// htmlView is what the page template reads; every string is printable.
type htmlView struct {
	Tool, Target, Seed, Command, Started, Duration string
	Verdict                                        string
	// Shard is the run's shard ("2/4"), or how many shards a merged
	// report joins; "" for a whole run.
	Shard      string
	Totals     tally
	Errored    int
	Operations []htmlOperation
}

// htmlOperation is one operation's section.
type htmlOperation struct {
	ID, Action, Version string
	Rules               []htmlRule
	Checks              []htmlCheck
	Causes              []htmlCause
	Warnings            []htmlWarning
	Timelines           []htmlTimeline
}

// htmlRule is one row of the rule matrix: Cells has one entry per status
// column, the rule's own holding its exchange count.
type htmlRule struct {
	ID, Quote, Param   string
	Status             string
	Cells              []htmlCell
	Findings, Warnings int
}

// htmlCell is one status cell of a rule's row.
type htmlCell struct {
	Status string
	Mark   string // "" when the rule does not have this status
}

// htmlCheck is one row of the check table.
type htmlCheck struct {
	Check, Status, Note                    string
	Exchanges, Findings, Warnings, Dropped int
}

// htmlCause is the findings of one check on one rule.
type htmlCause struct {
	Check, Rule, Quote string
	Count              int
	Findings           []htmlFinding
	// Dropped counts the check's findings beyond the kept ones (whatever
	// their rule), on the check's last cause.
	Dropped int
}

// htmlFinding is one finding or warning with its reproducers.
type htmlFinding struct {
	Expected, Actual, Seed, Shrunk, Command, Curl, Request, Response string
}

// htmlWarning is the warnings resting on one ambiguity (WarningLines).
type htmlWarning struct {
	Line     string
	Findings []htmlFinding
}

// htmlTimeline is a rate-limit check's chart.
type htmlTimeline struct {
	Check                       string
	Requests, Throttled, Silent int
	Span                        string
	Width, Height, Base         int
	Bars                        []htmlBar
	Ticks                       []htmlTick
}

// htmlBar is one 100 ms bucket: its accepted-or-other, throttled and
// unanswered parts, stacked from the base line.
type htmlBar struct {
	X, W                      int
	Label                     string
	OtherY, OtherH            int
	ThrottledY, ThrottledH    int
	SilentY, SilentH          int
	Other, Throttled, Silence int
}

// htmlTick is a labelled mark of the time axis.
type htmlTick struct {
	X     int
	Label string
}

// ruleColumns are the status columns of the rule matrix, in order.
var ruleColumns = []results.Status{results.Passed, results.Failed, results.Errored, results.Skipped}

// buildHTML is the page's view of r.
func buildHTML(r *results.Result) htmlView {
	t := tallyResult(r)
	v := htmlView{
		Tool: printable(r.Tool), Target: printable(r.Target), Seed: strconv.FormatInt(r.Seed, 10),
		Command: printable(r.Command), Started: r.Started.UTC().Format(time.RFC3339),
		Duration: r.Duration.Round(time.Millisecond).String(), Totals: t, Verdict: "PASS",
		Shard: printable(shardLabel(r)),
	}
	if t.Failed > 0 {
		v.Verdict = "FAIL"
	}
	for _, op := range r.Operations {
		v.Operations = append(v.Operations, buildHTMLOperation(op))
		for _, c := range op.Checks {
			if c.Status == results.Errored {
				v.Errored++
			}
		}
	}
	return v
}

// buildHTMLOperation is one operation's section.
func buildHTMLOperation(op results.OperationResult) htmlOperation {
	o := htmlOperation{ID: printable(op.Operation), Action: printable(op.Action), Version: printable(op.Version)}
	for _, rr := range op.Rules {
		row := htmlRule{ID: printable(rr.Rule), Quote: printable(rr.Quote), Param: printable(rr.Param),
			Status: printable(string(rr.Status)), Findings: rr.Findings, Warnings: rr.Warnings}
		for _, s := range ruleColumns {
			cell := htmlCell{Status: string(s)}
			if rr.Status == s {
				cell.Mark = strconv.Itoa(rr.Exchanges)
			}
			row.Cells = append(row.Cells, cell)
		}
		o.Rules = append(o.Rules, row)
	}
	for _, c := range op.Checks {
		o.Checks = append(o.Checks, htmlCheck{Check: printable(c.Check), Status: printable(string(c.Status)),
			Note: printable(c.SkipReason), Exchanges: c.Exchanges, Findings: len(c.Findings) + c.Dropped,
			Warnings: len(c.Warnings), Dropped: c.Dropped})
		o.Causes = appendCauses(o.Causes, op.Operation, c)
		if len(c.Timeline) > 0 {
			o.Timelines = append(o.Timelines, buildTimeline(printable(c.Check), c.Timeline))
		}
	}
	o.Warnings = buildHTMLWarnings(op)
	return o
}

// appendCauses groups a check's kept findings by rule, in first-seen order.
func appendCauses(causes []htmlCause, op string, c results.CheckResult) []htmlCause {
	at := map[string]int{}
	start := len(causes)
	for _, f := range c.Findings {
		f = located(f, op, c.Check)
		i, ok := at[f.Rule]
		if !ok {
			i = len(causes)
			at[f.Rule] = i
			causes = append(causes, htmlCause{Check: printable(f.Check), Rule: printable(f.Rule), Quote: printable(f.Quote)})
		}
		causes[i].Count++
		causes[i].Findings = append(causes[i].Findings, buildHTMLFinding(f))
	}
	if c.Dropped > 0 && len(causes) > start {
		causes[len(causes)-1].Dropped = c.Dropped
	}
	return causes
}

// buildHTMLFinding is a finding's text, printable.
func buildHTMLFinding(f results.Finding) htmlFinding {
	return htmlFinding{
		Expected: printable(f.Expected), Actual: printable(f.Actual), Seed: strconv.FormatInt(f.Seed, 10),
		Shrunk: printable(f.Shrunk), Command: printable(f.Command), Curl: printable(f.Curl),
		Request: printable(f.Request), Response: printable(f.Response),
	}
}

// buildHTMLWarnings is one entry per WarningLines line of the operation,
// each with the warnings it sums up.
func buildHTMLWarnings(op results.OperationResult) []htmlWarning {
	one := &results.Result{Operations: []results.OperationResult{op}}
	var out []htmlWarning
	for _, line := range WarningLines(one) {
		w := htmlWarning{Line: line}
		for _, c := range op.Checks {
			for _, f := range c.Warnings {
				if warningIn(line, located(f, op.Operation, c.Check)) {
					w.Findings = append(w.Findings, buildHTMLFinding(f))
				}
			}
		}
		out = append(out, w)
	}
	return out
}

// warningIn reports whether f is summed up in a WarningLines line.
func warningIn(line string, f results.Finding) bool {
	if len(f.Ambiguities) == 0 {
		key := f.Operation + "/" + f.Check
		if f.Rule != "" {
			key += " [" + f.Rule + "]"
		}
		return strings.HasPrefix(line, printable(key)+": ")
	}
	for _, a := range f.Ambiguities {
		if strings.HasPrefix(line, strings.ReplaceAll(printable(a), "\n", " ")+": ") {
			return true
		}
	}
	return false
}

// Timeline chart geometry, in SVG user units.
const (
	bucket      = 100 * time.Millisecond
	maxBuckets  = 300
	barWidth    = 6
	chartHeight = 120
	chartLeft   = 30
	chartTop    = 10
)

// buildTimeline draws requests per 100 ms bucket: accepted (or any other
// answer), throttled and unanswered parts stacked; at most maxBuckets
// buckets, the later requests counted in the last.
func buildTimeline(check string, points []results.TimelinePoint) htmlTimeline {
	n := 1
	for _, p := range points {
		n = max(n, min(int(p.Offset/bucket)+1, maxBuckets))
	}
	type count struct{ other, throttled, silent int }
	counts := make([]count, n)
	tl := htmlTimeline{Check: check, Requests: len(points)}
	var last time.Duration
	for _, p := range points {
		i := min(int(p.Offset/bucket), n-1)
		switch {
		case p.Status == 0:
			counts[i].silent++
			tl.Silent++
		case p.Throttled:
			counts[i].throttled++
			tl.Throttled++
		default:
			counts[i].other++
		}
		last = max(last, p.Offset)
	}
	tl.Span = last.Round(time.Millisecond).String()
	highest := 1
	for _, c := range counts {
		highest = max(highest, c.other+c.throttled+c.silent)
	}
	scale := func(k int) int { return k * chartHeight / highest }
	tl.Base = chartTop + chartHeight
	tl.Width, tl.Height = chartLeft+n*(barWidth+2)+10, tl.Base+24
	for i, c := range counts {
		if c.other+c.throttled+c.silent == 0 {
			continue
		}
		x := chartLeft + i*(barWidth+2)
		b := htmlBar{X: x, W: barWidth, Other: c.other, Throttled: c.throttled, Silence: c.silent,
			Label: fmt.Sprintf("%d–%d ms: %d answered, %d throttled, %d unanswered", i*100, (i+1)*100, c.other, c.throttled, c.silent)}
		y := tl.Base
		b.OtherH = scale(c.other)
		y -= b.OtherH
		b.OtherY = y
		b.ThrottledH = scale(c.throttled)
		y -= b.ThrottledH
		b.ThrottledY = y
		b.SilentH = scale(c.silent)
		y -= b.SilentH
		b.SilentY = y
		tl.Bars = append(tl.Bars, b)
	}
	for i := 0; i < n; i += 10 {
		tl.Ticks = append(tl.Ticks, htmlTick{X: chartLeft + i*(barWidth+2), Label: fmt.Sprintf("%gs", float64(i)/10)})
	}
	return tl
}
