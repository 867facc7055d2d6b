package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/emulator"
)

// TestParseServe reads the serve flags into emulator options.
func TestParseServe(t *testing.T) {
	noEnv := func(string) string { return "" }
	env := func(k string) string {
		return map[string]string{envAccessKeyID: "LTAIenv", envAccessKeySecret: "envsecret"}[k]
	}
	halfEnv := func(k string) string { return map[string]string{envAccessKeyID: "LTAIenv"}[k] }
	tests := []struct {
		reason   string
		args     []string
		env      func(string) string
		accounts map[string]string
		quota    int
		wantErr  bool
	}{
		{"no flags, no variables: the default test account", nil, noEnv, map[string]string{}, emulator.DefaultRAMUserQuota, false},
		{"no flags: the variables' account", nil, env, map[string]string{"LTAIenv": "envsecret"}, emulator.DefaultRAMUserQuota, false},
		{"--account wins over the variables", []string{"--account", "AK1:s1", "--account", "AK2:s:2"}, env, map[string]string{"AK1": "s1", "AK2": "s:2"}, emulator.DefaultRAMUserQuota, false},
		{"--ram-user-quota", []string{"--ram-user-quota", "5"}, noEnv, map[string]string{}, 5, false},
		{"only one variable set", nil, halfEnv, nil, 0, true},
		{"--account without a secret", []string{"--account", "AK1"}, noEnv, nil, 0, true},
		{"--account given twice for one key", []string{"--account", "AK1:a", "--account", "AK1:b"}, noEnv, nil, 0, true},
		{"--ram-user-quota 0", []string{"--ram-user-quota", "0"}, noEnv, nil, 0, true},
		{"--ram-user-quota not a number", []string{"--ram-user-quota", "many"}, noEnv, nil, 0, true},
		{"an empty --bastionhost-instance", []string{"--bastionhost-instance", ""}, noEnv, nil, 0, true},
		{"an unknown flag", []string{"--port", "80"}, noEnv, nil, 0, true},
		{"a stray argument", []string{"now"}, noEnv, nil, 0, true},
	}
	for _, tt := range tests {
		opts, err := parseServe(tt.args, tt.env, io.Discard)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %v", tt.reason, err, tt.wantErr)
			continue
		}
		if tt.wantErr {
			continue
		}
		if !equalMaps(opts.Accounts, tt.accounts) || opts.RAMUserQuota != tt.quota {
			t.Errorf("%s: accounts %v quota %d, want %v %d", tt.reason, opts.Accounts, opts.RAMUserQuota, tt.accounts, tt.quota)
		}
	}
}

// equalMaps reports whether a and b hold the same entries.
func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestServeHelp prints the usage on stdout and exits 0.
func TestServeHelp(t *testing.T) {
	var out, errOut strings.Builder
	if code := cmdServe([]string{"-h"}, &out, &errOut); code != exitOK || !strings.Contains(out.String(), "--bastionhost-instance") {
		t.Fatalf("exit %d, stdout %q", code, out.String())
	}
	if strings.Contains(out.String(), emulator.DefaultAccessKeySecret) {
		t.Fatal("the usage shows a secret")
	}
}

// TestServeBadFlag answers bad input with one line on stderr and exit 2.
func TestServeBadFlag(t *testing.T) {
	var out, errOut strings.Builder
	code := cmdServe([]string{"--ram-user-quota", "-1"}, &out, &errOut)
	if code != exitUsage || strings.Count(errOut.String(), "\n") != 1 {
		t.Fatalf("exit %d, stderr %q; want exit %d and one line", code, errOut.String(), exitUsage)
	}
}

// TestServe starts the emulator, reads the announced endpoint, sends it a
// request and stops it by cancelling the context.
func TestServe(t *testing.T) {
	opts, err := parseServe([]string{"--addr", "127.0.0.1:0", "--account", "AK1:topsecret", "--bastionhost-instance", "bh-1"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, opts, w) }()
	out := bufio.NewReader(r)
	line, err := out.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(line, "topsecret") || !strings.Contains(line, "AK1") || !strings.Contains(line, "bh-1") {
		t.Fatalf("announcement %q: want AK1 and bh-1, no secret", line)
	}
	url := strings.Fields(strings.SplitAfter(line, "listening on ")[1])[0]
	resp, err := http.Get(url + "/?Action=CreateUser&Version=2015-05-01&UserName=x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("unsigned request: got %d, want 400 IncompleteSignature", resp.StatusCode)
	}
	cancel()
	if last, _ := out.ReadString('\n'); last != "acsconform emulator stopped\n" {
		t.Errorf("after cancel: printed %q, want the stop line", last)
	}
	if err := <-done; err != nil {
		t.Fatalf("serve returned %v after cancel, want nil", err)
	}
}

// TestServeAddrInUse reports a busy address as an error.
func TestServeAddrInUse(t *testing.T) {
	srv, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	err = serve(context.Background(), emulator.Options{Addr: srv.Addr()}, io.Discard)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		t.Fatalf("serve on a busy address: err = %v, want an error", err)
	}
}

// TestServeFaults reads --fault (repeatable, checked against the known
// names) and --list-faults.
func TestServeFaults(t *testing.T) {
	noEnv := func(string) string { return "" }
	opts, err := parseServe([]string{"--fault", "throttle-429", "--fault", "ram.UserName.max-length"}, noEnv, io.Discard)
	if err != nil || strings.Join(opts.Faults, " ") != "throttle-429 ram.UserName.max-length" {
		t.Errorf("two --fault flags: faults %v, err %v", opts.Faults, err)
	}
	var out, errOut strings.Builder
	if code := cmdServe([]string{"--fault", "no-such-fault"}, &out, &errOut); code != exitUsage || !strings.Contains(errOut.String(), `unknown fault "no-such-fault"`) {
		t.Errorf("an unknown fault: exit %d, stderr %q; want exit %d naming it", code, errOut.String(), exitUsage)
	}
	out.Reset()
	if code := cmdServe([]string{"--list-faults"}, &out, &errOut); code != exitOK || strings.Count(out.String(), "\n") != len(emulator.Faults()) {
		t.Errorf("--list-faults: exit %d, %d lines for %d faults", code, strings.Count(out.String(), "\n"), len(emulator.Faults()))
	}
}
