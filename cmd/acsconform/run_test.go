package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/emulator"
)

// noEnv is an empty environment.
func noEnv(string) string { return "" }

// runCLI runs 'acsconform run args...' in-process and returns the exit
// code, stdout and stderr.
func runCLI(t *testing.T, env func(string) string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runWith(context.Background(), args, env, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestRunUsageErrorsExitTwo(t *testing.T) {
	rows := []struct {
		reason string
		env    func(string) string
		args   []string
	}{
		{"an unknown flag is a usage error", noEnv, []string{"--nope"}},
		{"a stray argument is a usage error", noEnv, []string{"extra"}},
		{"a bad --checks regexp is a usage error", noEnv, []string{"--checks", "("}},
		{"a --checks regexp matching no check is a usage error", noEnv, []string{"--checks", "^nothing$"}},
		{"an unknown signature version is a usage error", noEnv, []string{"--signature", "v2"}},
		{"zero examples is a usage error", noEnv, []string{"--examples", "0"}},
		{"a zero shrink budget is a usage error (--shrink=false turns shrinking off)", noEnv, []string{"--shrink-budget", "0"}},
		{"an account without a secret is a usage error", noEnv, []string{"--account", "AK"}},
		{"an endpoint without a URL is a usage error", noEnv, []string{"--endpoint", "ram"}},
		{"an unknown operation is a setup error", noEnv, []string{"--ops", "ecs"}},
		{"a named target without credentials is a setup error", noEnv, []string{"--target", "http://127.0.0.1:1"}},
		{"a target URL that is not http(s) is a setup error", noEnv, []string{"--target", "ftp://x", "--account", "a:b"}},
		{"an unreachable target is a setup error", noEnv, []string{"--target", "http://127.0.0.1:1", "--account", "a:b"}},
		{"--no-auth without a --target is a usage error: the embedded emulator checks signatures", noEnv, []string{"--no-auth"}},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			code, _, stderr := runCLI(t, row.env, row.args...)
			assert.Equal(t, code, exitUsage, stderr)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			last := lines[len(lines)-1]
			assert.Assert(t, strings.HasPrefix(last, "acsconform run: "), stderr)
			assert.Assert(t, !strings.Contains(stderr, "goroutine "), stderr)
		})
	}
}

func TestRunHelpExitsZero(t *testing.T) {
	code, _, stderr := runCLI(t, noEnv, "-h")
	assert.Equal(t, code, exitOK)
	assert.Assert(t, strings.Contains(stderr, "--bastionhost-instance") || strings.Contains(stderr, "-bastionhost-instance"), stderr)
}

func TestRunEmbeddedCleanExitsZeroAndWritesReports(t *testing.T) {
	dir := t.TempDir()
	junit, report := filepath.Join(dir, "out", "junit.xml"), filepath.Join(dir, "out", "report.json")
	page := filepath.Join(dir, "out", "report.html")
	code, stdout, stderr := runCLI(t, noEnv, "--ops", "ram,eds-user", "--examples", "3",
		"--checks", "^(positive-acceptance|duplicate-rejected|batch-partial-failure)$", "--junit", junit, "--json", report, "--html", page)
	assert.Equal(t, code, exitOK, stdout+stderr)
	assert.Assert(t, strings.Contains(stdout, "PASS"), stdout)
	assert.Assert(t, strings.Contains(stderr, "ram/positive-acceptance passed"), stderr)
	for _, path := range []string{junit, report, page} {
		info, err := os.Stat(path)
		assert.NilError(t, err)
		assert.Assert(t, info.Size() > 0, path)
	}
	var doc map[string]any
	b, _ := os.ReadFile(report)
	assert.NilError(t, json.Unmarshal(b, &doc))
}

