package reports

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
)

// chromium finds the browser the page test renders with: $CHROMIUM, else
// chromium or chromium-browser on PATH.
func chromium(t *testing.T) string {
	t.Helper()
	names := []string{"chromium", "chromium-browser"}
	if env := os.Getenv("CHROMIUM"); env != "" {
		names = []string{env}
	}
	for _, name := range names {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Fatalf("headless Chromium is needed to render the HTML report and was not found (%s): `make deps` installs Debian's chromium", strings.Join(names, ", "))
	return ""
}

// TestHTMLRendersInChromium renders a failing run's page in headless
// Chromium, with the network off, and reads the text the browser built:
// the failing rule's ID is on the page.
func TestHTMLRendersInChromium(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	r := richResult()
	assert.Assert(t, r.Failed(), "the fixture is a failing run")
	assert.NilError(t, os.WriteFile(page, htmlBytes(t, r), 0o644))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-dev-shm-usage",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--dump-dom", "file://"+page)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	assert.NilError(t, err, "chromium: %s", stderr.String())

	text := tags.ReplaceAllString(string(dom), " ")
	assert.Assert(t, strings.Contains(text, "ram.UserName.length"), "the page's text lacks the failing rule's ID:\n%s", head(text, 2000))
	for _, want := range []string{
		`id="rule-ram.UserName.length" class="failed"`, // the failing rule's row, as the browser parsed it
		"<code>ram.UserName.length</code>",
		"<summary>",
		"<svg",
	} {
		assert.Assert(t, strings.Contains(string(dom), want), "the rendered page lacks %q:\n%s", want, head(string(dom), 2000))
	}
}

// tags matches an element's tag, to read a page's text.
var tags = regexp.MustCompile(`<[^>]*>`)

// head is the first n bytes of s.
func head(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
