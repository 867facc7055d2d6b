package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

// mergeCLI runs 'acsconform merge args...' in-process.
func mergeCLI(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := cmdMerge(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// singleLine asserts that stderr is one line starting with prefix.
func singleLine(t *testing.T, stderr, prefix string) {
	t.Helper()
	assert.Equal(t, strings.Count(stderr, "\n"), 1, stderr)
	assert.Assert(t, strings.HasPrefix(stderr, prefix), stderr)
}

func TestRunBadShardExitsTwo(t *testing.T) {
	for _, bad := range []string{"0/4", "5/4", "4", "x/y", "1/0", "-1/2"} {
		code, _, stderr := runCLI(t, noEnv, "--shard", bad)
		assert.Equal(t, code, exitUsage, stderr)
		singleLine(t, stderr, "acsconform run: ")
	}
}

func TestMergeShardsOfARun(t *testing.T) {
	dir := t.TempDir()
	args := []string{"--ops", "ram", "--examples", "2", "--shrink=false", "--checks", "^(positive-acceptance|duplicate-rejected|error-code-documented)$"}
	var shards []string
	for _, k := range []string{"1/2", "2/2"} {
		path := filepath.Join(dir, "shard-"+k[:1]+".json")
		code, _, stderr := runCLI(t, noEnv, append(args, "--shard", k, "--json", path)...)
		assert.Equal(t, code, exitOK, stderr)
		shards = append(shards, path)
	}
	merged := filepath.Join(dir, "merged.json")
	code, stdout, stderr := mergeCLI(shards[1], "--json", merged, shards[0])
	assert.Equal(t, code, exitOK, stderr)
	assert.Assert(t, strings.Contains(stdout, "shard: 2 shards merged"), stdout)
	res := reportOf(t, merged)
	assert.Equal(t, res.Merged, 2)
	assert.Equal(t, res.Examples, 2)
	assert.Equal(t, res.PacedExamples, 1, "the default, a fifth of --examples, is recorded")
	for _, c := range res.Operations[0].Checks {
		assert.Equal(t, string(c.Status), "passed", "%s: %s", c.Check, c.SkipReason)
	}

	t.Run("refusals are one line and exit 2", func(t *testing.T) {
		for _, row := range [][]string{
			{},
			{shards[0]},
			{shards[0], shards[0], shards[1]},
			{filepath.Join(dir, "absent.json")},
			{shards[0], shards[1], "--json", shards[0]},
			{shards[0], shards[1], "--junit", merged, "--json", merged},
			{shards[0], shards[1], "--nope"},
		} {
			code, _, stderr := mergeCLI(row...)
			assert.Equal(t, code, exitUsage, "%v: %s", row, stderr)
			singleLine(t, stderr, "acsconform merge: ")
		}
	})
}
