package reports

import (
	"time"

	"github.com/acsconform/acsconform/results"
)

// started is the injected clock of every fixture.
var started = time.Date(2026, 11, 23, 15, 4, 5, 600_000_000, time.UTC)

// richResult has a bit of everything a report must carry: failures with
// kept and dropped findings, a skip, a warning, Chinese text, XML-special
// characters, a CDATA terminator, control characters XML 1.0 forbids, an
// ANSI escape and bytes that are not UTF-8. Its secrets are redacted, as
// suites builds them.
func richResult() *results.Result {
	return &results.Result{
		Tool: "0.1.0-test", Target: "http://127.0.0.1:8080", Seed: 7,
		Command: "acsconform run --target http://127.0.0.1:8080 --seed 7",
		Started: started, Duration: 2500 * time.Millisecond,
		Operations: []results.OperationResult{
			{Operation: "ram", Action: "CreateUser", Version: "2015-05-01", Checks: []results.CheckResult{
				{Check: "error-code-documented", Status: results.Passed, Exchanges: 120, Duration: 800 * time.Millisecond},
				{Check: "no-server-error", Status: results.Failed, Exchanges: 64, Dropped: 3,
					Duration: 1200 * time.Millisecond, Findings: []results.Finding{ramLengthFinding(), ramControlFinding()},
					Causes: []results.Cause{
						{Key: "ram.UserName.length: HTTP 500 InternalError (UserName)", Rule: "ram.UserName.length", Findings: 4},
						{Key: "ram.Comments.length: HTTP 502 (Comments)", Rule: "ram.Comments.length", Findings: 1},
					}},
				{Check: "duplicate-rejected", Status: results.Errored, Exchanges: 4,
					ErrorReason: "no conclusive answer among 4 exchanges (first: timeout after 10s)"},
				{Check: "rate-limit", Status: results.Skipped, SkipReason: "the target declares no rate limit (--rate-limit)"},
			}, Rules: []results.RuleResult{
				{Rule: "ram.UserName.length", Quote: "UserName：用户名称。长度为 1~64 个字符。", Param: "UserName", Status: results.Failed, Exchanges: 12, Findings: 4},
				{Rule: "ram.Comments.length", Quote: "Comments：备注。长度为 1~128 个字符。", Param: "Comments", Status: results.Passed, Exchanges: 9},
				{Rule: "ram.MobilePhone.pattern", Quote: "MobilePhone：<b>国际区号-号码</b> & \"quoted\"", Param: "MobilePhone", Status: results.Errored, Exchanges: 2},
				{Rule: "ram.quota", Quote: "用户数量上限", Status: results.Skipped},
			}},
			{Operation: "eds-user", Action: "CreateUsers", Version: "2021-03-08", Checks: []results.CheckResult{
				{Check: "partial-batch", Status: results.Passed, Exchanges: 10, Duration: 300 * time.Millisecond,
					Warnings: []results.Finding{edsWarning(), edsWarning()}},
				{Check: "positive-acceptance", Status: results.Passed, Exchanges: 20, Duration: 100 * time.Millisecond,
					Warnings: []results.Finding{edsSpaceWarning()}},
			}, Rules: []results.RuleResult{
				{Rule: "eds-user.Users.partial", Quote: "If some users fail to be created, the CreateResult.FailedUsers parameter lists them.", Param: "Users", Status: results.Passed, Exchanges: 10, Warnings: 2},
			}},
			{Operation: "bastionhost", Action: "CreateUser", Version: "2019-12-09", Checks: []results.CheckResult{
				{Check: "error-code-documented", Status: results.Failed, Exchanges: 5, Duration: 50 * time.Millisecond,
					Findings: []results.Finding{bastionFinding()}},
				{Check: "rate-limit-enforced", Status: results.Passed, Exchanges: 6, Duration: 900 * time.Millisecond,
					Warnings: []results.Finding{rateWarning()}, Timeline: []results.TimelinePoint{
						{Offset: 0, Status: 200}, {Offset: 0, Status: 200}, {Offset: 0, Status: 400, Throttled: true},
						{Offset: 20 * time.Millisecond, Status: 400, Throttled: true}, {Offset: 150 * time.Millisecond, Status: 0},
						{Offset: 1250 * time.Millisecond, Status: 200},
					}},
			}, Rules: []results.RuleResult{
				{Rule: "bastionhost.errors.documented", Quote: "Error codes: see the Error Center.", Status: results.Failed, Exchanges: 5, Findings: 1},
				{Rule: "bastionhost.rate-limit", Quote: "单用户调用频率：10次/秒", Status: results.Passed, Exchanges: 6, Warnings: 1},
			}},
		},
	}
}

