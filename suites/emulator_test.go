package suites

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// testQuota is the small RAM user quota the test emulators declare, so the
// quota check stays quick.
const testQuota = 40

// testAccounts are 16 accounts with per-test secrets: several, since
// rate-limited traffic is paced per account (with six, Bastionhost's runs
// waited on the pacing for most of their time; the embedded emulator has 64).
func testAccounts() []runner.Account {
	var accts []runner.Account
	for i := 1; i <= 16; i++ {
		accts = append(accts, runner.Account{
			AccessKeyID:     fmt.Sprintf("LTAItestaccount%d", i),
			AccessKeySecret: fmt.Sprintf("sEcReT-%d-%d", i, time.Now().UnixNano()),
		})
	}
	return accts
}

// emulatorTarget serves a fresh reference emulator, wrapped by wrap (nil
// for none), on loopback and declares it as a target.
func emulatorTarget(t testing.TB, wrap func(http.Handler) http.Handler) runner.Target {
	t.Helper()
	accts := testAccounts()
	secrets := map[string]string{}
	for _, a := range accts {
		secrets[a.AccessKeyID] = a.AccessKeySecret
	}
	var h http.Handler = emulator.New(emulator.Options{Accounts: secrets, RAMUserQuota: testQuota})
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return runner.Target{
		URL:              srv.URL,
		Accounts:         accts,
		ChecksSignatures: true,
	}
}

// emulatorDeclared is what the emulator of emulatorTarget declares: its
// default Bastionhost instance and the test quota.
func emulatorDeclared() specs.Declarations {
	var d specs.Declarations
	d.Declare(specs.RuleExists, emulator.DefaultBastionhostInstance)
	d.SetLimit(specs.RuleQuota, testQuota)
	return d
}

// planningEngine is an engine for opts, with the emulator's declarations,
// that only plans: its target is never sent anything.
func planningEngine(t *testing.T, opts Options) *engine {
	t.Helper()
	model, err := specs.Load()
	assert.NilError(t, err)
	target := runner.Target{URL: "http://127.0.0.1:1", Accounts: testAccounts(), ChecksSignatures: true}
	opts.Declared = emulatorDeclared()
	e, err := newEngine(model, model.Operations, target, opts.withDefaults())
	assert.NilError(t, err)
	t.Cleanup(e.client.Close)
	return e
}

// execute runs the suite with small sizes and fails the test on a setup
// error; options declaring nothing get the emulator's declarations.
func execute(t *testing.T, target runner.Target, opts Options) *results.Result {
	t.Helper()
	if opts.Declared.Values == nil && opts.Declared.Limits == nil {
		opts.Declared = emulatorDeclared()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if opts.Examples == 0 {
		opts.Examples = 8
	}
	res, err := Execute(ctx, target, opts)
	assert.NilError(t, err)
	return res
}

// failures lists every failed check as "op/check: first finding".
func failures(res *results.Result) []string {
	var out []string
	for _, op := range res.Operations {
		for _, c := range op.Checks {
			if c.Status == results.Failed {
				f := c.Findings[0]
				out = append(out, op.Operation+"/"+c.Check+": expected "+f.Expected+"; actual "+f.Actual+"; "+f.Request)
			}
		}
	}
	return out
}

// TestEmulatorPassesEveryCheck runs every check of every operation against
// the reference emulator under the race detector, and finds none skipped.
// More seeds are make mutation-gate's control (part of make test): the
// embedded emulator passes every check of every operation on seeds 1 to 8
// at 10 examples (make mutation: 20 seeds), without -race, several times
// cheaper than here; this test ran seeds 1 and 2 on every operation and 3
// to 8 on RAM and eds-user at 8 examples.
func TestEmulatorPassesEveryCheck(t *testing.T) {
	rows := []struct {
		reason string
		seeds  []int64
		ops    []string
	}{
		{"every check of every operation passes on the reference emulator", []int64{1}, nil},
	}
	for _, row := range rows {
		for _, seed := range row.seeds {
			t.Run(fmt.Sprintf("%s/seed %d", row.reason, seed), func(t *testing.T) {
				res := execute(t, emulatorTarget(t, nil), Options{Seed: seed, Ops: row.ops})
				assert.DeepEqual(t, failures(res), []string(nil))
				passed := 0
				for _, op := range res.Operations {
					for _, c := range op.Checks {
						assert.Assert(t, c.Status != results.Skipped, "%s/%s skipped: %s", op.Operation, c.Check, c.SkipReason)
						passed++
					}
				}
				assert.Assert(t, passed > 0)
			})
		}
	}
}
