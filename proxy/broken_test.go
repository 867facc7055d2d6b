package proxy_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/proxy"
	"github.com/acsconform/acsconform/runner"
)

// rawCall is one request of a deliberately broken client: its query and
// form body as written, and how it is signed.
type rawCall struct {
	action, version string
	query, body     string
	v1              bool
	// afterSigning changes the request once signed (a signature over the
	// wrong canonical string).
	afterSigning func(r *http.Request)
}

// send signs c with runner's signing code, as a client would, and sends it.
func (c rawCall) send(t *testing.T, base string) {
	t.Helper()
	req, err := http.NewRequest("POST", base+"/?"+c.query, bytes.NewReader([]byte(c.body)))
	if err != nil {
		t.Fatal(err)
	}
	if c.body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	nonce := fmt.Sprintf("nonce-%d", time.Now().UnixNano())
	if c.v1 {
		q := "Action=" + c.action + "&Version=" + c.version + "&Format=JSON"
		if req.URL.RawQuery != "" {
			q = req.URL.RawQuery + "&" + q
		}
		req.URL.RawQuery = q
		runner.SignRequestV1(req, []byte(c.body), testAccount, time.Now(), nonce)
	} else {
		req.Header.Set("x-acs-action", c.action)
		req.Header.Set("x-acs-version", c.version)
		runner.SignRequestV3(req, []byte(c.body), testAccount, time.Now(), nonce)
	}
	if c.afterSigning != nil {
		c.afterSigning(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// TestBrokenClient: each fault of a deliberately broken client yields
// exactly its proxy finding, and a correct client none.
func TestBrokenClient(t *testing.T) {
	g := startGate(t, proxy.Options{})
	inst := emulator.DefaultBastionhostInstance
	bastion := func(extra string) string {
		return "InstanceId=" + inst + "&Source=Local&UserName=%s&Password=Passw0rd%%21x&TwoFactorStatus=Enable&Mobile=13599990000" + extra
	}
	rows := []struct {
		reason string
		call   rawCall
		want   []string
	}{
		{"a correct eds-user request (V3)", rawCall{action: "CreateUsers", version: "2021-03-08", body: "Users.1.EndUserId=okv3a&Users.2.EndUserId=okv3b"}, nil},
		{"a correct RAM request (V1)", rawCall{action: "CreateUser", version: "2015-05-01", query: "UserName=okv1", v1: true}, nil},
		{"a correct Bastionhost request", rawCall{action: "CreateUser", version: "2019-12-09", query: fmt.Sprintf(bastion("&TwoFactorMethods=%%5B%%22sms%%22%%5D"), "okbh")}, nil},
		{"users numbered from 0", rawCall{action: "CreateUsers", version: "2021-03-08", body: "Users.0.EndUserId=zero0&Users.0.Email=a%40b.c&Users.1.EndUserId=zero1"},
			[]string{"request-wire wire.bad-index"}},
		{"users with a gap", rawCall{action: "CreateUsers", version: "2021-03-08", body: "Users.1.EndUserId=gap1&Users.3.EndUserId=gap3"},
			[]string{"request-wire wire.gap"}},
		{"TwoFactorMethods repeated", rawCall{action: "CreateUser", version: "2019-12-09", query: fmt.Sprintf(bastion("&TwoFactorMethods=sms&TwoFactorMethods=email"), "rep")},
			[]string{"request-wire " + proxy.RuleJSONArray}},
		{"TwoFactorMethods flattened", rawCall{action: "CreateUser", version: "2019-12-09", query: fmt.Sprintf(bastion("&TwoFactorMethods.1=sms"), "flat")},
			[]string{"request-wire " + proxy.RuleJSONArray}},
		{"TwoFactorMethods a bare string", rawCall{action: "CreateUser", version: "2019-12-09", query: fmt.Sprintf(bastion("&TwoFactorMethods=sms"), "bare")},
			[]string{"request-wire bastionhost.TwoFactorMethods.type"}},
		{"Users in the query, not the body", rawCall{action: "CreateUsers", version: "2021-03-08", query: "Users.1.EndUserId=inquery"},
			[]string{"request-wire wire.wrong-place"}},
		{"RAM UserName in the body, not the query", rawCall{action: "CreateUser", version: "2015-05-01", body: "UserName=inbody"},
			[]string{"request-wire wire.wrong-place"}},
		{"a wrong Version", rawCall{action: "CreateUser", version: "2015-05-02", query: "UserName=wrongversion"},
			[]string{"request-wire " + proxy.RuleVersion}},
		{"an unknown Action", rawCall{action: "DeleteUser", version: "2015-05-01", query: "UserName=x"},
			[]string{"request-wire " + proxy.RuleUnknownOperation}},
		{"V3 signed over the wrong canonical query", rawCall{action: "CreateUser", version: "2015-05-01", query: "UserName=sigv3",
			afterSigning: func(r *http.Request) { r.URL.RawQuery += "&Comments=added" }},
			[]string{"request-signature " + proxy.RuleSigMismatch}},
		{"V1 signed over the wrong string to sign", rawCall{action: "CreateUsers", version: "2021-03-08", body: "Users.1.EndUserId=sigv1", v1: true,
			afterSigning: func(r *http.Request) {
				r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "Format=JSON", "Format=json", 1)
			}},
			[]string{"request-signature " + proxy.RuleSigMismatch}},
		{"V3 with a payload hash of another body", rawCall{action: "CreateUsers", version: "2021-03-08", body: "Users.1.EndUserId=hash",
			afterSigning: func(r *http.Request) {
				r.Body = io.NopCloser(strings.NewReader("Users.1.EndUserId=hasi"))
			}},
			[]string{"request-signature " + proxy.RuleSigPayloadHash}},
		{"unsigned", rawCall{action: "CreateUser", version: "2015-05-01", query: "UserName=unsigned",
			afterSigning: func(r *http.Request) {
				for k := range r.Header {
					if strings.HasPrefix(strings.ToLower(k), "x-acs-signature") || k == "Authorization" {
						r.Header.Del(k)
					}
				}
			}},
			[]string{"request-signature " + proxy.RuleSigMissing}},
	}
	for _, row := range rows {
		row.call.send(t, g.url)
		seen := g.take()
		if len(seen) != 1 {
			t.Fatalf("%s: the proxy observed %d exchanges, want 1", row.reason, len(seen))
		}
		got := ruleIDs(seen[0].Findings)
		if strings.Join(got, "|") != strings.Join(row.want, "|") {
			t.Errorf("%s: findings %q, want %q\n%s", row.reason, got, row.want, describe(seen[0]))
		}
	}
	if !g.proxy.Result().Failed() {
		t.Error("the result of a broken client's traffic does not fail")
	}
}

// describe shows an observation's findings for a failing test.
func describe(o proxy.Observed) string {
	var b strings.Builder
	fmt.Fprintf(&b, "answer: HTTP %d %s\n", o.Status, o.RespBody)
	for _, f := range o.Findings {
		fmt.Fprintf(&b, "  %s %s: expected %s; actual %s\n", f.Check, f.Rule, f.Expected, f.Actual)
	}
	return b.String()
}