func ramLengthFinding() results.Finding {
	return results.Finding{
		ID:    "ram/no-server-error/1",
		Check: "no-server-error", Operation: "ram", Rule: "ram.UserName.length",
		Quote:    "UserName：用户名称。长度为 1~64 个字符。",
		Expected: "HTTP 400 InvalidParameter.UserName.Length",
		Actual:   "HTTP 500 InternalError",
		Seed:     1234567,
		Curl:     `curl -X POST 'http://127.0.0.1:8080/' -H 'Authorization: <sign this request>' --data-urlencode 'UserName=aaaa<65 a>' --data-urlencode 'Password=<redacted>'`,
		Command:  "acsconform run --target http://127.0.0.1:8080 --operations ram --checks no-server-error --seed 1234567",
		Request:  "POST / Action=CreateUser&Password=<redacted>&UserName=aaaa<65 a>&Version=2015-05-01",
		Response: "HTTP 500\n{\"Code\":\"InternalError\",\"Message\":\"a < b && c > \\\"d\\\" ]]> done\"}",
		Cause:    "ram.UserName.length: HTTP 500 InternalError (UserName)",
		Shrunk:   "from 6 parameters (214 bytes) to 2 parameters (95 bytes) in 31 requests",
		Send:     "acsconform send --op ram --target http://127.0.0.1:8080 'UserName=aaaa<65 a>'",
		Exchanges: []results.ExchangeRecord{{
			Operation: "ram", URL: "http://127.0.0.1:8080/", Signature: "v3", Setup: true,
			Params: []results.Param{{Name: "x-acs-action", Value: "CreateUser", In: "header", Source: results.SourceProtocol},
				{Name: "UserName", Value: "aaaa<65 a>", In: "query", Source: results.SourceParam}},
			Status: 200, Headers: map[string][]string{"Content-Type": {"application/json"}}, Body: `{"RequestId":"X"}`,
		}, {
			Operation: "ram", URL: "http://127.0.0.1:8080/", Signature: "v1", Account: 1, Breaks: "ram.UserName.length",
			Params: []results.Param{{Name: "UserName", Value: "aaaa<65 a>", In: "query", Source: results.SourceParam},
				{Name: "UserName", Value: "again", In: "query", Source: results.SourceRaw}},
			Status: 500, Body: `{"Code":"InternalError"}`,
		}},
		Accounts: 2,
		Declared: results.Declared{Limits: map[string]int{"quota": 50}},
	}
}

func ramControlFinding() results.Finding {
	return results.Finding{
		Check: "no-server-error", Operation: "ram", Rule: "ram.Comments.length",
		Quote:    "Comments：备注。长度为 1~128 个字符。",
		Expected: "HTTP 200 with User.UserId",
		Actual:   "HTTP 502 body \x00\x01\x1b[31mred\x1b[0m\r\x7f\u0085 and \xff\xfe bytes and \uFFFE",
		Seed:     -42,
		Curl:     "curl -X POST 'http://127.0.0.1:8080/' --data-urlencode 'Comments=tab\there'",
		Command:  "acsconform run --operations ram --checks no-server-error --seed -42",
		Request:  "POST / Action=CreateUser&Comments=tab%09here",
		Response: "HTTP 502\n",
	}
}

func edsWarning() results.Finding {
	return results.Finding{
		Check: "partial-batch", Operation: "eds-user", Rule: "eds-user.Users.partial",
		Quote:       "If some users fail to be created, the CreateResult.FailedUsers parameter lists them.",
		Expected:    "HTTP 200 with CreateResult.FailedUsers (any reading of ambiguity eds-user.partial-code)",
		Actual:      "HTTP 400 InvalidParameter.Users",
		Seed:        99,
		Command:     "acsconform run --operations eds-user --checks partial-batch --seed 99",
		Ambiguities: []string{"eds-user.partial-code"},
	}
}

func edsSpaceWarning() results.Finding {
	return results.Finding{
		Check: "positive-acceptance", Operation: "eds-user", Rule: "eds-user.Password.complexity",
		Quote:       "special characters (excluding spaces)",
		Expected:    "HTTP 200",
		Actual:      "HTTP 400 INTERNAL_ERROR, allowed only under a reading: eds-user.password-space, eds-user.partial-code",
		Seed:        99,
		Command:     "acsconform run --operations eds-user --checks positive-acceptance --seed 99",
		Ambiguities: []string{"eds-user.password-space", "eds-user.partial-code"},
	}
}

func rateWarning() results.Finding {
	return results.Finding{
		Check: "rate-limit-enforced", Operation: "bastionhost", Rule: "bastionhost.rate-limit",
		Quote:    "单用户调用频率：10次/秒",
		Expected: "a burst of 30 calls within 1s",
		Actual:   "the burst took 1.2s, longer than the window:\nnothing concluded",
		Seed:     3,
		Command:  "acsconform run --operations bastionhost --checks rate-limit-enforced --seed 3",
	}
}

func bastionFinding() results.Finding {
	return results.Finding{
		Rule:     "bastionhost.errors.documented",
		Quote:    "Error codes: see the Error Center.",
		Expected: `one of the documented codes (e.g. "InvalidParameter")`,
		Actual:   `HTTP 400 'Weird&Code'`,
		Seed:     3,
		Command:  "acsconform run --operations bastionhost --seed 3",
	}
}
