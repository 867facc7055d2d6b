package interop

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// antSchema is the strict Ant JUnit schema, in ../shared beside the repository.
var antSchema = filepath.Join("..", "..", "shared", "schemas", "junit-ant.xsd")

// failingReport runs the CLI against its emulator with two faults injected
// (error envelopes without RequestId, RAM user names of any length) and
// returns the path of the JUnit report of that failing run.
func failingReport(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin := buildCLI(t, dir)
	secret := make([]byte, 16)
	_, _ = rand.Read(secret)
	account := "AKINTEROP:" + hex.EncodeToString(secret)
	srv := background(t, bin, "serve", "--addr", "127.0.0.1:0", "--account", account,
		"--fault", "error-no-requestid", "--fault", "ram.UserName.max-length")
	listen := regexp.MustCompile(`listening on (http://127\.0\.0\.1:[0-9]+)`)
	srv.waitFor(t, 30*time.Second, func() bool { return listen.MatchString(srv.out.String()) })
	target := listen.FindStringSubmatch(srv.out.String())[1]

	junit := filepath.Join(dir, "junit.xml")
	code, stdout, stderr := run(t, dir, bin, "run", "--target", target, "--account", account,
		"--ops", "ram", "--examples", "5", "--junit", junit)
	if code != 1 {
		t.Fatalf("a run against a faulty emulator exits 1, got %d\n%s\n%s", code, short(stdout), short(stderr))
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<failure `, `‹?xml version="1.0"`, "FAIL ram/error-envelope", "FAIL ram/negative-rejection"} {
		if !strings.Contains(string(data), want) {
			t.Fatalf("the failing report lacks %q, which this test is about:\n%s", want, short(string(data)))
		}
	}
	return junit
}

// failingChecks are the checks the faults injected by failingReport break.
var failingChecks = []string{"error-envelope", "negative-rejection", "request-id"}

func TestFailingJUnitReportIsReadByViewers(t *testing.T) {
	t.Parallel() // its tools wait on Node, and so do Prism's
	junitViewer, xunitViewer := tool(t, "junit-viewer"), tool(t, "xunit-viewer")
	report := failingReport(t)
	golden, err := filepath.Abs(filepath.Join("..", "reports", "testdata", "junit.golden.xml"))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("schema", func(t *testing.T) {
		t.Parallel()
		xmllint, err := exec.LookPath("xmllint")
		if err != nil {
			t.Fatalf("xmllint is not installed: run 'make deps' (make test does): %v", err)
		}
		if code, out, errOut := run(t, ".", xmllint, "--noout", "--schema", antSchema, report); code != 0 {
			t.Fatalf("the failing report does not validate against %s:\n%s%s", antSchema, out, errOut)
		}
	})

	t.Run("junit-viewer", func(t *testing.T) {
		t.Parallel()
		for _, c := range []struct {
			file   string
			checks []string
		}{{report, failingChecks}, {golden, []string{"no-server-error"}}} {
			html := filepath.Join(t.TempDir(), "report.html")
			code, out, errOut := run(t, ".", junitViewer, "--results="+c.file, "--save="+html)
			page, err := os.ReadFile(html)
			if code != 0 || err != nil || strings.Contains(out+errOut, "Error") {
				t.Fatalf("junit-viewer did not render %s (exit %d, %v):\n%s\n%s", c.file, code, err, short(out), short(errOut))
			}
			// A failed testcase is a button of class test--failure with its name.
			for _, check := range c.checks {
				failed := regexp.MustCompile(`test--failure[^>]*>\s*<span[^>]*>` + regexp.QuoteMeta(check) + `</span>`)
				if !failed.Match(page) {
					t.Errorf("junit-viewer's page of %s does not show %s failing", c.file, check)
				}
			}
			if c.file == report && !strings.Contains(string(page), "‹?xml version=") {
				t.Errorf("junit-viewer's page of %s does not show the XML response bodies", c.file)
			}
		}
	})

	t.Run("xunit-viewer", func(t *testing.T) {
		t.Parallel()
		for _, c := range []struct {
			file   string
			checks []string
		}{{report, failingChecks}, {golden, []string{"no-server-error"}}} {
			// In a directory of its own: the console view writes an
			// index.html page too, where it runs.
			code, out, errOut := run(t, t.TempDir(), xunitViewer, "--results", c.file, "--console", "--no-color", "--clear=false")
			if code != 0 || !strings.Contains(out, "acsconform.ram") {
				t.Fatalf("xunit-viewer did not render %s (exit %d):\n%s\n%s", c.file, code, short(out), short(errOut))
			}
			for _, check := range c.checks {
				if !regexp.MustCompile(`(?m)^\s*✗ ` + regexp.QuoteMeta(check) + ` `).MatchString(out) {
					t.Errorf("xunit-viewer's console view of %s does not show %s failing:\n%s", c.file, check, short(out))
				}
			}
			html := filepath.Join(t.TempDir(), "report.html")
			if code, out, errOut := run(t, ".", xunitViewer, "--results", c.file, "--output", html); code != 0 {
				t.Fatalf("xunit-viewer did not write a page for %s (exit %d):\n%s\n%s", c.file, code, short(out), short(errOut))
			}
			if st, err := os.Stat(html); err != nil || st.Size() == 0 {
				t.Fatalf("xunit-viewer wrote no page for %s: %v", c.file, err)
			}
		}
	})
}
