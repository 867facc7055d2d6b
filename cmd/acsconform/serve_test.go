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

// TestServeAnswers reads --answer (OP:CODE[:NTH[:PARAM=VALUE]], checked
// against the documented answers), the quotas, and --list-answers.
func TestServeAnswers(t *testing.T) {
	noEnv := func(string) string { return "" }
	tests := []struct {
		reason string
		arg    string
		want   emulator.ForcedAnswer
		bad    bool
	}{
		{"every request", "ram:LimitExceeded.User", emulator.ForcedAnswer{Operation: "ram", Code: "LimitExceeded.User"}, false},
		{"the first request only", "bastionhost:Throttling.User:1", emulator.ForcedAnswer{Operation: "bastionhost", Code: "Throttling.User", Nth: 1}, false},
		{"a value holding colons", "eds-user:INTERNAL_ERROR:0:AutoLockTime=a:b", emulator.ForcedAnswer{Operation: "eds-user", Code: "INTERNAL_ERROR", Param: "AutoLockTime", Value: "a:b"}, false},
		{"an empty value", "ram:InternalError:2:Comments=", emulator.ForcedAnswer{Operation: "ram", Code: "InternalError", Nth: 2, Param: "Comments"}, false},
		{"no code", "ram", emulator.ForcedAnswer{}, true},
		{"an unknown operation", "sts:InternalError", emulator.ForcedAnswer{}, true},
		{"a code of another operation", "ram:UserAlreadyExists", emulator.ForcedAnswer{}, true},
		{"a negative NTH", "ram:InternalError:-1", emulator.ForcedAnswer{}, true},
		{"a match without =", "ram:InternalError:0:UserName", emulator.ForcedAnswer{}, true},
	}
	for _, tt := range tests {
		opts, err := parseServe([]string{"--answer", tt.arg}, noEnv, io.Discard)
		if (err != nil) != tt.bad {
			t.Errorf("%s: --answer %s: err %v, want error %v", tt.reason, tt.arg, err, tt.bad)
			continue
		}
		if !tt.bad && (len(opts.Answers) != 1 || opts.Answers[0] != tt.want) {
			t.Errorf("%s: --answer %s: %+v, want %+v", tt.reason, tt.arg, opts.Answers, tt.want)
		}
	}
	opts, err := parseServe([]string{"--eds-user-quota", "3", "--bastionhost-user-quota", "4"}, noEnv, io.Discard)
	if err != nil || opts.EDSUserQuota != 3 || opts.BastionhostUserQuota != 4 {
		t.Errorf("quotas: %d %d, err %v", opts.EDSUserQuota, opts.BastionhostUserQuota, err)
	}
	if _, err := parseServe([]string{"--eds-user-quota", "0"}, noEnv, io.Discard); err == nil {
		t.Error("--eds-user-quota 0: no error")
	}
	var out, errOut strings.Builder
	want := 0
	for _, op := range emulator.Operations() {
		want += len(emulator.DocumentedErrors(op))
	}
	if code := cmdServe([]string{"--list-answers"}, &out, &errOut); code != exitOK || strings.Count(out.String(), "\n") != want ||
		!strings.Contains(out.String(), "bastionhost\tUserAlreadyExists\t400\t") {
		t.Errorf("--list-answers: exit %d, %d lines for %d answers:\n%s", code, strings.Count(out.String(), "\n"), want, out.String())
	}
}

// TestServeForcedAnswer serves with --answer and checks that an unsigned
// request of the operation gets the forced answer, in XML when asked.
func TestServeForcedAnswer(t *testing.T) {
	opts, err := parseServe([]string{"--addr", "127.0.0.1:0", "--answer", "ram:EntityAlreadyExists.User"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	resp, err := http.Get(srv.URL() + "/?Action=CreateUser&Version=2015-05-01&UserName=x&Format=XML")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(body), "<Code>EntityAlreadyExists.User</Code>") {
		t.Fatalf("forced answer: %d %s", resp.StatusCode, body)
	}
}
