package suites

import (
	"net/http/httptest"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
)

// TestFullEDSAccountIsNoFinding: an emulator whose accounts hold only a
// few eds-user users refuses the valid batches past that with 400
// INTERNAL_ERROR (its reading of eds-user.account-user-limit); the suite
// reports those answers as warnings under that ambiguity, never as
// findings.
func TestFullEDSAccountIsNoFinding(t *testing.T) {
	accts := testAccounts()
	secrets := map[string]string{}
	for _, a := range accts {
		secrets[a.AccessKeyID] = a.AccessKeySecret
	}
	srv := httptest.NewServer(emulator.New(emulator.Options{Accounts: secrets, RAMUserQuota: testQuota, EDSUserQuota: 4}))
	t.Cleanup(srv.Close)
	target := runner.Target{URL: srv.URL, Accounts: accts, ChecksSignatures: true}
	res := execute(t, target, Options{Seed: 1, Ops: []string{"eds-user"}, Examples: 20})
	assert.DeepEqual(t, failures(res), []string(nil))
	full := 0
	for _, op := range res.Operations {
		for _, c := range op.Checks {
			for _, w := range c.Warnings {
				if strings.Contains(w.Actual, "eds-user.account-user-limit") {
					full++
				}
			}
			assert.Assert(t, c.Status != results.Failed, "%s/%s failed", op.Operation, c.Check)
		}
	}
	assert.Assert(t, full > 0, "no valid batch was refused by a full account: the test proves nothing")
}
