package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// validRequest is a request the docs accept for op, with name making the
// user unique.
func validRequest(op string, target embeddedTarget, name string) wire.Request {
	switch op {
	case "ram":
		return wire.Request{Op: op, Params: map[string]string{"UserName": name}}
	case "eds-user":
		return wire.Request{Op: op, Lists: map[string][]map[string]string{"Users": {{"EndUserId": name}}}}
	}
	return wire.Request{Op: op, Params: map[string]string{
		"InstanceId": target.declared.Values[specs.RuleExists][0], "Source": "Local", "UserName": name, "Password": "Passw0rd!x",
	}}
}

func startTestEmbedded(t *testing.T, ctx context.Context) (embeddedTarget, func() error) {
	t.Helper()
	target, stop, err := startEmbedded(ctx, nil)
	if err != nil {
		t.Fatalf("startEmbedded: %v", err)
	}
	t.Cleanup(func() { stop() })
	return target, stop
}

func TestStartEmbeddedTarget(t *testing.T) {
	a, _ := startTestEmbedded(t, context.Background())
	b, _ := startTestEmbedded(t, context.Background())
	instances, quota := a.declared.Values[specs.RuleExists], a.declared.Limits[specs.RuleQuota]
	if len(a.target.Accounts) != embeddedAccounts || !a.target.ChecksSignatures || len(instances) == 0 || quota <= 0 {
		t.Errorf("the embedded target declares too little: %d accounts, signatures %v, instances %q, quota %d",
			len(a.target.Accounts), a.target.ChecksSignatures, instances, quota)
	}
	if !strings.HasPrefix(a.target.URL, "http://127.0.0.1:") || a.target.URL == b.target.URL {
		t.Errorf("URLs %s and %s: want two loopback servers", a.target.URL, b.target.URL)
	}
	seen := map[string]bool{}
	for _, acct := range append(a.target.Accounts, b.target.Accounts...) {
		if acct.AccessKeySecret == "" || seen[acct.AccessKeyID] || seen[acct.AccessKeySecret] {
			t.Errorf("account %s: empty or repeated key or secret", acct.AccessKeyID)
		}
		seen[acct.AccessKeyID], seen[acct.AccessKeySecret] = true, true
	}
}

// TestEmbeddedAcceptsSignedRequests sends a valid request of each operation
// with each signature version and account: the emulator, which verifies
// signatures independently, accepts every one.
func TestEmbeddedAcceptsSignedRequests(t *testing.T) {
	target, _ := startTestEmbedded(t, context.Background())
	c := newTestClient(t, target.target)
	for _, id := range []string{"ram", "eds-user", "bastionhost"} {
		op := testOperation(t, id)
		for i, sig := range []wire.Signature{wire.SignV3, wire.SignV1} {
			for acct := range target.target.Accounts {
				name := fmt.Sprintf("user_%s_%d_%d", sig, acct, i)
				ex := c.Send(context.Background(), op, validRequest(id, target, name), runner.SendOptions{Signature: sig, Account: acct})
				if ex.Status != 200 || ex.Err != "" {
					t.Errorf("%s %s account %d: status %d %s %s", id, sig, acct, ex.Status, ex.Err, ex.RespBody)
				}
			}
		}
	}
}

