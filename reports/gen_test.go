package reports

import (
	"time"
	"unicode"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/results"
)

// anyText draws hostile strings: any runes, control characters, and bytes
// that are not UTF-8.
func anyText() *rapid.Generator[string] {
	return rapid.OneOf(
		rapid.String(),
		rapid.StringOf(rapid.RuneFrom([]rune{'<', '>', '&', '"', '\'', ']', '\r', '\n', '\t', 0xFFFE, 0xFFFF, 0xFFFD}, unicode.Cc, unicode.Han)),
		rapid.Map(rapid.SliceOf(rapid.Byte()), func(b []byte) string { return string(b) }),
	)
}

// genFinding draws a finding of arbitrary content.
func genFinding() *rapid.Generator[results.Finding] {
	return rapid.Custom(func(t *rapid.T) results.Finding {
		s := anyText()
		return results.Finding{
			Check: s.Draw(t, "check"), Operation: s.Draw(t, "operation"),
			Rule: s.Draw(t, "rule"), Quote: s.Draw(t, "quote"),
			Expected: s.Draw(t, "expected"), Actual: s.Draw(t, "actual"),
			Seed: rapid.Int64().Draw(t, "seed"),
			Curl: s.Draw(t, "curl"), Command: s.Draw(t, "command"),
			Request: s.Draw(t, "request"), Response: s.Draw(t, "response"),
			Ambiguities: rapid.SliceOfN(s, 0, 2).Draw(t, "ambiguities"),
		}
	})
}

// genCheck draws a check verdict of arbitrary content.
func genCheck() *rapid.Generator[results.CheckResult] {
	return rapid.Custom(func(t *rapid.T) results.CheckResult {
		return results.CheckResult{
			Check:      anyText().Draw(t, "check"),
			Status:     rapid.SampledFrom([]results.Status{results.Passed, results.Failed, results.Skipped}).Draw(t, "status"),
			SkipReason: anyText().Draw(t, "reason"),
			Exchanges:  rapid.IntRange(0, 1<<20).Draw(t, "exchanges"),
			Findings:   rapid.SliceOfN(genFinding(), 0, 3).Draw(t, "findings"),
			Warnings:   rapid.SliceOfN(genFinding(), 0, 2).Draw(t, "warnings"),
			Dropped:    rapid.IntRange(0, 5).Draw(t, "dropped"),
			Duration:   time.Duration(rapid.Int64Range(0, int64(time.Hour)).Draw(t, "duration")),
			Timeline:   rapid.SliceOfN(genPoint(), 0, 4).Draw(t, "timeline"),
		}
	})
}

// genPoint draws a timeline point.
func genPoint() *rapid.Generator[results.TimelinePoint] {
	return rapid.Custom(func(t *rapid.T) results.TimelinePoint {
		return results.TimelinePoint{
			Offset:    time.Duration(rapid.Int64Range(0, int64(time.Minute)).Draw(t, "offset")).Truncate(time.Microsecond),
			Status:    rapid.IntRange(0, 599).Draw(t, "status"),
			Throttled: rapid.Bool().Draw(t, "throttled"),
		}
	})
}

// genRule draws a rule's result of arbitrary content.
func genRule() *rapid.Generator[results.RuleResult] {
	return rapid.Custom(func(t *rapid.T) results.RuleResult {
		s := anyText()
		return results.RuleResult{
			Rule: s.Draw(t, "rule"), Quote: s.Draw(t, "quote"), Param: s.Draw(t, "param"),
			Status:    rapid.SampledFrom([]results.Status{results.Passed, results.Failed, results.Errored, results.Skipped}).Draw(t, "status"),
			Exchanges: rapid.IntRange(0, 1000).Draw(t, "exchanges"),
			Findings:  rapid.IntRange(0, 50).Draw(t, "findings"),
			Warnings:  rapid.IntRange(0, 50).Draw(t, "warnings"),
		}
	})
}

// genResult draws a result of arbitrary content.
func genResult() *rapid.Generator[*results.Result] {
	op := rapid.Custom(func(t *rapid.T) results.OperationResult {
		return results.OperationResult{
			Operation: anyText().Draw(t, "operation"), Action: anyText().Draw(t, "action"),
			Version: anyText().Draw(t, "version"), Checks: rapid.SliceOfN(genCheck(), 0, 4).Draw(t, "checks"),
			Rules: rapid.SliceOfN(genRule(), 0, 4).Draw(t, "rules"),
		}
	})
	return rapid.Custom(func(t *rapid.T) *results.Result {
		return &results.Result{
			Tool: anyText().Draw(t, "tool"), Target: anyText().Draw(t, "target"),
			Seed: rapid.Int64().Draw(t, "seed"), Command: anyText().Draw(t, "command"),
			Started:    time.Unix(rapid.Int64Range(0, 4e9).Draw(t, "started"), 0),
			Duration:   time.Duration(rapid.Int64Range(0, int64(time.Hour)).Draw(t, "duration")),
			Operations: rapid.SliceOfN(op, 0, 3).Draw(t, "operations"),
		}
	})
}
