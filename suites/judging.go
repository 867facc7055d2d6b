package suites

import (
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// judging collects one check's verdict on one operation while its judge
// runs over sequences. Judges only call fail, warn and count.
type judging struct {
	*judgeScope
	// seq and exs are the sequence judged and its exchanges, for the
	// setup steps a finding records.
	seq *sequence
	exs []runner.Exchange

	// exchanges counts the exchanges judged, conclusive those a check
	// other than no-server-error can conclude from (see answered);
	// firstUnanswered says what the first other one got.
	exchanges, conclusive int
	firstUnanswered       string
	// unheldSeqs counts the sequences whose precondition did not hold;
	// unheldReason is the first one's.
	unheldSeqs         int
	unheldReason       string
	findings, warnings []results.Finding
	// ids are the well-formed RequestIds seen, for the run-wide uniqueness verdict.
	ids []string
	// timeline is set for the rate-limit checks (recordTimeline).
	timeline []results.TimelinePoint
	// full, when set, is the tally this verdict goes to: once its kept
	// findings (or warnings) are at the bound, the ones judged after can
	// only be counted, and are built light (lightOnce).
	full *fullness
}

// judgeScope is what every judgement of one check on one operation
// shares: built once per check of a run, not per sequence.
type judgeScope struct {
	check string
	model *specs.Model
	op    *specs.Operation
	// replay builds the command line that replays the check, when a
	// finding needs it (nil: none is known).
	replay func() string
	seed   int64
	strict bool
	// scrub removes secret values from text before it is kept.
	scrub func(string) string
	// base is the operation's base URL; accounts and declared are what
	// the expectations rest on.
	base     string
	accounts int
	declared results.Declared
}

// scoped is a judging with a scope of its own, made in one allocation.
func scoped(s judgeScope) *judging {
	own := &struct {
		judging
		scope judgeScope
	}{scope: s}
	own.judgeScope = &own.scope
	return &own.judging
}

// fullness says whether a tally keeps no more findings or warnings; it
// only ever fills, so a verdict delivered after it filled is dropped.
type fullness struct{ findings, warnings atomic.Bool }

// lightOnce reports whether a finding (warning: a warning) built now
// would surely be dropped: only its root cause is needed then.
func (j *judging) lightOnce(warning bool) bool {
	if j.full == nil {
		return false
	}
	if warning && !j.strict {
		return j.full.warnings.Load()
	}
	return j.full.findings.Load()
}

// light is a finding that will be counted, not kept: its root cause only.
func (j *judging) light(st *step, ex *runner.Exchange, rule *specs.Rule) results.Finding {
	if rule == nil && st != nil {
		rule = st.Expect.Rule
	}
	f := results.Finding{Check: j.check, Operation: j.op.ID, Cause: j.scrub(causeKey(j.check, rule, ex))}
	if rule != nil {
		f.Rule = rule.ID
	}
	return f
}

// perStep turns a judge of one answer into a judge of a sequence: it
// sees the conclusive exchanges only (see answered).
func perStep(fn func(j *judging, st *step, ex *runner.Exchange)) func(*judging, *sequence, []runner.Exchange) {
	return func(j *judging, seq *sequence, exs []runner.Exchange) {
		for i := range exs {
			if j.count(&exs[i]) {
				fn(j, &seq.Steps[i], &exs[i])
			}
		}
	}
}

// everyStep turns a judge of one exchange into a judge of a sequence that
// sees every exchange, answered or not, each a conclusive verdict: for
// no-server-error, whose business the failures are.
func everyStep(fn func(j *judging, st *step, ex *runner.Exchange)) func(*judging, *sequence, []runner.Exchange) {
	return func(j *judging, seq *sequence, exs []runner.Exchange) {
		for i := range exs {
			j.exchanges++
			j.conclusive++
			fn(j, &seq.Steps[i], &exs[i])
		}
	}
}

// fail records a finding about the exchange ex answering st.
func (j *judging) fail(st *step, ex *runner.Exchange, rule *specs.Rule, expected, actual string) {
	j.findings = append(j.findings, j.report(false, st, ex, rule, expected, actual))
}

// warn records a disagreement on an ambiguous rule: a failure only when strict.
func (j *judging) warn(st *step, ex *runner.Exchange, rule *specs.Rule, expected, actual string) {
	j.warnWith(j.report(true, st, ex, rule, expected, actual))
}

// report is the finding (warning: the warning) about ex answering st:
// whole, or only its root cause when it can only be counted (lightOnce).
func (j *judging) report(warning bool, st *step, ex *runner.Exchange, rule *specs.Rule, expected, actual string) results.Finding {
	if j.lightOnce(warning) {
		return j.light(st, ex, rule)
	}
	return j.finding(st, ex, rule, expected, actual)
}

// warnWith records a built warning: a failure only when strict.
func (j *judging) warnWith(f results.Finding) {
	if j.strict {
		j.findings = append(j.findings, f)
		return
	}
	j.warnings = append(j.warnings, f)
}

// finding builds a finding with its reproducers, every text scrubbed of secrets.
func (j *judging) finding(st *step, ex *runner.Exchange, rule *specs.Rule, expected, actual string) results.Finding {
	f := results.Finding{
		Check:     j.check,
		Operation: j.op.ID,
		Expected:  expected,
		Actual:    actual,
		Seed:      j.seed,
		Command:   j.command(),
	}
	if rule == nil && st != nil {
		rule = st.Expect.Rule
	}
	if rule != nil {
		f.Rule, f.Quote = rule.ID, rule.Quote
	}
	f.Cause = j.scrub(causeKey(j.check, rule, ex))
	if ex != nil && st != nil {
		f.Exchanges = j.records(st, ex)
		f.Send = j.sendLine(st)
		f.Accounts, f.Declared = j.accounts, j.declared
	}
	if ex != nil {
		f.Curl = j.scrub(runner.Curl(*ex))
		f.Request = j.scrub(requestSummary(ex))
		f.Response = j.scrub(responseSummary(ex))
	}
	if st != nil && st.Label != "" {
		f.Request = j.scrub(st.Label) + "\n" + f.Request
	}
	f.Expected, f.Actual = j.scrub(f.Expected), j.scrub(f.Actual)
	return f
}

// command is the command line that replays the check, "" when unknown.
func (j *judging) command() string {
	if j.replay == nil {
		return ""
	}
	return j.replay()
}

// maxSummary bounds the body shown in a request or response summary.
const maxSummary = 600

// requestSummary is the request line, interesting headers and body.
func requestSummary(ex *runner.Exchange) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (signature %s)", ex.Method, ex.URL, ex.Signature)
	if ex.Body != "" {
		fmt.Fprintf(&b, "\n%s", clip(ex.Body))
	}
	return b.String()
}

