package reports

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/acsconform/acsconform/results"
)

// JSONFormat names the shape JSON writes; it changes only when a field
// is removed or changes meaning.
const JSONFormat = "acsconform-report/1"

// JSON writes r as one indented JSON document of this shape (format
// "acsconform-report/1"; strings exactly as in r, escaped by JSON rules):
//
//	{
//	  "format": "acsconform-report/1",
//	  "tool": "0.1.0", "target": "embedded emulator", "seed": 1,
//	  "command": "acsconform run --seed 1",
//	  "started": "2026-11-23T15:00:00Z",   // RFC 3339, UTC
//	  "durationSeconds": 1.5,
//	  "totals": {"checks", "passed", "failed", "skipped", "errored", "exchanges",
//	             "findings", "warnings", "dropped"},      // all numbers
//	  "operations": [{"operation": "ram", "action": "CreateUser",
//	      "version": "2015-05-01", "totals": {...},
//	      "checks": [{"check", "status", "skipReason", "errorReason",
//	                  "causes": [{"key", "rule", "findings"}], "exchanges",
//	                  "findings", "warnings", "dropped", "durationSeconds",
//	                  "timeline": [{"offsetMs", "status", "throttled"}]}],
//	      "rules": [{"rule", "quote", "param", "status", "exchanges",
//	                 "findings", "warnings"}]}],
//	  "findings": [Finding...],   // every kept finding, in check order
//	  "warnings": [Finding...]    // disagreements on ambiguous rules
//	}
//
// A Finding is {"check", "operation", "rule", "quote", "expected",
// "actual", "seed", "curl", "command", "request", "response", "cause",
// "shrunk", "ambiguities"}:
// the rule ID and the seed sentence it rests on, what the docs allow and
// what the target did, the seed, a curl command (signature left to the
// user), the acsconform run line that replays it, the redacted exchange,
// how the reproducer was shrunk ("" when it was not) and the ambiguity
// notes a warning rests on. "rules" lists every documented rule of the
// operation in model order: its status (passed, failed, errored or
// skipped when no exchange exercised it), the exchanges generated to
// exercise it and the findings and warnings naming it, kept or not.
// "timeline" is a rate-limit check's: when each request went out (ms from
// the first) and whether it was throttled. Lists are
// [] when empty, never null; "findings" counts kept findings, "dropped"
// those beyond them.
func JSON(w io.Writer, r *results.Result) error {
	if r == nil {
		return errNilResult
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(buildJSON(r)); err != nil {
		return fmt.Errorf("reports: encode json: %w", err)
	}
	return bw.Flush()
}

// jsonReport is the document JSON writes.
type jsonReport struct {
	Format          string          `json:"format"`
	Tool            string          `json:"tool"`
	Target          string          `json:"target"`
	Seed            int64           `json:"seed"`
	Command         string          `json:"command"`
	Started         time.Time       `json:"started"`
	DurationSeconds float64         `json:"durationSeconds"`
	Totals          tally           `json:"totals"`
	Operations      []jsonOperation `json:"operations"`
	Findings        []jsonFinding   `json:"findings"`
	Warnings        []jsonFinding   `json:"warnings"`
}

// jsonOperation is one operation's check summaries.
type jsonOperation struct {
	Operation string      `json:"operation"`
	Action    string      `json:"action"`
	Version   string      `json:"version"`
	Totals    tally       `json:"totals"`
	Checks    []jsonCheck `json:"checks"`
	Rules     []jsonRule  `json:"rules"`
}

// jsonRule is what the run showed about one documented rule.
type jsonRule struct {
	Rule      string `json:"rule"`
	Quote     string `json:"quote"`
	Param     string `json:"param"`
	Status    string `json:"status"`
	Exchanges int    `json:"exchanges"`
	Findings  int    `json:"findings"`
	Warnings  int    `json:"warnings"`
}

// jsonPoint is one exchange of a rate-limit check's timeline.
type jsonPoint struct {
	OffsetMillis float64 `json:"offsetMs"`
	Status       int     `json:"status"`
	Throttled    bool    `json:"throttled"`
}

// jsonCheck is one check's summary.
type jsonCheck struct {
	Check           string      `json:"check"`
	Status          string      `json:"status"`
	SkipReason      string      `json:"skipReason,omitempty"`
	ErrorReason     string      `json:"errorReason,omitempty"`
	Causes          []jsonCause `json:"causes"`
	Exchanges       int         `json:"exchanges"`
	Findings        int         `json:"findings"`
	Warnings        int         `json:"warnings"`
	Dropped         int         `json:"dropped"`
	DurationSeconds float64     `json:"durationSeconds"`
	// Timeline is a rate-limit check's; omitted for the others.
	Timeline []jsonPoint `json:"timeline,omitempty"`
}

// jsonFinding is one finding or warning: results.Finding with JSON names,
// so a field added to results.Finding must be given a name here to compile.
type jsonFinding struct {
	Check     string `json:"check"`
	Operation string `json:"operation"`
	Rule      string `json:"rule"`
	Quote     string `json:"quote"`
	Expected  string `json:"expected"`
	Actual    string `json:"actual"`
	Seed      int64  `json:"seed"`
	Curl      string `json:"curl"`
	Command   string `json:"command"`
	Request   string `json:"request"`
	Response  string `json:"response"`
	Cause     string `json:"cause"`
	Shrunk    string `json:"shrunk"`
	// Ambiguities are the ambiguity notes a warning rests on; [] when none.
	Ambiguities []string `json:"ambiguities"`
}

// jsonCause is one root cause: results.Cause with JSON names.
type jsonCause struct {
	Key      string `json:"key"`
	Rule     string `json:"rule"`
	Findings int    `json:"findings"`
}

// buildJSON is the document for r.
func buildJSON(r *results.Result) jsonReport {
	doc := jsonReport{
		Format: JSONFormat, Tool: r.Tool, Target: r.Target, Seed: r.Seed,
		Command: r.Command, Started: r.Started.UTC(),
		DurationSeconds: r.Duration.Seconds(),
		Totals:          tallyResult(r),
		Operations:      make([]jsonOperation, 0, len(r.Operations)),
		Findings:        []jsonFinding{},
		Warnings:        []jsonFinding{},
	}
	for _, op := range r.Operations {
		jop := jsonOperation{Operation: op.Operation, Action: op.Action, Version: op.Version,
			Checks: make([]jsonCheck, 0, len(op.Checks)), Rules: buildJSONRules(op.Rules)}
		for _, c := range op.Checks {
			jop.Totals.add(c)
			jop.Checks = append(jop.Checks, buildJSONCheck(c))
			doc.Findings = appendFindings(doc.Findings, op.Operation, c.Check, c.Findings)
			doc.Warnings = appendFindings(doc.Warnings, op.Operation, c.Check, c.Warnings)
		}
		doc.Operations = append(doc.Operations, jop)
	}
	return doc
}

// buildJSONCheck is the summary of one check.
func buildJSONCheck(c results.CheckResult) jsonCheck {
	causes := make([]jsonCause, len(c.Causes))
	for i, cause := range c.Causes {
		causes[i] = jsonCause(cause)
	}
	jc := jsonCheck{
		Check: c.Check, Status: string(c.Status), SkipReason: c.SkipReason, ErrorReason: c.ErrorReason, Causes: causes,
		Exchanges: c.Exchanges, Findings: len(c.Findings), Warnings: len(c.Warnings),
		Dropped: c.Dropped, DurationSeconds: c.Duration.Seconds(),
	}
	for _, p := range c.Timeline {
		jc.Timeline = append(jc.Timeline, jsonPoint{
			OffsetMillis: float64(p.Offset.Microseconds()) / 1000, Status: p.Status, Throttled: p.Throttled})
	}
	return jc
}

// buildJSONRules is the rule-level results of an operation; [] when none.
func buildJSONRules(rules []results.RuleResult) []jsonRule {
	out := make([]jsonRule, 0, len(rules))
	for _, r := range rules {
		out = append(out, jsonRule{Rule: r.Rule, Quote: r.Quote, Param: r.Param, Status: string(r.Status),
			Exchanges: r.Exchanges, Findings: r.Findings, Warnings: r.Warnings})
	}
	return out
}

// appendFindings appends fs, found by check on operation op, to dst.
func appendFindings(dst []jsonFinding, op, check string, fs []results.Finding) []jsonFinding {
	for _, f := range fs {
		jf := jsonFinding(located(f, op, check))
		if jf.Ambiguities == nil {
			jf.Ambiguities = []string{}
		}
		dst = append(dst, jf)
	}
	return dst
}