func TestRunNoAuthTargetSkipsSignatureChecks(t *testing.T) {
	srv := httptest.NewServer(emulator.New(emulator.Options{NoAuth: true}))
	defer srv.Close()
	report := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr := runCLI(t, noEnv, "--target", srv.URL, "--account", "AK:SECRET", "--no-auth",
		"--ops", "ram", "--checks", "^(signature-required|positive-acceptance)$", "--examples", "3", "--json", report)
	assert.Equal(t, code, exitOK, stdout+stderr)
	var doc struct {
		Operations []struct {
			Checks []struct{ Check, Status, SkipReason string }
		}
	}
	b, err := os.ReadFile(report)
	assert.NilError(t, err)
	assert.NilError(t, json.Unmarshal(b, &doc))
	statuses := map[string]string{}
	for _, c := range doc.Operations[0].Checks {
		statuses[c.Check] = c.Status
	}
	assert.Equal(t, statuses["signature-required"], "skipped", string(b))
	assert.Equal(t, statuses["positive-acceptance"], "passed", string(b))
}

// echoing is a target that answers every request with HTTP 500 and a body
// echoing the whole request back (query, headers and body), recording
// every secret it was sent: signatures and password values.
type echoing struct {
	mu      sync.Mutex
	secrets []string
}

// passwordKey matches the wire keys of password parameters, indexed or not.
var passwordKey = regexp.MustCompile(`(^|\.)Password$`)

func (e *echoing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	e.collect(r, body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(500)
	fmt.Fprintf(w, `{"RequestId":"04F0F334-1335-436C-A1D7-6C044FE73368","Code":"InternalError","Message":%q}`,
		r.URL.RawQuery+" "+r.Header.Get("Authorization")+" "+string(body))
}

// collect records the signature and password values of a request.
func (e *echoing) collect(r *http.Request, body []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, sig, ok := strings.Cut(r.Header.Get("Authorization"), "Signature="); ok {
		e.secrets = append(e.secrets, sig)
	}
	form, _ := url.ParseQuery(string(body))
	for _, vals := range []url.Values{r.URL.Query(), form} {
		for k, vs := range vals {
			if k == "Signature" || passwordKey.MatchString(k) {
				e.secrets = append(e.secrets, vs...)
			}
		}
	}
}

// minEchoed is the shortest secret value looked for in the outputs: shorter
// generated passwords (boundary cases of one or two characters) would match
// ordinary text by chance.
const minEchoed = 8

func TestNoSecretInAnyOutput(t *testing.T) {
	echo := &echoing{}
	srv := httptest.NewServer(echo)
	defer srv.Close()
	secrets := []string{"Sup3rSecretAccessKeyValue-41", "Sup3rSecretAccessKeyValue-42", "Sup3rSecretAccessKeyValue-43", "Sup3rSecretAccessKeyValue-44"}
	var accounts []string
	for i, s := range secrets {
		accounts = append(accounts, "--account", fmt.Sprintf("LTAIsecrettest%d:%s", i, s))
	}
	dir := t.TempDir()
	junit, report, page := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.json"), filepath.Join(dir, "report.html")
	args := append(accounts, "--target", srv.URL, "--html", page,
		"--bastionhost-instance", emulator.DefaultBastionhostInstance, "--examples", "6", "-v",
		"--checks", "^(positive-acceptance|negative-rejection|no-server-error|conditional-required|batch-partial-failure|signature-required)$",
		"--junit", junit, "--json", report)
	code, stdout, stderr := runCLI(t, noEnv, args...)
	assert.Equal(t, code, exitFindings, stderr)
	junitText, err := os.ReadFile(junit)
	assert.NilError(t, err)
	jsonText, err := os.ReadFile(report)
	assert.NilError(t, err)
	htmlText, err := os.ReadFile(page)
	assert.NilError(t, err)
	outputs := map[string]string{"stdout": stdout, "stderr": stderr, "junit": string(junitText), "json": string(jsonText),
		"html": string(htmlText), "html, unescaped": html.UnescapeString(string(htmlText))}
	echo.mu.Lock()
	secrets = append(secrets, echo.secrets...)
	echo.mu.Unlock()
	looked := 0
	for _, s := range secrets {
		if len(s) < minEchoed {
			continue
		}
		looked++
		for name, out := range outputs {
			assert.Assert(t, !strings.Contains(out, s), "%s holds a secret value %q", name, s)
		}
	}
	assert.Assert(t, looked > 10, "the target must have been sent passwords and signatures to look for")
	assert.Assert(t, strings.Contains(stdout, "InternalError"), "the echoed answers must be in the report")
}
