package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/runner"
)

// replayCLI runs 'acsconform replay args...' in-process.
func replayCLI(t *testing.T, env func(string) string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := replayWith(context.Background(), args, env, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// accountFlags are --account flags for accounts.
func accountFlags(accounts []runner.Account) []string {
	var out []string
	for _, a := range accounts {
		out = append(out, "--account", a.AccessKeyID+":"+a.AccessKeySecret)
	}
	return out
}

func TestReplayReproducesAFindingUntilItIsFixed(t *testing.T) {
	faulty, stop, err := startEmbedded(context.Background(), []string{"ram-duplicate-allowed"})
	assert.NilError(t, err)
	defer stop()
	accounts := accountFlags(faulty.target.Accounts[:2])
	report := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr := runCLI(t, noEnv, append(accounts, "--target", faulty.target.URL, "--ops", "ram",
		"--checks", "^duplicate-rejected$", "--examples", "2", "--json", report)...)
	assert.Equal(t, code, exitFindings, stdout+stderr)
	const id = "ram/duplicate-rejected/1"
	assert.Assert(t, strings.Contains(stdout, "FAIL "+id+" "), stdout)
	assert.Assert(t, strings.Contains(stdout, "acsconform replay "+report+" --finding "+id+"   # credentials: --account"), stdout)
	assert.Assert(t, strings.Contains(stdout, "send:     acsconform send --op ram"), stdout)
	doc, err := os.ReadFile(report)
	assert.NilError(t, err)
	assert.Assert(t, strings.Contains(string(doc), `"setup": true`), "the duplicate's first create is recorded as its setup")

	for i := range 2 {
		code, stdout, stderr = replayCLI(t, noEnv, append([]string{report, "--finding", id}, accounts...)...)
		assert.Equal(t, code, exitFindings, "replay %d against the same faulty target: %s%s", i+1, stdout, stderr)
		assert.Assert(t, strings.Contains(stdout, "STILL FAILS "+id), stdout)
	}

	clean, stopClean, err := startEmbedded(context.Background(), nil)
	assert.NilError(t, err)
	defer stopClean()
	code, stdout, stderr = replayCLI(t, noEnv, append([]string{report, "--finding", id, "--target", clean.target.URL},
		accountFlags(clean.target.Accounts[:2])...)...)
	assert.Equal(t, code, exitOK, stdout+stderr)
	assert.Assert(t, strings.Contains(stdout, "FIXED "+id), stdout)
}

func TestReplayBadInputExitsTwo(t *testing.T) {
	dir := t.TempDir()
	notReport := filepath.Join(dir, "x.json")
	assert.NilError(t, os.WriteFile(notReport, []byte(`{"format":"other"}`), 0o644))
	empty := filepath.Join(dir, "empty.json")
	assert.NilError(t, os.WriteFile(empty, []byte(`{"format":"acsconform-report/1","operations":[],"findings":[],"warnings":[]}`), 0o644))
	rows := []struct {
		reason string
		args   []string
	}{
		{"no report", []string{"--account", "a:b"}},
		{"two reports", []string{empty, empty, "--account", "a:b"}},
		{"a missing report", []string{filepath.Join(dir, "none.json"), "--account", "a:b"}},
		{"a file of another format", []string{notReport, "--account", "a:b"}},
		{"a report without findings", []string{empty, "--account", "a:b"}},
		{"an unknown finding", []string{empty, "--finding", "ram/x/1", "--account", "a:b"}},
		{"no credentials", []string{empty}},
		{"a target with user information", []string{empty, "--target", "http://u:p@127.0.0.1:1", "--account", "a:b"}},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			code, stdout, stderr := replayCLI(t, noEnv, row.args...)
			assert.Equal(t, code, exitUsage, stdout+stderr)
			assert.Equal(t, strings.Count(strings.TrimSpace(stderr), "\n"), 0, "one line: %s", stderr)
			assert.Assert(t, strings.HasPrefix(stderr, "acsconform replay: "), stderr)
			assert.Assert(t, !strings.Contains(stderr, "p@"), stderr)
		})
	}
}
