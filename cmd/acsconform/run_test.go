package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/reports"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/wire"
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

func TestRunPacedExamplesBelowOneIsOneLine(t *testing.T) {
	rows := []struct {
		reason string
		args   []string
		says   string
	}{
		{"zero on the command line", []string{"--paced-examples", "0"}, "--paced-examples must be at least 1"},
		{"a negative number on the command line", []string{"--paced-examples", "-3"}, "--paced-examples must be at least 1"},
		{"zero in the config file", []string{"--config", writeConfig(t, "paced_examples: 0\n")}, "paced_examples: must be at least 1"},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, noEnv, row.args...)
			assert.Equal(t, code, exitUsage, stdout+stderr)
			singleLine(t, stderr, "acsconform run: ")
			assert.Assert(t, strings.Contains(stderr, row.says), stderr)
		})
	}
}

// reportOf reads the JSON report at path.
func reportOf(t *testing.T, path string) *results.Result {
	t.Helper()
	f, err := os.Open(path)
	assert.NilError(t, err)
	defer f.Close()
	res, err := reports.ReadJSON(f)
	assert.NilError(t, err)
	return res
}

// pasted is the arguments of a command line as a POSIX shell splits it,
// for lines whose quoted words hold no space (the suite's reproducers).
func pasted(t *testing.T, line string) []string {
	t.Helper()
	words := strings.Fields(line)
	assert.Assert(t, len(words) > 2 && words[0] == "acsconform" && words[1] == "run", line)
	args := words[2:]
	for i, w := range args {
		args[i] = strings.Trim(w, "'")
	}
	return args
}

// exchangesOf is the exchanges of every check of a result, by
// OPERATION/CHECK.
func exchangesOf(res *results.Result) map[string]int {
	out := map[string]int{}
	for _, op := range res.Operations {
		for _, c := range op.Checks {
			out[op.Operation+"/"+c.Check] = c.Exchanges
		}
	}
	return out
}

// TestRunPacedExamplesReproduce: the command line of a run names
// --paced-examples only when it is not the default, and pasted it
// regenerates the same cases.
func TestRunPacedExamplesReproduce(t *testing.T) {
	dir := t.TempDir()
	base := []string{"--ops", "ram,bastionhost", "--checks", "^positive-acceptance$", "--examples", "2", "--shrink=false"}
	rows := []struct {
		reason, flags string
		paced         int
	}{
		{"the default is left out", "", 1},
		{"another number is named", "--paced-examples 3", 3},
	}
	sent := make([]int, len(rows))
	for i, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			first, again := filepath.Join(dir, strconv.Itoa(i)+"-first.json"), filepath.Join(dir, strconv.Itoa(i)+"-again.json")
			code, stdout, stderr := runCLI(t, noEnv, append(append(base, strings.Fields(row.flags)...), "--json", first)...)
			assert.Equal(t, code, exitOK, stdout+stderr)
			res := reportOf(t, first)
			assert.Equal(t, res.PacedExamples, row.paced)
			assert.Equal(t, strings.Contains(res.Command, "--paced-examples"), row.flags != "", res.Command)
			assert.Assert(t, strings.Contains(stderr, "bastionhost paced: "+strconv.Itoa(row.paced)+" cases per plan"), stderr)

			code, stdout, stderr = runCLI(t, noEnv, append(pasted(t, res.Command), "--json", again)...)
			assert.Equal(t, code, exitOK, stdout+stderr)
			replayed := reportOf(t, again)
			assert.Equal(t, replayed.PacedExamples, row.paced)
			assert.Equal(t, replayed.Command, res.Command)
			assert.DeepEqual(t, exchangesOf(replayed), exchangesOf(res))
			sent[i] = exchangesOf(res)["bastionhost/positive-acceptance"]
		})
	}
	assert.Assert(t, sent[0] != sent[1], "the paced number must change Bastionhost's cases for the replay to tell: %v", sent)
}