// TestEmbeddedRejectsTampers checks that each signature fault is one the
// emulator's independent verifier rejects.
func TestEmbeddedRejectsTampers(t *testing.T) {
	target, _ := startTestEmbedded(t, context.Background())
	c := newTestClient(t, target.target)
	op := testOperation(t, "ram")
	n := 0
	send := func(opts runner.SendOptions) runner.Exchange {
		n++
		return c.Send(context.Background(), op, validRequest("ram", target, "tamper"+string(rune('a'+n))), opts)
	}
	for _, sig := range []wire.Signature{wire.SignV3, wire.SignV1} {
		if ex := send(runner.SendOptions{Signature: sig}); ex.Status != 200 {
			t.Fatalf("%s: a clean request failed: %d %s", sig, ex.Status, ex.RespBody)
		}
		for _, tamper := range []wire.Tamper{wire.TamperWrongSignature, wire.TamperExpiredTimestamp, wire.TamperReusedNonce, wire.TamperUnsigned, wire.TamperUnknownAccessKey} {
			if ex := send(runner.SendOptions{Signature: sig, Tamper: tamper}); ex.Status < 400 || ex.Status > 499 {
				t.Errorf("%s %s: status %d %s, want a 4xx", sig, tamper, ex.Status, ex.RespBody)
			}
		}
	}
	if ex := send(runner.SendOptions{Signature: wire.SignNone}); ex.Status < 400 || ex.Status > 499 {
		t.Errorf("unsigned: status %d %s, want a 4xx from a target that checks signatures", ex.Status, ex.RespBody)
	}
}

func TestEmbeddedStops(t *testing.T) {
	target, stop := startTestEmbedded(t, context.Background())
	c := newTestClient(t, runner.Target{URL: target.target.URL, Accounts: target.target.Accounts, Timeout: time.Second})
	if err := stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if err := stop(); err != nil {
		t.Errorf("a second stop: %v", err)
	}
	if ex := c.Send(context.Background(), testOperation(t, "ram"), wire.Request{}, runner.SendOptions{}); ex.Err == "" {
		t.Errorf("the stopped emulator answered %d", ex.Status)
	}

	ctx, cancel := context.WithCancel(context.Background())
	target, _ = startTestEmbedded(t, ctx)
	c = newTestClient(t, runner.Target{URL: target.target.URL, Accounts: target.target.Accounts, Timeout: time.Second})
	cancel()
	for i := 0; ; i++ {
		ex := c.Send(context.Background(), testOperation(t, "ram"), wire.Request{}, runner.SendOptions{})
		if ex.Err != "" {
			break
		}
		if i == 100 {
			t.Fatal("the emulator still answers 100 requests after its context ended")
		}
		c.Close()
		time.Sleep(20 * time.Millisecond)
	}
}

// TestStartEmbeddedWithFaults checks that the faults reach the emulator (a
// duplicate RAM name is accepted only with ram-duplicate-allowed) and that
// an unknown fault is an error.
func TestStartEmbeddedWithFaults(t *testing.T) {
	if _, _, err := startEmbedded(context.Background(), []string{"no-such-fault"}); err == nil || !strings.Contains(err.Error(), "no-such-fault") {
		t.Errorf("an unknown fault: err %v, want one naming it", err)
	}
	for _, tc := range []struct {
		faults []string
		want   int
		reason string
	}{
		{nil, 409, "the clean emulator refuses a taken RAM name"},
		{[]string{"ram-duplicate-allowed"}, 200, "the fault switches the uniqueness rule off"},
	} {
		target, stop, err := startEmbedded(context.Background(), tc.faults)
		if err != nil {
			t.Fatalf("startEmbedded(%v): %v", tc.faults, err)
		}
		c := newTestClient(t, target.target)
		op := testOperation(t, "ram")
		c.Send(context.Background(), op, validRequest("ram", target, "twice"), runner.SendOptions{})
		if ex := c.Send(context.Background(), op, validRequest("ram", target, "twice"), runner.SendOptions{}); ex.Status != tc.want {
			t.Errorf("faults %v: second create answered %d %s, want %d (%s)", tc.faults, ex.Status, ex.RespBody, tc.want, tc.reason)
		}
		stop()
	}
}

// newTestClient is a client of target, closed with the test.
func newTestClient(t *testing.T, target runner.Target) *runner.Client {
	t.Helper()
	c, err := runner.NewClient(target)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// testOperation is the model's operation id.
func testOperation(t *testing.T, id string) *specs.Operation {
	t.Helper()
	m, err := specs.Load()
	if err != nil {
		t.Fatal(err)
	}
	op, ok := m.Operation(id)
	if !ok {
		t.Fatalf("no operation %s", id)
	}
	return op
}
