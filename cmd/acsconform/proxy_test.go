package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/acsconform/acsconform/runner"
)

// TestParseProxy: bad flags are one clear error (exit 2).
func TestParseProxy(t *testing.T) {
	noEnv := func(string) string { return "" }
	tests := []struct {
		reason  string
		args    []string
		wantErr bool
	}{
		{"no flags: the embedded emulator on the default address", nil, false},
		{"every flag", []string{"--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:9", "--account", "AK:S", "--no-auth", "--junit", "j.xml", "--json", "r.json", "--duration", "1s", "--bastionhost-instance", "b-1"}, false},
		{"--account without a secret", []string{"--account", "AK"}, true},
		{"--account twice for one key", []string{"--account", "AK:a", "--account", "AK:b"}, true},
		{"--no-auth without --upstream", []string{"--no-auth"}, true},
		{"an --upstream with a query", []string{"--upstream", "http://127.0.0.1:9/?x=1"}, true},
		{"a negative --duration", []string{"--duration", "-1s"}, true},
		{"--duration not a duration", []string{"--duration", "soon"}, true},
		{"an empty --bastionhost-instance", []string{"--bastionhost-instance", ""}, true},
		{"a stray argument", []string{"now"}, true},
	}
	for _, tt := range tests {
		_, err := parseProxy(tt.args, noEnv, io.Discard)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %v", tt.reason, err, tt.wantErr)
		}
	}
	var stderr bytes.Buffer
	if code := proxyWith(context.Background(), []string{"--account", "AK"}, noEnv, io.Discard, &stderr, nil); code != exitUsage || strings.Count(stderr.String(), "\n") != 1 {
		t.Errorf("bad flag: exit %d, stderr %q; want 2 and one line", code, stderr.String())
	}
}

// TestProxyCommand runs 'acsconform proxy' in front of the embedded
// emulator with a given account, sends one good and one broken request,
// stops it, and reads its reports: exit 1, the finding, no secret.
func TestProxyCommand(t *testing.T) {
	acct := runner.Account{AccessKeyID: "LTAIcmdproxy", AccessKeySecret: "cmd-proxy-secret-not-real"}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	urls := make(chan string, 1)
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- proxyWith(ctx, []string{"--listen", "127.0.0.1:0", "--account", acct.AccessKeyID + ":" + acct.AccessKeySecret,
			"--json", filepath.Join(dir, "r.json"), "--junit", filepath.Join(dir, "j.xml")},
			func(string) string { return "" }, &stdout, &stderr, func(u string) { urls <- u })
	}()
	var base string
	select {
	case base = <-urls:
	case code := <-done:
		t.Fatalf("proxy exited %d before listening: %s", code, stderr.String())
	}
	send := func(query string) int {
		req, _ := http.NewRequest("POST", base+"/?"+query, nil)
		req.Header.Set("x-acs-action", "CreateUser")
		req.Header.Set("x-acs-version", "2015-05-01")
		runner.SignRequestV3(req, nil, acct, time.Now(), "n-"+query)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := send("UserName=cmdproxy"); code != 200 {
		t.Errorf("a valid create through the proxy: HTTP %d", code)
	}
	req, _ := http.NewRequest("POST", base+"/?UserName=cmdproxy2", strings.NewReader("Comments=in-the-body"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("x-acs-action", "CreateUser")
	req.Header.Set("x-acs-version", "2015-05-01")
	runner.SignRequestV3(req, []byte("Comments=in-the-body"), acct, time.Now(), "n-body")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	cancel()
	if code := <-done; code != exitFindings {
		t.Fatalf("exit %d, want 1 (one finding)\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	report, err := os.ReadFile(filepath.Join(dir, "r.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(report, &doc); err != nil {
		t.Fatalf("JSON report: %v", err)
	}
	if !strings.Contains(string(report), `"wire.wrong-place"`) || !strings.Contains(stdout.String(), "request-wire") {
		t.Errorf("the wrong-place finding is missing:\n%s", stdout.String())
	}
	if !strings.Contains(stderr.String(), acct.AccessKeyID) {
		t.Errorf("stderr does not name the AccessKeyId: %s", stderr.String())
	}
	junit, _ := os.ReadFile(filepath.Join(dir, "j.xml"))
	for name, text := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String(), "JSON": string(report), "JUnit": string(junit)} {
		if strings.Contains(text, acct.AccessKeySecret) {
			t.Errorf("%s holds the AccessKeySecret", name)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
