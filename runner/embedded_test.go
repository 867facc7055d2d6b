package runner

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/acsconform/acsconform/wire"
)

// validRequest is a request the docs accept for op, with name making the
// user unique.
func validRequest(op string, target Target, name string) wire.Request {
	switch op {
	case "ram":
		return wire.Request{Op: op, Params: map[string]string{"UserName": name}}
	case "eds-user":
		return wire.Request{Op: op, Lists: map[string][]map[string]string{"Users": {{"EndUserId": name}}}}
	}
	return wire.Request{Op: op, Params: map[string]string{
		"InstanceId": target.BastionhostInstance, "Source": "Local", "UserName": name, "Password": "Passw0rd!x",
	}}
}

func startEmbedded(t *testing.T, ctx context.Context) (Target, func() error) {
	t.Helper()
	target, stop, err := StartEmbedded(ctx)
	if err != nil {
		t.Fatalf("StartEmbedded: %v", err)
	}
	t.Cleanup(func() { stop() })
	return target, stop
}

func TestStartEmbeddedTarget(t *testing.T) {
	a, _ := startEmbedded(t, context.Background())
	b, _ := startEmbedded(t, context.Background())
	if len(a.Accounts) != EmbeddedAccounts || !a.ChecksSignatures || a.BastionhostInstance == "" || a.RAMUserQuota <= 0 {
		t.Errorf("the embedded target declares too little: %d accounts, signatures %v, instance %q, quota %d",
			len(a.Accounts), a.ChecksSignatures, a.BastionhostInstance, a.RAMUserQuota)
	}
	if !strings.HasPrefix(a.URL, "http://127.0.0.1:") || a.URL == b.URL {
		t.Errorf("URLs %s and %s: want two loopback servers", a.URL, b.URL)
	}
	seen := map[string]bool{}
	for _, acct := range append(a.Accounts, b.Accounts...) {
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
	target, _ := startEmbedded(t, context.Background())
	c := newTestClient(t, target)
	for _, id := range []string{"ram", "eds-user", "bastionhost"} {
		op := testOperation(t, id)
		for i, sig := range []wire.Signature{wire.SignV3, wire.SignV1} {
			for acct := range target.Accounts {
				name := "user_" + string(sig) + "_" + string(rune('a'+acct)) + string(rune('a'+i))
				ex := c.Send(context.Background(), op, validRequest(id, target, name), SendOptions{Signature: sig, Account: acct})
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
	target, _ := startEmbedded(t, context.Background())
	c := newTestClient(t, target)
	op := testOperation(t, "ram")
	n := 0
	send := func(opts SendOptions) Exchange {
		n++
		return c.Send(context.Background(), op, validRequest("ram", target, "tamper"+string(rune('a'+n))), opts)
	}
	for _, sig := range []wire.Signature{wire.SignV3, wire.SignV1} {
		if ex := send(SendOptions{Signature: sig}); ex.Status != 200 {
			t.Fatalf("%s: a clean request failed: %d %s", sig, ex.Status, ex.RespBody)
		}
		for _, tamper := range []wire.Tamper{wire.TamperWrongSignature, wire.TamperExpiredTimestamp, wire.TamperReusedNonce, wire.TamperUnsigned, wire.TamperUnknownAccessKey} {
			if ex := send(SendOptions{Signature: sig, Tamper: tamper}); ex.Status < 400 || ex.Status > 499 {
				t.Errorf("%s %s: status %d %s, want a 4xx", sig, tamper, ex.Status, ex.RespBody)
			}
		}
	}
	if ex := send(SendOptions{Signature: wire.SignNone}); ex.Status < 400 || ex.Status > 499 {
		t.Errorf("unsigned: status %d %s, want a 4xx from a target that checks signatures", ex.Status, ex.RespBody)
	}
}

func TestEmbeddedStops(t *testing.T) {
	target, stop := startEmbedded(t, context.Background())
	c := newTestClient(t, Target{URL: target.URL, Accounts: target.Accounts, Timeout: time.Second})
	if err := stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if err := stop(); err != nil {
		t.Errorf("a second stop: %v", err)
	}
	if ex := c.Send(context.Background(), testOperation(t, "ram"), wire.Request{}, SendOptions{}); ex.Err == "" {
		t.Errorf("the stopped emulator answered %d", ex.Status)
	}

	ctx, cancel := context.WithCancel(context.Background())
	target, _ = startEmbedded(t, ctx)
	c = newTestClient(t, Target{URL: target.URL, Accounts: target.Accounts, Timeout: time.Second})
	cancel()
	for i := 0; ; i++ {
		ex := c.Send(context.Background(), testOperation(t, "ram"), wire.Request{}, SendOptions{})
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
	if _, _, err := StartEmbeddedWith(context.Background(), []string{"no-such-fault"}); err == nil || !strings.Contains(err.Error(), "no-such-fault") {
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
		target, stop, err := StartEmbeddedWith(context.Background(), tc.faults)
		if err != nil {
			t.Fatalf("StartEmbeddedWith(%v): %v", tc.faults, err)
		}
		c := newTestClient(t, target)
		op := testOperation(t, "ram")
		c.Send(context.Background(), op, validRequest("ram", target, "twice"), SendOptions{})
		if ex := c.Send(context.Background(), op, validRequest("ram", target, "twice"), SendOptions{}); ex.Status != tc.want {
			t.Errorf("faults %v: second create answered %d %s, want %d (%s)", tc.faults, ex.Status, ex.RespBody, tc.want, tc.reason)
		}
		stop()
	}
}