// responseSummary is the status, content type and body, or the transport error.
func responseSummary(ex *runner.Exchange) string {
	if ex.Status == 0 {
		return "no response: " + ex.Err
	}
	s := fmt.Sprintf("HTTP %d %s\n%s", ex.Status, ex.RespHeader.Get("Content-Type"), clip(string(ex.RespBody)))
	if ex.Err != "" {
		s += "\n(" + ex.Err + ")"
	}
	return s
}

// clip shortens s to maxSummary bytes on a rune boundary.
func clip(s string) string {
	if len(s) <= maxSummary {
		return s
	}
	cut := maxSummary
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("... (%d bytes)", len(s))
}

// isRuneStart reports whether b can begin a UTF-8 sequence.
func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// answer describes what came back in words: "HTTP 400 InvalidParameter".
func answer(ex *runner.Exchange, doc document) string {
	if ex.Status == 0 {
		return "no response (" + ex.Err + ")"
	}
	if code := doc.text(fieldCode); code != "" {
		return fmt.Sprintf("HTTP %d %s", ex.Status, code)
	}
	return fmt.Sprintf("HTTP %d", ex.Status)
}

// Envelope field names every response carries (PROTOCOL.md, the common
// error envelope of the specs).
const (
	fieldCode      = "Code"
	fieldRequestID = "RequestId"
)

// causeKey names a finding's root cause: the rule broken (or the check
// when no single rule is), the answer's kind, and the rule's parameter.
func causeKey(check string, rule *specs.Rule, ex *runner.Exchange) string {
	key := check
	if rule != nil {
		key = rule.ID
	}
	if ex != nil {
		key += ": " + answerKind(ex)
	}
	if rule != nil && rule.Param != "" {
		key += " (" + rule.Param + ")"
	}
	return key
}

// answerKind is an answer in words that do not vary between exchanges of
// one cause: the status and Code, or the kind of transport failure.
func answerKind(ex *runner.Exchange) string {
	if ex.Status == 0 || ex.Err != "" {
		prefix := "no response"
		if ex.Status != 0 {
			prefix = fmt.Sprintf("HTTP %d, then a broken body", ex.Status)
		}
		for _, kind := range []string{"timeout", "reset", "refused", "EOF", "truncated", "longer than"} {
			if strings.Contains(ex.Err, kind) {
				return prefix + " (" + kind + ")"
			}
		}
		return prefix
	}
	code := ""
	for _, f := range []string{formatJSON, formatXML} {
		if doc, err := decodeBody(ex, f); err == nil {
			code = doc.text(fieldCode)
			break
		}
	}
	return strings.TrimSpace(fmt.Sprintf("HTTP %d %s", ex.Status, code))
}