// TestRunReplayOverridesTheConfigsPacedExamples: a --paced-examples at the
// default, which the suite leaves out of its lines, still overrides a
// config file's other value in them.
func TestRunReplayOverridesTheConfigsPacedExamples(t *testing.T) {
	path := writeConfig(t, "examples: 6\npaced_examples: 5\n")
	o, err := parseRun([]string{"--config", path}, noEnv, &bytes.Buffer{})
	assert.NilError(t, err)
	assert.Equal(t, o.suite.PacedExamples, 5)
	assert.Equal(t, o.replay(), "acsconform run --config "+path, "the suite names 5, not the default 2")

	o, err = parseRun([]string{"--config", path, "--paced-examples", "2"}, noEnv, &bytes.Buffer{})
	assert.NilError(t, err)
	assert.Equal(t, o.replay(), "acsconform run --config "+path+" --paced-examples 2")

	o, err = parseRun([]string{"--paced-examples", "2", "--examples", "6"}, noEnv, &bytes.Buffer{})
	assert.NilError(t, err)
	assert.Equal(t, o.replay(), "acsconform run", "without a config the default is left out")
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
// echoing the whole request back (query, headers and body) in turn (per
// action) as JSON (the signature as a "Signature" member too), XML and a form,
// recording the signatures and the password values it was sent.
type echoing struct {
	mu sync.Mutex
	// n counts the requests per action: each operation's first request
	// (the preflight's) gets the JSON echo, which speaks the protocol, so
	// that every operation's traffic follows whatever order they come in.
	n          map[string]int
	signatures []string
	passwords  []string
}

// passwordKey matches the wire keys of password parameters, indexed or not.
var passwordKey = regexp.MustCompile(`(^|\.)Password$`)

func (e *echoing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	sig := e.collect(r, body)
	action := r.Header.Get("x-acs-action") + r.URL.Query().Get("Action")
	e.mu.Lock()
	if e.n == nil {
		e.n = map[string]int{}
	}
	n := e.n[action]
	e.n[action]++
	e.mu.Unlock()
	all := r.URL.RawQuery + " " + r.Header.Get("Authorization") + " " + string(body)
	const id = "04F0F334-1335-436C-A1D7-6C044FE73368"
	switch n % 3 {
	case 0:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(500)
		fmt.Fprintf(w, `{"RequestId":"%s","Code":"InternalError","Signature":%q,"Message":%q}`, id, sig, all)
	case 1:
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(500)
		var msg, sigText bytes.Buffer
		xml.EscapeText(&msg, []byte(all))
		xml.EscapeText(&sigText, []byte(sig))
		fmt.Fprintf(w, `<Error><RequestId>%s</RequestId><Code>InternalError</Code><Signature>%s</Signature><Message>%s</Message></Error>`, id, sigText.String(), msg.String())
	default:
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		w.WriteHeader(500)
		fmt.Fprintf(w, "RequestId=%s&Code=InternalError&Signature=%s&%s&%s", id, url.QueryEscape(sig), r.URL.RawQuery, body)
	}
}

// collect records the signature and password values of a request and
// returns its signature.
func (e *echoing) collect(r *http.Request, body []byte) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	sig := r.URL.Query().Get("Signature")
	if _, v3, ok := strings.Cut(r.Header.Get("Authorization"), "Signature="); ok {
		sig = v3
	}
	if sig != "" {
		e.signatures = append(e.signatures, sig)
	}
	form, _ := url.ParseQuery(string(body))
	for _, vals := range []url.Values{r.URL.Query(), form} {
		for k, vs := range vals {
			if passwordKey.MatchString(k) {
				e.passwords = append(e.passwords, vs...)
			}
		}
	}
	return sig
}

// TestNoSecretInAnyOutput greps every output of a run against a target
// that echoes everything it gets, an account secret of 3 characters
// included: no AccessKeySecret or signature appears, in any encoding, while
// generated passwords (test data) do appear in the reproducers.
func TestNoSecretInAnyOutput(t *testing.T) {
	echo := &echoing{}
	srv := httptest.NewServer(echo)
	defer srv.Close()
	secrets := []string{"Zq9", "Sup3rSecretAccessKeyValue-42", "Sup3r/Secret+Access=Key&43", "Sup3rSecretAccessKeyValue-44"}
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
	secrets = append(secrets, echo.signatures...)
	passwords := echo.passwords
	echo.mu.Unlock()
	assert.Assert(t, len(secrets) > 20, "the target must have been sent signatures to look for")
	for _, s := range secrets {
		for name, out := range outputs {
			for _, form := range []string{s, url.QueryEscape(s), wire.PercentEncode(s), strings.ReplaceAll(s, "&", "&amp;"), strings.ReplaceAll(s, "&", `\u0026`)} {
				assert.Assert(t, !strings.Contains(out, form), "%s holds a secret value %q (as %q)", name, s, form)
			}
		}
	}
	assert.Assert(t, strings.Contains(stdout, "InternalError"), "the echoed answers must be in the report")
	shown := 0
	for _, p := range passwords {
		if len(p) >= 8 && strings.Contains(string(jsonText), p) && strings.Contains(stdout, wire.PercentEncode(p)) {
			shown++
		}
	}
	assert.Assert(t, shown > 0, "generated passwords are test data: the reproducers must show them (%d sent)", len(passwords))
}

func TestRunRefusesBeforeAnyRequest(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	assert.NilError(t, os.WriteFile(blocker, nil, 0o644))
	rows := []struct {
		reason string
		args   []string
		says   string
	}{
		{"a target URL with user information: credentials go in --account", []string{"--target", "http://ak:sk@127.0.0.1:1"}, "--account"},
		{"a target URL with a fragment", []string{"--target", "http://127.0.0.1:1/#x"}, "fragment"},
		{"an endpoint URL with user information", []string{"--target", "http://127.0.0.1:1", "--endpoint", "ram=http://ak:sk@127.0.0.1:2"}, "--account"},
		{"one file for two reports", []string{"--junit", filepath.Join(dir, "r.xml"), "--json", filepath.Join(dir, ".", "x", "..", "r.xml")}, "same file"},
		{"a report under a file", []string{"--json", filepath.Join(blocker, "report.json")}, "cannot write report"},
		{"a report that is a directory", []string{"--junit", dir}, "directory"},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, noEnv, append(row.args, "--account", "a:b")...)
			assert.Equal(t, code, exitUsage, stdout+stderr)
			assert.Equal(t, strings.Count(strings.TrimSpace(stderr), "\n"), 0, "one line before any request: %s", stderr)
			assert.Assert(t, strings.Contains(stderr, row.says), stderr)
			assert.Assert(t, !strings.Contains(stderr, "sk@"), "the secret of the URL is repeated: %s", stderr)
		})
	}
	_, err := os.Stat(filepath.Join(dir, "r.xml"))
	assert.Assert(t, os.IsNotExist(err), "a refused run leaves no report file behind")
}
