package suites_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/suites"
)

// TestConformanceGate is the three-line gate an emulator project puts in
// its own tests: serve the emulator, declare it, run the suite. Here the
// emulator is acsconform's reference one, checked for RAM and eds-user.
func TestConformanceGate(t *testing.T) {
	srv := httptest.NewServer(emulator.New(emulator.Options{}))
	defer srv.Close()
	suites.Run(t, runner.Target{URL: srv.URL, Accounts: []runner.Account{{
		AccessKeyID: emulator.DefaultAccessKeyID, AccessKeySecret: emulator.DefaultAccessKeySecret,
	}}}, suites.Options{Ops: []string{"ram", "eds-user"}, Examples: 5})
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
