package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gotest.tools/v3/assert"
)

// TestInterruptWritesMarkedReports: a run whose context ends (what the
// first SIGINT or SIGTERM does) stops sending, judges what came back,
// writes every requested report marked interrupted, and exits 130; the
// JUnit report still validates against the Ant schema.
func TestInterruptWritesMarkedReports(t *testing.T) {
	dir := t.TempDir()
	junit, report := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.json")
	ctx, cancel := context.WithCancel(context.Background())
	var stdout bytes.Buffer
	var stderr lockedBuffer
	done := make(chan int)
	go func() {
		done <- runWith(ctx, []string{"--examples", "400", "--junit", junit, "--json", report}, noEnv, &stdout, &stderr)
	}()
	for !strings.Contains(stderr.String(), "passed") && !strings.Contains(stderr.String(), "FAILED") {
		select {
		case code := <-done:
			t.Fatalf("the run ended (%d) before the interrupt:\n%s", code, stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	cancel()
	code := <-done
	assert.Equal(t, code, exitInterrupted, stdout.String())
	assert.Assert(t, strings.Contains(stdout.String(), "STOPPED EARLY: interrupted"), stdout.String())
	var doc struct{ Stopped string }
	b, err := os.ReadFile(report)
	assert.NilError(t, err)
	assert.NilError(t, json.Unmarshal(b, &doc))
	assert.Equal(t, doc.Stopped, "interrupted")
	assert.Assert(t, !strings.Contains(string(b), "context canceled"), "an exchange the interrupt cut short is no finding")
	x, err := os.ReadFile(junit)
	assert.NilError(t, err)
	assert.Assert(t, strings.Contains(string(x), `name="stopped" value="interrupted"`))
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Fatal("xmllint is needed to validate the JUnit report: 'make deps' installs it")
	}
	out, err := exec.Command("xmllint", "--noout", "--schema", filepath.Join("..", "..", "..", "shared", "schemas", "junit-ant.xsd"), junit).CombinedOutput()
	assert.NilError(t, err, string(out))
}

// lockedBuffer is a buffer one goroutine writes while another reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
