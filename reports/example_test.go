package reports_test

import (
	"os"
	"time"

	"github.com/acsconform/acsconform/reports"
	"github.com/acsconform/acsconform/results"
)

func ExampleText() {
	r := &results.Result{
		Tool: "0.1.0", Target: "embedded emulator", Seed: 1, Command: "acsconform run --seed 1",
		Started:  time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC),
		Duration: 1500 * time.Millisecond,
		Operations: []results.OperationResult{{
			Operation: "ram", Action: "CreateUser", Version: "2015-05-01",
			Checks: []results.CheckResult{
				{Check: "error-code-documented", Status: results.Passed, Exchanges: 120},
				{Check: "no-server-error", Status: results.Failed, Exchanges: 64, Findings: []results.Finding{{
					Check: "no-server-error", Operation: "ram", Rule: "ram.UserName.length",
					Quote:    "UserName：长度为 1~64 个字符。",
					Expected: "HTTP 400 InvalidParameter.UserName.Length", Actual: "HTTP 500 InternalError",
					Seed:    42,
					Command: "acsconform run --operations ram --checks no-server-error --seed 42",
				}}},
				{Check: "rate-limit", Status: results.Skipped, SkipReason: "no rate limit declared"},
			},
		}},
	}
	if err := reports.Text(os.Stdout, r, reports.TextOptions{}); err != nil {
		panic(err)
	}
	// Output:
	// FAIL ram/no-server-error [ram.UserName.length]
	//   rule:     UserName：长度为 1~64 个字符。
	//   expected: HTTP 400 InvalidParameter.UserName.Length
	//   actual:   HTTP 500 InternalError
	//   seed:     42
	//   replay:   acsconform run --operations ram --checks no-server-error --seed 42
	//
	// acsconform 0.1.0 against embedded emulator, seed 1, started 2026-11-23T15:00:00Z, took 1.5s
	// replay: acsconform run --seed 1
	//
	// OPERATION  CHECK                  STATUS   EXCHANGES  FINDINGS  WARNINGS  NOTE
	// ram        error-code-documented  passed         120         0         0
	// ram        no-server-error        FAILED          64         1         0
	// ram        rate-limit             skipped          0         0         0  no rate limit declared
	// FAIL: 3 checks (1 passed, 1 failed, 0 errored, 1 skipped), 184 exchanges, 1 finding, 0 warnings
}
