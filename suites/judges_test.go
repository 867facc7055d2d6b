package suites

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// model loads the embedded specs once per test.
func model(t *testing.T) *specs.Model {
	t.Helper()
	m, err := specs.Load()
	assert.NilError(t, err)
	return m
}

// operation returns the model's operation id.
func operation(t *testing.T, id string) *specs.Operation {
	t.Helper()
	op, ok := model(t).Operation(id)
	assert.Assert(t, ok, id)
	return op
}

// rule returns op's rule id.
func rule(t *testing.T, op *specs.Operation, id string) *specs.Rule {
	t.Helper()
	r, ok := op.Rule(id)
	assert.Assert(t, ok, id)
	return r
}

// fabricate builds a step for r judged by the oracle with a fresh state;
// broken is the rule the case breaks (nil: a valid request).
func fabricate(op *specs.Operation, r wire.Request, broken *specs.Rule) step {
	return fabricateIn(op, r, broken, nil)
}

// fabricateIn is fabricate against a given oracle state (account "a").
func fabricateIn(op *specs.Operation, r wire.Request, broken *specs.Rule, st *oracle.State) step {
	v := oracle.Judge(op, r, st, "a")
	e := expectation{Rule: broken, Verdict: v, Valid: broken == nil && v.Accepts()}
	e.KeyField, e.Keys = batchKeys(op, r)
	return step{Step: fuzz.Step{Request: r, Signature: wire.SignV3, Label: "test case"}, Expect: e}
}

// reply fabricates an exchange answering with status, content type and body.
func reply(status int, contentType, body string) runner.Exchange {
	return runner.Exchange{
		Method: "POST", URL: "http://127.0.0.1:1/?UserName=x", Signature: wire.SignV3,
		Status: status, RespHeader: http.Header{"Content-Type": {contentType}}, RespBody: []byte(body),
	}
}

const (
	jsonType = "application/json;charset=utf-8"
	goodID   = "04F0F334-1335-436C-A1D7-6C044FE73368"
)

// errorBody is a well-formed JSON error envelope.
func errorBody(code string) string {
	return fmt.Sprintf(`{"RequestId":%q,"HostId":"ram.aliyuncs.com","Code":%q,"Message":"m"}`, goodID, code)
}

// ramOK is a documented RAM success body.
func ramOK(userID string) string {
	return fmt.Sprintf(`{"RequestId":%q,"User":{"UserId":%s,"UserName":"alice","CreateDate":"2015-01-23T12:33:18Z"}}`, goodID, userID)
}

// judgeOne runs a per-step judge on one fabricated exchange, answered or
// not (everyStep: the judge itself is under test).
func judgeOne(op *specs.Operation, fn func(*judging, *step, *runner.Exchange), st step, ex runner.Exchange) *judging {
	j := &judging{judgeScope: &judgeScope{check: "test", model: loadModel(), op: op, scrub: func(s string) string { return s }}}
	everyStep(fn)(j, &sequence{Steps: []step{st}}, []runner.Exchange{ex})
	return j
}

// TestPerStepSeesAnswersOnly: the checks other than no-server-error judge
// complete answers below 500 from the API only; a timeout, a 5xx or an
// HTTP-level refusal counts as an exchange, not a conclusive one.
func TestPerStepSeesAnswersOnly(t *testing.T) {
	ram := operation(t, "ram")
	valid := fabricate(ram, wire.Request{Op: "ram", Params: map[string]string{"UserName": "alice"}}, nil)
	rows := []struct {
		reason     string
		ex         runner.Exchange
		conclusive bool
	}{
		{"a 200 is an answer", reply(200, jsonType, ramOK(`"1"`)), true},
		{"a documented 400 is an answer", reply(400, jsonType, errorBody("InvalidParameter")), true},
		{"a timeout is none", runner.Exchange{Err: "timeout after 10s"}, false},
		{"a truncated body is none", runner.Exchange{Status: 200, Err: "reading the response body: timeout"}, false},
		{"a 500 is none: no-server-error judges it", reply(500, jsonType, errorBody("InternalError")), false},
		{"a 431 with no envelope is a refusal at the HTTP level", reply(431, "text/plain", ""), false},
		{"a 413 with an API envelope is an answer", reply(413, jsonType, errorBody("RequestTooLarge")), true},
	}
	for _, row := range rows {
		j := &judging{judgeScope: &judgeScope{check: "test", model: loadModel(), op: ram, scrub: func(s string) string { return s }}}
		called := false
		perStep(func(*judging, *step, *runner.Exchange) { called = true })(j, &sequence{Steps: []step{valid}}, []runner.Exchange{row.ex})
		assert.Equal(t, called, row.conclusive, row.reason)
		assert.Equal(t, j.conclusive == 1, row.conclusive, row.reason)
		assert.Equal(t, j.exchanges, 1, row.reason)
	}
}

