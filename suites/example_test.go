package suites_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/suites"
)

// TestConformanceGate is the gate an emulator project puts in its own
// tests: serve the emulator, declare what it has, run the suite. The
// declared form: accounts the emulator knows (a second one enables the
// cross-account checks; more spread Bastionhost's traffic, paced per
// account), an instance it has and its user quota (Declared), signature
// checking (ChecksSignatures) and RequireAll, so that no check is
// skipped: one whose precondition went undeclared would fail the gate.
// Here the emulator is acsconform's reference one.
func TestConformanceGate(t *testing.T) {
	t.Parallel() // mostly waits: Bastionhost is paced
	const quota = 10
	secrets := map[string]string{}
	var accounts []runner.Account
	for i := range 4 {
		a := runner.Account{AccessKeyID: fmt.Sprintf("LTAIgateAccount%d", i), AccessKeySecret: fmt.Sprintf("gate-test-secret-%d", i)}
		accounts, secrets[a.AccessKeyID] = append(accounts, a), a.AccessKeySecret
	}
	srv := httptest.NewServer(emulator.New(emulator.Options{Accounts: secrets, RAMUserQuota: quota}))
	defer srv.Close()
	declared := specs.Declarations{
		Values: map[specs.RuleKind][]string{specs.RuleExists: {emulator.DefaultBastionhostInstance}},
		Limits: map[specs.RuleKind]int{specs.RuleQuota: quota},
	}
	suites.Run(t, runner.Target{URL: srv.URL, Accounts: accounts, ChecksSignatures: true},
		suites.Options{Declared: declared, RequireAll: true, Examples: 5})
}

// Execute returns a result to write as reports, or to inspect.
func ExampleExecute() {
	srv := httptest.NewServer(emulator.New(emulator.Options{}))
	defer srv.Close()
	target := runner.Target{
		URL:      srv.URL,
		Accounts: []runner.Account{{AccessKeyID: emulator.DefaultAccessKeyID, AccessKeySecret: emulator.DefaultAccessKeySecret}},
	}
	res, err := suites.Execute(context.Background(), target, suites.Options{Ops: []string{"ram"}, Examples: 5})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range res.Operations[0].Checks {
		fmt.Println(strings.TrimSpace(c.Check + " " + string(c.Status) + " " + c.SkipReason))
	}
	// Output:
	// positive-acceptance passed
	// response-schema passed
	// error-envelope passed
	// error-code-documented passed
	// negative-rejection passed
	// no-server-error passed
	// request-id passed
	// content-type passed
	// duplicate-rejected passed
	// rejection-leaves-no-trace passed
	// quota-enforced skipped the target declares no user quota (--ram-user-quota N)
	// signature-required skipped the target does not declare that it checks signatures
}
