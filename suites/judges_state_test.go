package suites

import (
	"fmt"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// judgeSeq runs a sequence judge on fabricated exchanges.
func judgeSeq(op *specs.Operation, fn func(*judging, *sequence, []runner.Exchange), steps []step, exs []runner.Exchange) *judging {
	j := &judging{judgeScope: &judgeScope{check: "test", model: loadModel(), op: op, scrub: func(s string) string { return s }}}
	fn(j, &sequence{Steps: steps}, exs)
	return j
}

// edsBody is an eds-user success body listing created and failed users.
func edsBody(created []string, failed map[string]string) string {
	var c, f []string
	for _, id := range created {
		c = append(c, fmt.Sprintf(`{"EndUserId":%q}`, id))
	}
	for id, code := range failed {
		f = append(f, fmt.Sprintf(`{"EndUserId":%q,"ErrorCode":%q,"ErrorMessage":"taken"}`, id, code))
	}
	return fmt.Sprintf(`{"RequestId":%q,"CreateResult":{"CreatedUsers":[%s],"FailedUsers":[%s]}}`, goodID, strings.Join(c, ","), strings.Join(f, ","))
}

func TestBatchPartialFailure(t *testing.T) {
	eds := operation(t, "eds-user")
	code := rule(t, eds, "eds-user.Users[].EndUserId.unique").Broken[0].Code
	st := oracle.NewState()
	old := wire.Request{Op: "eds-user", Lists: map[string][]map[string]string{"Users": {{"EndUserId": "old_user"}}}}
	st.Record(eds, old, "a")
	mixed := wire.Request{Op: "eds-user", Lists: map[string][]map[string]string{"Users": {{"EndUserId": "old_user"}, {"EndUserId": "new_user"}}}}
	v := oracle.Judge(eds, mixed, st, "a")
	s := step{Step: fuzz.Step{Request: mixed}, Expect: expectation{Verdict: v}}
	s.Expect.KeyField, s.Expect.Keys = batchKeys(eds, mixed)
	rows := []struct {
		reason string
		body   string
		fails  bool
	}{
		{"the existing user failed with the documented code, the new one created", edsBody([]string{"new_user"}, map[string]string{"old_user": code}), false},
		{"both created: the duplicate was not caught", edsBody([]string{"new_user", "old_user"}, nil), true},
		{"the failure carries another code", edsBody([]string{"new_user"}, map[string]string{"old_user": "Other"}), true},
		{"the new user is missing from the answer", edsBody(nil, map[string]string{"old_user": code}), true},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			j := judgeSeq(eds, judgeAll, []step{s}, []runner.Exchange{reply(200, jsonType, row.body)})
			assert.Equal(t, len(j.findings) > 0, row.fails, "%+v", j.findings)
		})
	}
}

// burst builds n burst steps of valid bastionhost requests allowed to be
// accepted or throttled.
func burst(t *testing.T, op *specs.Operation, n int) []step {
	st := oracle.NewState()
	st.DeclareInstance("a", "i")
	steps := make([]step, n)
	for i := range steps {
		r := wire.Request{Op: op.ID, Params: map[string]string{"InstanceId": "i", "Source": "Ram", "SourceUserId": "1", "UserName": fmt.Sprintf("u%d", i)}}
		steps[i] = fabricateIn(op, r, nil, st)
		steps[i].Role = fuzz.RoleBurst
		assert.Assert(t, steps[i].Expect.Valid, "the burst's requests must be valid")
		steps[i].Expect.Verdict = orThrottled(steps[i].Expect.Verdict, op)
	}
	return steps
}

func TestRateLimitEnforced(t *testing.T) {
	bh := operation(t, "bastionhost")
	rl := bh.RateLimit
	n := 3 * rl.Calls
	ok := reply(200, jsonType, `{"UserId":"1","RequestId":"`+goodID+`"}`)
	throttled := func(status int) runner.Exchange {
		return reply(status, jsonType, errorBody(rl.Codes[len(rl.Codes)-1]))
	}
	answers := func(accepted int, other runner.Exchange) []runner.Exchange {
		exs := make([]runner.Exchange, n)
		for i := range exs {
			exs[i] = other
			if i < accepted {
				exs[i] = ok
			}
		}
		return exs
	}
	rows := []struct {
		reason string
		exs    []runner.Exchange
		fails  bool
	}{
		{"the limit accepted, the rest throttled with the documented status", answers(rl.Calls, throttled(rl.Status)), false},
		{"throttled with HTTP 429 instead of the documented status", answers(rl.Calls, throttled(429)), true},
		{"nothing throttled", answers(n, ok), true},
		{"more accepted than any reading allows", answers(2*rl.Calls+1, throttled(rl.Status)), true},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			j := judgeSeq(bh, judgeRateEnforced, burst(t, bh, n), row.exs)
			assert.Equal(t, len(j.findings) > 0, row.fails, "%+v", j.findings)
			if row.fails {
				assert.Equal(t, j.findings[0].Rule, bh.RateLimitRule().ID)
			}
		})
	}
}

func TestQuotaAndRetry(t *testing.T) {
	ram := operation(t, "ram")
	quota := rule(t, ram, "ram.quota")
	limit := reply(quota.Broken[0].Status, jsonType, errorBody(quota.Broken[0].Code))
	ok := reply(200, jsonType, ramOK(`"1"`))
	create := func(i int) step {
		return fabricate(ram, wire.Request{Op: "ram", Params: map[string]string{"UserName": fmt.Sprintf("u%d", i)}}, quota)
	}
	steps := []step{create(0), create(1), create(2)} // a quota of 2
	rows := []struct {
		reason string
		exs    []runner.Exchange
		fails  bool
	}{
		{"two accepted, the third refused with the quota error", []runner.Exchange{ok, ok, limit}, false},
		{"refused from the start (the account held users already)", []runner.Exchange{limit, limit, limit}, false},
		{"all three accepted beyond a quota of two", []runner.Exchange{ok, ok, ok}, true},
		{"accepted again after the quota error", []runner.Exchange{ok, limit, ok}, true},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			j := judgeSeq(ram, judgeQuota, steps, row.exs)
			assert.Equal(t, len(j.findings) > 0, row.fails, "%+v", j.findings)
		})
	}
	bad := fabricate(ram, wire.Request{Op: "ram", Params: map[string]string{"UserName": "x!"}}, rule(t, ram, "ram.UserName.pattern"))
	good := fabricate(ram, wire.Request{Op: "ram", Params: map[string]string{"UserName": "x"}}, nil)
	conflict := reply(409, jsonType, errorBody(rule(t, ram, "ram.UserName.unique").Broken[0].Code))
	j := judgeSeq(ram, judgeRetry, []step{bad, good}, []runner.Exchange{reply(400, jsonType, errorBody("InvalidParameter.UserName.InvalidChars")), conflict})
	assert.Equal(t, len(j.findings), 1, "a rejected create that left a trace must fail")
	j = judgeSeq(ram, judgeRetry, []step{bad, good}, []runner.Exchange{reply(400, jsonType, errorBody("InvalidParameter.UserName.InvalidChars")), ok})
	assert.Equal(t, len(j.findings), 0)
}