// judgeRow is one fabricated exchange and whether the judge must fail it.
type judgeRow struct {
	reason string
	judge  func(*judging, *step, *runner.Exchange)
	step   step
	ex     runner.Exchange
	fails  bool
}

func TestPerStepJudges(t *testing.T) {
	ram := operation(t, "ram")
	valid := fabricate(ram, wire.Request{Op: "ram", Params: map[string]string{"UserName": "alice"}}, nil)
	validXML := valid
	validXML.Request.Format = formatXML
	tooLong := fabricate(ram, wire.Request{Op: "ram", Params: map[string]string{"UserName": strings.Repeat("a", 65)}},
		rule(t, ram, "ram.UserName.max-length"))
	xmlOK := `<?xml version="1.0"?><CreateUserResponse><RequestId>` + goodID + `</RequestId><User><UserId>1</UserId><UserName>alice</UserName><CreateDate>2015-01-23T12:33:18Z</CreateDate></User></CreateUserResponse>`
	rows := []judgeRow{
		{"a valid request answered 200 with the documented body passes", judgePositive, valid, reply(200, jsonType, ramOK(`"1227489245380721"`)), false},
		{"a valid request answered 400 fails positive-acceptance", judgePositive, valid, reply(400, jsonType, errorBody("InvalidParameter")), true},
		{"UserId as a string matches the schema", judgeSchema, valid, reply(200, jsonType, ramOK(`"1"`)), false},
		{"UserId as a number breaks the schema (UserId is a string)", judgeSchema, valid, reply(200, jsonType, ramOK(`1`)), true},
		{"a documented XML body matches with Format=XML", judgeSchema, validXML, reply(200, "text/xml", xmlOK), false},
		{"a JSON body to Format=XML is not the requested format", judgeSchema, validXML, reply(200, jsonType, ramOK(`"1"`)), true},
		{"an XML body with the wrong root fails", judgeSchema, validXML, reply(200, "text/xml", strings.ReplaceAll(xmlOK, "CreateUserResponse", "Other")), true},
		{"a complete error envelope passes", judgeEnvelope, tooLong, reply(400, jsonType, errorBody("InvalidParameter.UserName.Length")), false},
		{"an error without HostId fails the envelope", judgeEnvelope, tooLong, reply(400, jsonType, `{"RequestId":"`+goodID+`","Code":"X","Message":"m"}`), true},
		{"an error that is not JSON fails the envelope", judgeEnvelope, tooLong, reply(400, jsonType, `oops`), true},
		{"the rule's documented code passes", judgeErrorCode, tooLong, reply(400, jsonType, errorBody("InvalidParameter.UserName.Length")), false},
		{"another rule's code fails", judgeErrorCode, tooLong, reply(400, jsonType, errorBody("InvalidParameter.UserName.InvalidChars")), true},
		{"the right code with the wrong status fails", judgeErrorCode, tooLong, reply(409, jsonType, errorBody("InvalidParameter.UserName.Length")), true},
		{"an invalid request rejected passes negative-rejection", judgeNegative, tooLong, reply(400, jsonType, errorBody("InvalidParameter.UserName.Length")), false},
		{"an invalid request accepted fails negative-rejection", judgeNegative, tooLong, reply(200, jsonType, ramOK(`"1"`)), true},
		{"a 400 is no server error", judgeNoServerError, tooLong, reply(400, jsonType, errorBody("X")), false},
		{"a 500 is a server error", judgeNoServerError, tooLong, reply(500, jsonType, errorBody("InternalError")), true},
		{"a timeout is a finding", judgeNoServerError, tooLong, runner.Exchange{Err: "timeout after 10s"}, true},
		{"a truncated body is a finding", judgeNoServerError, valid, reply(200, jsonType, `{"RequestId":`), true},
		{"an upper-case UUID RequestId passes", judgeRequestID, valid, reply(200, jsonType, ramOK(`"1"`)), false},
		{"a lower-case RequestId fails", judgeRequestID, valid, reply(200, jsonType, strings.ReplaceAll(ramOK(`"1"`), goodID, strings.ToLower(goodID))), true},
		{"a missing RequestId fails", judgeRequestID, tooLong, reply(400, jsonType, `{"Code":"X","Message":"m","HostId":"h"}`), true},
		{"application/json with a charset passes", judgeContentType, valid, reply(200, jsonType, ramOK(`"1"`)), false},
		{"text/html fails", judgeContentType, valid, reply(200, "text/html", ramOK(`"1"`)), true},
		{"application/json to Format=XML fails", judgeContentType, validXML, reply(200, jsonType, ramOK(`"1"`)), true},
		{"text/xml to Format=XML passes", judgeContentType, validXML, reply(200, "text/xml;charset=utf-8", xmlOK), false},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			j := judgeOne(ram, row.judge, row.step, row.ex)
			assert.Equal(t, len(j.findings) > 0, row.fails, "findings: %+v", j.findings)
			assert.Equal(t, j.exchanges, 1)
		})
	}
}

