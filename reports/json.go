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
//	  "stopped": "interrupted",             // only when the run stopped early
//	  "examples": 50,                       // cases per plan and operation (when recorded)
//	  "pacedExamples": 25,                  // cases per plan of a rate-limited operation (when recorded)
//	  "shard": "2/4",                       // only for one shard of a sharded campaign
//	  "merged": 4,                          // only for acsconform merge's report: shards joined
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
// A Finding is {"id", "check", "operation", "rule", "quote", "expected",
// "actual", "seed", "curl", "send", "command", "request", "response",
// "cause", "shrunk", "ambiguities", "exchanges", "accounts", "declared"}:
// its ID (OPERATION/CHECK/N), the rule ID and the seed sentence it rests
// on, what the docs allow and what the target did, the seed, a curl
// command (signature left to the user), the 'acsconform send' line that
// signs it afresh, the line that replays it, the redacted exchange in
// words, its root cause's key, how the reproducer was shrunk ("" when it
// was not), the ambiguity notes a warning rests on, and the structured
// requests replay reads: "exchanges" in the order sent (setup steps first,
// the failing one last), each {"operation", "url", "params": [{"name",
// "value", "in": "query"|"body"|"header", "source":
// "param"|"raw"|"protocol"}], "format", "signatureVersion", "tamper",
// "account" (an index, never a key), "setup", "label", "role", "breaks",
// "exercises", "records", "burst", "together", "waitMillis", "status",
// "headers", "body", "error"}, the run's number of accounts and the
// target's declarations ({"values": {"exists": [...]}, "limits":
// {"quota": 50}}). "rules" lists every documented rule of the operation in
// model order: its status (passed, failed, errored or skipped when no
// exchange exercised it), the exchanges generated to exercise it and the
// findings and warnings naming it, kept or not. "timeline" is a rate-limit
// check's: when each request went out (ms from the first) and whether it
// was throttled. Lists are [] when empty, never null; "findings" counts
// kept findings, "dropped" those beyond them. ReadJSON reads it back.
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
	Stopped         string          `json:"stopped,omitempty"`
	Examples        int             `json:"examples,omitempty"`
	PacedExamples   int             `json:"pacedExamples,omitempty"`
	Shard           string          `json:"shard,omitempty"`
	Merged          int             `json:"merged,omitempty"`
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
	ID        string `json:"id"`
	Check     string `json:"check"`
	Operation string `json:"operation"`
	Rule      string `json:"rule"`
	Quote     string `json:"quote"`
	Expected  string `json:"expected"`
	Actual    string `json:"actual"`
	Seed      int64  `json:"seed"`
	Curl      string `json:"curl"`
	Send      string `json:"send"`
	Command   string `json:"command"`
	Request   string `json:"request"`
	Response  string `json:"response"`
	Cause     string `json:"cause"`
	Shrunk    string `json:"shrunk"`
	// Ambiguities are the ambiguity notes a warning rests on; [] when none.
	Ambiguities []string `json:"ambiguities"`
	// Exchanges are the structured requests and answers replay reads.
	Exchanges []results.ExchangeRecord `json:"exchanges"`
	Accounts  int                      `json:"accounts"`
	Declared  results.Declared         `json:"declared"`
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
		Command: r.Command, Stopped: r.Stopped, Started: r.Started.UTC(),
		Examples: r.Examples, PacedExamples: r.PacedExamples, Shard: r.Shard, Merged: r.Merged,
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
		if jf.Exchanges == nil {
			jf.Exchanges = []results.ExchangeRecord{}
		}
		dst = append(dst, jf)
	}
	return dst
}

// ReadJSON reads a report JSON wrote back into a result: the run's
// fields, its operations and checks, and every finding and warning (with
// its structured exchanges) under its check. It fails on a document of
// another format.
func ReadJSON(rd io.Reader) (*results.Result, error) {
	var doc jsonReport
	dec := json.NewDecoder(io.LimitReader(rd, maxReport))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("reports: not a JSON report: %w", err)
	}
	if doc.Format != JSONFormat {
		return nil, fmt.Errorf("reports: format %q, want %q", doc.Format, JSONFormat)
	}
	r := &results.Result{Tool: doc.Tool, Target: doc.Target, Seed: doc.Seed, Command: doc.Command, Stopped: doc.Stopped,
		Examples: doc.Examples, PacedExamples: doc.PacedExamples, Shard: doc.Shard, Merged: doc.Merged,
		Started: doc.Started, Duration: time.Duration(doc.DurationSeconds * float64(time.Second))}
	checks := map[string]*results.CheckResult{}
	for _, op := range doc.Operations {
		or := results.OperationResult{Operation: op.Operation, Action: op.Action, Version: op.Version}
		for _, c := range op.Checks {
			or.Checks = append(or.Checks, results.CheckResult{Check: c.Check, Status: results.Status(c.Status),
				SkipReason: c.SkipReason, ErrorReason: c.ErrorReason, Causes: readCauses(c.Causes),
				Exchanges: c.Exchanges, Dropped: c.Dropped,
				Duration: time.Duration(c.DurationSeconds * float64(time.Second))})
		}
		r.Operations = append(r.Operations, or)
	}
	for i := range r.Operations {
		for k := range r.Operations[i].Checks {
			c := &r.Operations[i].Checks[k]
			checks[r.Operations[i].Operation+"/"+c.Check] = c
		}
	}
	for _, list := range []struct {
		fs   []jsonFinding
		warn bool
	}{{doc.Findings, false}, {doc.Warnings, true}} {
		for _, jf := range list.fs {
			c := checks[jf.Operation+"/"+jf.Check]
			if c == nil {
				return nil, fmt.Errorf("reports: finding %q of %s/%s, a check the report does not list", jf.ID, jf.Operation, jf.Check)
			}
			if len(jf.Ambiguities) == 0 {
				jf.Ambiguities = nil
			}
			if list.warn {
				c.Warnings = append(c.Warnings, results.Finding(jf))
			} else {
				c.Findings = append(c.Findings, results.Finding(jf))
			}
		}
	}
	return r, nil
}

// maxReport bounds the report ReadJSON reads.
const maxReport = 256 << 20

// readCauses is the root causes of a check as the JSON report has them;
// nil for none.
func readCauses(cs []jsonCause) []results.Cause {
	var out []results.Cause
	for _, c := range cs {
		out = append(out, results.Cause(c))
	}
	return out
}
