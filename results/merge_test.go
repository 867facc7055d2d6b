package results

import (
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
)

// shard is a one-operation result of shard k of n with the given checks.
func shard(k, n int, checks ...CheckResult) *Result {
	s := itoa(k) + "/" + itoa(n)
	return &Result{Tool: "t", Target: "x", Seed: 7, Examples: 3, PacedExamples: 2, Shard: s,
		Command: "acsconform run --seed 7 --examples 3 --shard " + s,
		Started: time.Date(2026, 11, 30, 0, 0, k, 0, time.UTC), Duration: time.Second,
		Operations: []OperationResult{{Operation: "ram", Checks: checks,
			Rules: []RuleResult{{Rule: "r1", Status: Skipped}}}}}
}

func itoa(n int) string { return string(rune('0' + n)) }

// findings makes n findings of one cause.
func findings(n int, cause string) []Finding {
	out := make([]Finding, n)
	for i := range out {
		out[i] = Finding{Rule: "r1", Cause: cause, Command: "acsconform run --shard x"}
	}
	return out
}

func TestMergeRefusesWhatIsNotOneCampaign(t *testing.T) {
	other := shard(2, 2)
	other.Seed = 8
	otherCmd := shard(2, 2)
	otherCmd.Command = "acsconform run --seed 7 --examples 3 --ops ram --shard 2/2"
	otherPaced := shard(2, 2)
	otherPaced.PacedExamples = 3
	rows := []struct {
		reason string
		parts  []*Result
		want   string
	}{
		{"nothing to merge", nil, "no report"},
		{"a report of a whole run", []*Result{{Seed: 7}}, "not a shard's report"},
		{"a missing shard", []*Result{shard(1, 3), shard(3, 3)}, "shard 2/3 is missing"},
		{"a shard twice", []*Result{shard(1, 2), shard(1, 2), shard(2, 2)}, "given twice"},
		{"shards of different N", []*Result{shard(1, 2), shard(1, 3)}, "different campaigns"},
		{"another seed", []*Result{shard(1, 2), other}, "seed"},
		{"another command line", []*Result{shard(1, 2), otherCmd}, "command"},
		{"another paced number of examples", []*Result{shard(1, 2), otherPaced}, `paced examples "2" and "3"`},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			_, err := Merge(row.parts...)
			assert.ErrorContains(t, err, row.want)
			assert.Assert(t, !strings.Contains(err.Error(), "\n"))
		})
	}
}

func TestMergeStatuses(t *testing.T) {
	a := shard(1, 3,
		CheckResult{Check: "c-fail", Status: Passed, Exchanges: 2},
		CheckResult{Check: "c-err", Status: Skipped, SkipReason: "no case of this check in shard 1/3"},
		CheckResult{Check: "c-skip", Status: Skipped, SkipReason: "nothing declared"},
		CheckResult{Check: "c-pass", Status: Skipped, SkipReason: "no case of this check in shard 1/3"},
	)
	b := shard(2, 3,
		CheckResult{Check: "c-fail", Status: Failed, Exchanges: 3, Findings: findings(15, "k1"), Dropped: 4,
			Causes: []Cause{{Key: "k1", Rule: "r1", Findings: 19}}},
		CheckResult{Check: "c-err", Status: Errored, ErrorReason: "no answer", Exchanges: 1},
		CheckResult{Check: "c-skip", Status: Skipped, SkipReason: "nothing declared"},
		CheckResult{Check: "c-pass", Status: Passed, Exchanges: 5},
	)
	c := shard(3, 3,
		CheckResult{Check: "c-fail", Status: Failed, Exchanges: 1, Findings: findings(10, "k2"),
			Causes: []Cause{{Key: "k2", Rule: "r1", Findings: 6}, {Key: "k1", Rule: "r1", Findings: 4}}},
		CheckResult{Check: "c-err", Status: Passed, Exchanges: 1},
		CheckResult{Check: "c-skip", Status: Skipped, SkipReason: "nothing declared"},
		CheckResult{Check: "c-pass", Status: Passed, Exchanges: 5},
	)
	c.Stopped = "interrupted"
	c.Operations[0].Rules[0] = RuleResult{Rule: "r1", Status: Failed, Exchanges: 4, Findings: 25}
	b.Operations[0].Rules[0] = RuleResult{Rule: "r1", Status: Passed, Exchanges: 2}
	m, err := Merge(c, a, b)
	assert.NilError(t, err)
	assert.Equal(t, m.Merged, 3)
	assert.Equal(t, m.Shard, "")
	assert.Equal(t, m.Command, "acsconform run --seed 7 --examples 3")
	assert.Equal(t, m.Examples, 3)
	assert.Equal(t, m.PacedExamples, 2)
	assert.Equal(t, m.Stopped, "shard 3/3: interrupted")
	assert.Equal(t, m.Started, a.Started)
	assert.Equal(t, m.Duration, 3*time.Second)
	checks := m.Operations[0].Checks
	fail := checks[0]
	assert.Equal(t, fail.Status, Failed)
	assert.Equal(t, fail.Exchanges, 6)
	assert.Equal(t, len(fail.Findings), MergeMaxFindings)
	assert.Equal(t, fail.Dropped, 4+5)
	assert.Equal(t, fail.Findings[14].Cause, "k1")
	assert.Equal(t, fail.Findings[15].Cause, "k2", "shard order: shard 2's findings before shard 3's")
	assert.Equal(t, fail.Findings[19].ID, "ram/c-fail/20")
	assert.DeepEqual(t, fail.Causes, []Cause{{Key: "k1", Rule: "r1", Findings: 23}, {Key: "k2", Rule: "r1", Findings: 6}})
	assert.Equal(t, checks[1].Status, Errored)
	assert.Equal(t, checks[1].ErrorReason, "shard 2/3: no answer")
	assert.Equal(t, checks[2].Status, Skipped)
	assert.Equal(t, checks[2].SkipReason, "nothing declared")
	assert.Equal(t, checks[3].Status, Passed)
	assert.Equal(t, checks[3].Exchanges, 10)
	assert.DeepEqual(t, m.Operations[0].Rules, []RuleResult{{Rule: "r1", Status: Failed, Exchanges: 6, Findings: 25}})
	assert.Assert(t, m.Failed() && m.Errored())
}

func TestMergeRuleStatuses(t *testing.T) {
	rule := func(k int, r RuleResult) *Result {
		s := shard(k, 2)
		r.Rule = "r1"
		s.Operations[0].Rules = []RuleResult{r}
		return s
	}
	rows := []struct {
		reason string
		a, b   RuleResult
		want   Status
	}{
		{"no exchange anywhere: skipped", RuleResult{Status: Skipped}, RuleResult{Status: Skipped}, Skipped},
		{"answered in one shard: passed", RuleResult{Status: Errored, Exchanges: 1}, RuleResult{Status: Passed, Exchanges: 1}, Passed},
		{"answered nowhere: errored", RuleResult{Status: Errored, Exchanges: 1}, RuleResult{Status: Skipped}, Errored},
		{"a finding anywhere: failed", RuleResult{Status: Failed, Exchanges: 1, Findings: 1}, RuleResult{Status: Passed, Exchanges: 1}, Failed},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			m, err := Merge(rule(1, row.a), rule(2, row.b))
			assert.NilError(t, err)
			assert.Equal(t, m.Operations[0].Rules[0].Status, row.want)
		})
	}
}
