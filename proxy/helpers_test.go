package proxy_test

import (
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/proxy"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// testAccount is the account the test emulator and proxy share (a test
// credential, not a secret).
var testAccount = runner.Account{AccessKeyID: "LTAIproxytest", AccessKeySecret: "proxy-test-secret-not-real-0"}

// gate is an emulator behind a proxy, and what the proxy observed.
type gate struct {
	proxy *proxy.Proxy
	url   string // the proxy's base URL
	mu    sync.Mutex
	seen  []proxy.Observed
}

// startGate starts the reference emulator with testAccount, and the proxy
// in front of it, both on loopback, closed when the test ends.
func startGate(t testing.TB, opts proxy.Options) *gate {
	t.Helper()
	return startGateWith(t, opts, emulator.Options{})
}

// startGateWith is startGate with the emulator's options (its accounts
// are set to testAccount).
func startGateWith(t testing.TB, opts proxy.Options, eopts emulator.Options) *gate {
	t.Helper()
	eopts.Accounts = map[string]string{testAccount.AccessKeyID: testAccount.AccessKeySecret}
	emu, err := emulator.Start(eopts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emu.Close() })
	g := &gate{}
	opts.Upstream = emu.URL()
	opts.Accounts = []runner.Account{testAccount}
	opts.Fresh = true
	opts.Declared = specs.Declarations{}
	opts.Declared.Declare(specs.RuleExists, emu.Emulator.BastionhostInstances()...)
	opts.Observe = func(o proxy.Observed) {
		g.mu.Lock()
		g.seen = append(g.seen, o)
		g.mu.Unlock()
	}
	g.proxy, err = proxy.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g.proxy)
	t.Cleanup(srv.Close)
	g.url = srv.URL
	return g
}

// take returns what the proxy observed since the last take.
func (g *gate) take() []proxy.Observed {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := g.seen
	g.seen = nil
	return out
}

// ruleIDs are the "check rule" pairs of findings.
func ruleIDs(fs []results.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Check+" "+f.Rule)
	}
	return out
}
