package suites

import (
	"net/http"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// TestJudgeTraffic: an observed exchange is judged by the run's checks
// against the oracle, the gateway's errors as the signature allows, and
// the state it records.
func TestJudgeTraffic(t *testing.T) {
	model, err := specs.Load()
	if err != nil {
		t.Fatal(err)
	}
	ram, _ := model.Operation("ram")
	const okBody = `{"RequestId":"04F0F334-1335-436C-A1D7-6C044FE73368","User":{"UserId":"1227489245380721","UserName":"zhangqiang","CreateDate":"2015-01-23T12:33:18Z"}}`
	const conflict = `{"RequestId":"04F0F334-1335-436C-A1D7-6C044FE73369","HostId":"ram.aliyuncs.com","Code":"EntityAlreadyExists.User","Message":"exists"}`
	const badSig = `{"RequestId":"04F0F334-1335-436C-A1D7-6C044FE7336A","HostId":"ram.aliyuncs.com","Code":"SignatureDoesNotMatch","Message":"no"}`
	answer := func(status int, body string) runner.Exchange {
		return runner.Exchange{Method: "POST", URL: "http://127.0.0.1/?UserName=zhangqiang", Status: status,
			RespHeader: http.Header{"Content-Type": {"application/json;charset=utf-8"}}, RespBody: []byte(body)}
	}
	req := wire.Request{Op: "ram", Params: map[string]string{"UserName": "zhangqiang"}}
	st := oracle.NewState()
	rows := []struct {
		reason  string
		ex      runner.Exchange
		gateway Gateway
		prior   bool
		want    []string // checks failing
	}{
		{"a valid create accepted passes every check", answer(200, okBody), GatewayPasses, false, nil},
		{"the same name again: the conflict is documented", answer(409, conflict), GatewayPasses, false, nil},
		{"accepted again: the duplicate is a finding", answer(200, okBody), GatewayPasses, false, []string{"negative-rejection"}},
		{"a bad signature must be refused by the gateway", answer(200, okBody), GatewayRefuses, false, []string{"negative-rejection"}},
		{"and its refusal passes", answer(400, badSig), GatewayRefuses, false, nil},
		{"an unverifiable signature may be refused", answer(400, badSig), GatewayMayRefuse, false, nil},
		{"a verified signature may not be", answer(400, badSig), GatewayPasses, false, []string{"positive-acceptance"}},
	}
	for _, row := range rows {
		r := req
		if row.reason == "a verified signature may not be" {
			r = wire.Request{Op: "ram", Params: map[string]string{"UserName": "other"}}
		}
		vs := JudgeTraffic(Traffic{Op: ram, Request: r, Account: "AK", Exchange: row.ex, Gateway: row.gateway},
			TrafficOptions{Model: model, State: st, UnknownPrior: row.prior})
		if len(vs) != len(TrafficChecks()) {
			t.Fatalf("%s: %d verdicts for %d checks", row.reason, len(vs), len(TrafficChecks()))
		}
		if got := failing(vs); strings.Join(got, ",") != strings.Join(row.want, ",") {
			t.Errorf("%s: failing checks %v, want %v", row.reason, got, row.want)
		}
	}
	fresh := JudgeTraffic(Traffic{Op: ram, Request: req, Account: "AK", Exchange: answer(409, conflict)},
		TrafficOptions{Model: model, State: oracle.NewState(), UnknownPrior: true})
	if got := failing(fresh); len(got) > 0 {
		t.Errorf("a conflict on a long-lived target (UnknownPrior): failing %v", got)
	}
}

func failing(vs []TrafficVerdict) []string {
	var out []string
	for _, v := range vs {
		if len(v.Findings) > 0 {
			out = append(out, v.Check)
		}
	}
	return out
}
