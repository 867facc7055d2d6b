package main

import (
	"bytes"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

func TestBenchPrintsItsTable(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := cmdBench([]string{"--examples", "1", "--all-ops=false", "--workers", "2", "--load", "1s"}, &stdout, &stderr)
	assert.Equal(t, code, exitOK, stderr.String())
	for _, want := range []string{"campaign", "ceiling", "ratio campaign/ceiling", "peak RSS", "emulator under load (ram,eds-user, 8 loops)", "0 failed"} {
		assert.Assert(t, strings.Contains(stdout.String(), want), stdout.String())
	}
}

func TestBenchBadFlagsExitTwo(t *testing.T) {
	for _, args := range [][]string{{"--examples", "0"}, {"--nope"}, {"extra"}, {"--load", "-1s"}} {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, cmdBench(args, &stdout, &stderr), exitUsage)
		assert.Equal(t, strings.Count(stderr.String(), "\n"), 1, stderr.String())
		assert.Assert(t, strings.HasPrefix(stderr.String(), "acsconform bench: "))
	}
}