func TestFindingNamesTheRule(t *testing.T) {
	ram := operation(t, "ram")
	r := rule(t, ram, "ram.UserName.max-length")
	st := fabricate(ram, wire.Request{Op: "ram", Params: map[string]string{"UserName": strings.Repeat("a", 65)}}, r)
	j := judgeOne(ram, judgeNegative, st, reply(200, jsonType, ramOK(`"1"`)))
	assert.Equal(t, len(j.findings), 1)
	f := j.findings[0]
	assert.Equal(t, f.Rule, r.ID)
	assert.Equal(t, f.Quote, r.Quote)
	assert.Assert(t, strings.Contains(f.Expected, "InvalidParameter.UserName.Length"), f.Expected)
	assert.Assert(t, f.Curl != "" && strings.Contains(f.Response, "HTTP 200"), "%+v", f)
}

func TestReadingsWarnNeverFail(t *testing.T) {
	eds := operation(t, "eds-user")
	weak := wire.Request{Op: "eds-user", Params: map[string]string{"Password": "weak"},
		Lists: map[string][]map[string]string{"Users": {{"EndUserId": "alice_1"}}}}
	st := fabricate(eds, weak, rule(t, eds, "eds-user.Password.min-length"))
	accepted := reply(200, jsonType, `{"RequestId":"`+goodID+`","CreateResult":{"CreatedUsers":[{"EndUserId":"alice_1"}],"FailedUsers":[]}}`)
	rows := []struct {
		reason string
		strict bool
		fails  bool
	}{
		{"accepting a weak top-level password rests on one reading: a warning", false, false},
		{"with --strict the warning fails", true, true},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			j := &judging{judgeScope: &judgeScope{check: "test", model: loadModel(), op: eds, strict: row.strict, scrub: func(s string) string { return s }}}
			perStep(judgeNegative)(j, &sequence{Steps: []step{st}}, []runner.Exchange{accepted})
			assert.Equal(t, len(j.findings) > 0, row.fails, "%+v", j.findings)
			assert.Equal(t, len(j.warnings) > 0, !row.fails, "%+v", j.warnings)
		})
	}
}

// loadModel is the embedded specs model, loaded once for the judges' tests.
var loadModel = sync.OnceValue(func() *specs.Model {
	m, err := specs.Load()
	if err != nil {
		panic(err)
	}
	return m
})
