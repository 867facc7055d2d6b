package suites_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/suites"
)

// Environment of TestGateHelper: where it writes the requests its target
// got, and whether it sets Options.RequireAll.
const (
	helperCountsEnv     = "ACSCONFORM_GATE_HELPER_COUNTS"
	helperRequireAllEnv = "ACSCONFORM_GATE_HELPER_REQUIRE_ALL"
)

// versionOps names the operations by their API version, which every
// request carries (the query for V1, x-acs-version for V3).
var versionOps = map[string]string{"2015-05-01": "ram", "2021-03-08": "eds-user", "2019-12-09": "bastionhost"}

// TestGateHelper is not a test of its own: the tests below run this test
// binary with -test.run selecting some of its subtests and the helper
// environment set. It runs the suite on RAM and eds-user against an
// emulator that counts the requests it gets per operation (no user quota
// declared), and writes the counts as JSON to the file the environment
// names.
func TestGateHelper(t *testing.T) {
	countsFile := os.Getenv(helperCountsEnv)
	if countsFile == "" {
		t.Skip("a helper process of TestRunSendsOnlySelectedChecks and TestRunRequireAll")
	}
	var mu sync.Mutex
	counts := map[string]int{}
	emu := emulator.New(emulator.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := r.Header.Get("x-acs-version")
		if v == "" {
			v = r.URL.Query().Get("Version")
		}
		mu.Lock()
		counts[versionOps[v]]++
		mu.Unlock()
		emu.ServeHTTP(w, r)
	}))
	defer srv.Close()
	suites.Run(t, runner.Target{URL: srv.URL, Accounts: []runner.Account{{
		AccessKeyID: emulator.DefaultAccessKeyID, AccessKeySecret: emulator.DefaultAccessKeySecret,
	}}}, suites.Options{Ops: []string{"ram", "eds-user"}, Examples: 3, RequireAll: os.Getenv(helperRequireAllEnv) != ""})
	mu.Lock()
	defer mu.Unlock()
	b, err := json.Marshal(counts)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(countsFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// runHelper runs TestGateHelper in a child process of this test binary,
// selecting subtests with run as go test -run does, and returns the
// requests its target got per operation, its output and whether it passed.
func runHelper(t *testing.T, run string, requireAll bool) (counts map[string]int, out string, passed bool) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "counts.json")
	// A bound on a hung child, not a timed assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run", run, "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), helperCountsEnv+"="+file)
	if requireAll {
		cmd.Env = append(cmd.Env, helperRequireAllEnv+"=1")
	}
	b, err := cmd.CombinedOutput()
	out = string(b)
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("running the helper: %v", err)
	}
	data, rerr := os.ReadFile(file)
	if rerr != nil {
		t.Fatalf("the helper wrote no counts (%v):\n%s", rerr, out)
	}
	if err := json.Unmarshal(data, &counts); err != nil {
		t.Fatal(err)
	}
	return counts, out, err == nil
}

// TestRunSendsOnlySelectedChecks runs the go-test entry point whole, then
// narrowed by -run to one check of one operation, as a person narrows a
// failing gate: the narrowed run sends the requests of that check alone
// (at most half the full run's: content-type reads most plans of RAM,
// duplicate-rejected one) and nothing to the other operation, and runs
// only that subtest.
func TestRunSendsOnlySelectedChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite twice in child processes")
	}
	if os.Getenv(helperCountsEnv) != "" {
		t.Skip("in a helper process")
	}
	full, out, ok := runHelper(t, "^TestGateHelper$", false)
	if !ok || full["ram"] == 0 || full["eds-user"] == 0 {
		t.Fatalf("the full run: passed %v, requests %v:\n%s", ok, full, out)
	}
	for _, check := range []string{"content-type", "duplicate-rejected"} {
		narrow, out, ok := runHelper(t, "^TestGateHelper$/^ram$/^"+check+"$", false)
		if !ok {
			t.Fatalf("-run ram/%s failed:\n%s", check, out)
		}
		t.Logf("-run ram/%s: requests %v; the full run: %v", check, narrow, full)
		if narrow["eds-user"] != 0 || narrow["ram"] == 0 || narrow["ram"] > full["ram"] || 2*narrow["ram"] > full["ram"]+full["eds-user"] {
			t.Errorf("-run ram/%s: requests %v, full run %v; want some to ram, none to eds-user, at most half the full run's", check, narrow, full)
		}
		if n := strings.Count(out, "--- PASS: TestGateHelper/ram/"); n != 1 || strings.Contains(out, "TestGateHelper/eds-user/") {
			t.Errorf("-run ram/%s: %d RAM subtests passed, want 1 and no eds-user subtest:\n%s", check, n, out)
		}
	}
}

// TestRunRequireAll runs a check whose precondition the target does not
// declare (RAM's user quota): skipped by default, failed under
// RequireAll, with the reason, and without a request sent for it.
func TestRunRequireAll(t *testing.T) {
	if os.Getenv(helperCountsEnv) != "" {
		t.Skip("in a helper process")
	}
	const run = "^TestGateHelper$/^ram$/^quota-enforced$"
	for _, requireAll := range []bool{false, true} {
		counts, out, passed := runHelper(t, run, requireAll)
		verdict := "--- SKIP: TestGateHelper/ram/quota-enforced"
		if requireAll {
			verdict = "--- FAIL: TestGateHelper/ram/quota-enforced"
		}
		if passed == requireAll || !strings.Contains(out, verdict) || !strings.Contains(out, "the target declares no user quota") {
			t.Errorf("RequireAll %v: passed %v, want %q with the reason:\n%s", requireAll, passed, verdict, out)
		}
		if counts["eds-user"] != 0 || counts["ram"] > 3 {
			t.Errorf("RequireAll %v: requests %v, want at most the preflight's", requireAll, counts)
		}
	}
}
