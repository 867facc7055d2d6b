package suites

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

func TestRuleResultsStatus(t *testing.T) {
	op := &specs.Operation{Rules: []*specs.Rule{
		{ID: "a", Quote: "qa", Param: "A"}, {ID: "b"}, {ID: "c"}, {ID: "d"}, {ID: "e"},
	}}
	counts := map[string]*ruleCount{
		"a": {exchanges: 3, answered: 3},
		"b": {exchanges: 2, answered: 2, findings: 1, warnings: 4},
		"c": {exchanges: 2},
		"d": {findings: 1},
	}
	got := ruleResults(op, counts)
	want := []results.RuleResult{
		{Rule: "a", Quote: "qa", Param: "A", Status: results.Passed, Exchanges: 3},
		{Rule: "b", Status: results.Failed, Exchanges: 2, Findings: 1, Warnings: 4},
		{Rule: "c", Status: results.Errored, Exchanges: 2},
		{Rule: "d", Status: results.Failed, Findings: 1},
		{Rule: "e", Status: results.Skipped},
	}
	reasons := []string{
		"answered exchanges and no finding pass",
		"a finding fails the rule",
		"exchanges none of which got an answer are errored",
		"a finding naming a rule no generated case exercised (a state check's) still fails it",
		"a rule no exchange exercised is skipped, never passed",
	}
	for i := range want {
		assert.DeepEqual(t, got[i], want[i])
		assert.Check(t, got[i] == want[i], reasons[i])
	}
}

func TestTimelineRebuildsSendInstants(t *testing.T) {
	rl := &specs.RateLimit{Calls: 2, Per: time.Second, Status: 400, Codes: []string{"Throttling.User"}}
	seq := &sequence{Steps: []step{
		{Step: fuzz.Step{Together: true}},
		{Step: fuzz.Step{Together: true}},
		{Step: fuzz.Step{Wait: 100 * time.Millisecond}},
	}}
	throttledBody := []byte(`{"RequestId":"X","Code":"Throttling.User","Message":"m"}`)
	hdr := http.Header{"Content-Type": {"application/json"}}
	exs := []runner.Exchange{
		{Status: 200, Duration: 30 * time.Millisecond, RespHeader: hdr, RespBody: []byte(`{"RequestId":"X"}`)},
		{Status: 400, Duration: 50 * time.Millisecond, RespHeader: hdr, RespBody: throttledBody},
		{Status: 400, Duration: 10 * time.Millisecond, RespHeader: hdr, RespBody: []byte(`{"Code":"InvalidParameter"}`)},
	}
	got := timeline(rl, seq, exs)
	want := []results.TimelinePoint{
		{Offset: 0, Status: 200},
		{Offset: 0, Status: 400, Throttled: true},
		{Offset: 150 * time.Millisecond, Status: 400},
	}
	assert.DeepEqual(t, got, want)
	assert.Equal(t, len(appendTimeline(got, got)), 6, "a later sequence's points follow the earlier ones")
	assert.Equal(t, appendTimeline(got, got)[5].Offset, 300*time.Millisecond)
}

func TestRuleResultsAndTimelineOfARun(t *testing.T) {
	const broken = "ram.UserName.max-length"
	accts := testAccounts()
	secrets := map[string]string{}
	for _, a := range accts {
		secrets[a.AccessKeyID] = a.AccessKeySecret
	}
	srv := httptest.NewServer(emulator.New(emulator.Options{Accounts: secrets, RAMUserQuota: testQuota, Faults: []string{broken}}))
	t.Cleanup(srv.Close)
	target := runner.Target{URL: srv.URL, Accounts: accts, ChecksSignatures: true}
	res := execute(t, target, Options{Seed: 1, Ops: []string{"ram", "bastionhost"},
		Checks: regexp.MustCompile(`^(negative-rejection|rate-limit-enforced|positive-acceptance)$`)})
	model, err := specs.Load()
	assert.NilError(t, err)
	byRule := map[string]results.RuleResult{}
	for _, or := range res.Operations {
		op, _ := model.Operation(or.Operation)
		assert.Equal(t, len(or.Rules), len(op.Rules), "%s: every documented rule is listed", or.Operation)
		for i, rr := range or.Rules {
			assert.Equal(t, rr.Rule, op.Rules[i].ID, "rules in model order")
			assert.Equal(t, rr.Quote, op.Rules[i].Quote)
			byRule[rr.Rule] = rr
		}
		for _, c := range or.Checks {
			if c.Check != "rate-limit-enforced" {
				assert.Assert(t, c.Timeline == nil, "%s/%s has a timeline", or.Operation, c.Check)
				continue
			}
			assert.Equal(t, len(c.Timeline), c.Exchanges+2, "the burst, the other account's call and the call after the window")
			throttled := 0
			for i, p := range c.Timeline {
				if i > 0 {
					assert.Assert(t, p.Offset >= c.Timeline[i-1].Offset, "offsets never go back")
				}
				if p.Throttled {
					throttled++
				}
			}
			assert.Assert(t, throttled > 0, "the emulator throttles the burst")
		}
	}
	got := byRule[broken]
	assert.Equal(t, got.Status, results.Failed)
	assert.Assert(t, got.Exchanges > 0 && got.Findings > 0, "%+v", got)
	rate := byRule["bastionhost.rate-limit"]
	assert.Equal(t, rate.Status, results.Passed, "%+v", rate)
	assert.Assert(t, rate.Exchanges > 0)
	assert.Equal(t, byRule["ram.UserName.required"].Status, results.Passed, "%+v", byRule["ram.UserName.required"])
}
