package interop

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// toolTimeout bounds each run of a third-party tool.
const toolTimeout = 3 * time.Minute

// tool returns the path of the npm tool name that 'make deps' installs into
// node_modules; a missing tool or node fails the test, never skips it.
func tool(t *testing.T, name string) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is not installed: run 'make deps' (make test does): %v", err)
	}
	path, err := filepath.Abs(filepath.Join("node_modules", ".bin", name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("%s is not installed in interop/node_modules: run 'make deps' (make test does): %v", name, err)
	}
	return path
}

// run runs a command to completion, bounded by toolTimeout, and returns
// its exit code (-1 when it could not start or was killed) and output.
func run(t *testing.T, dir string, name string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Stdin = nil
	// Files, not pipes: Node writes to a file synchronously, while piped
	// output beyond the pipe's buffer is lost when a tool exits at once.
	stdout, stderr := tempFile(t, "stdout"), tempFile(t, "stderr")
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		code = -1
		if ee, ok := err.(*exec.ExitError); ok && ctx.Err() == nil {
			code = ee.ExitCode()
		}
	}
	return code, readBack(t, stdout), readBack(t, stderr)
}

// tempFile is a new file in the test's temporary directory.
func tempFile(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// readBack is what was written to f.
func readBack(t *testing.T, f *os.File) string {
	t.Helper()
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// buildCLI builds cmd/acsconform into dir and returns the binary's path.
func buildCLI(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go is not on PATH: %v", err)
	}
	bin := filepath.Join(dir, "acsconform")
	if code, out, errOut := run(t, "..", goTool, "build", "-o", bin, "./cmd/acsconform"); code != 0 {
		t.Fatalf("go build ./cmd/acsconform: exit %d\n%s%s", code, out, errOut)
	}
	return bin
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// process is a long-running command started by background.
type process struct {
	name string
	out  *lockedBuffer // stdout and stderr together
	done chan struct{} // closed when it has exited
}

// background starts a long-running command; it is killed (by its own
// process ID) and waited for when the test ends.
func background(t *testing.T, name string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(name, args...)
	p := &process{name: filepath.Base(name), out: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	return p
}

// waitFor polls ok every 100ms until it holds; past the limit, or when the
// process has exited, it fails the test with what the process printed.
func (p *process) waitFor(t *testing.T, limit time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		select {
		case <-p.done:
			t.Fatalf("%s exited before it was ready; output:\n%s", p.name, short(p.out.String()))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not ready within %s; output:\n%s", p.name, limit, short(p.out.String()))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// listening reports whether something accepts TCP connections at addr.
func listening(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// short trims long tool output for a failure message.
func short(s string) string {
	const max = 4000
	if len(s) > max {
		return s[:max] + fmt.Sprintf("\n… (%d more bytes)", len(s)-max)
	}
	return strings.TrimSpace(s)
}
