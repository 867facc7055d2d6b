package emulator

import (
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestConcurrentSameName creates one name from many goroutines at once, for
// each operation: exactly one request wins.
func TestConcurrentSameName(t *testing.T) {
	const workers = 16
	srv := newTestServer(t, Options{})
	tests := []struct {
		reason string
		call   testCall
		won    func(testResponse) bool
	}{
		{"RAM: one 200, the rest EntityAlreadyExists.User", testCall{Op: opRAM, Query: ramUserParams("racer")},
			func(r testResponse) bool { return r.Status == http.StatusOK }},
		{"eds-user: one user created, the rest in FailedUsers", testCall{Op: opEDS, Form: edsForm("racer")},
			func(r testResponse) bool {
				result, _ := r.Body["CreateResult"].(map[string]any)
				created, _ := result["CreatedUsers"].([]any)
				return len(created) == 1
			}},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			if wins := race(t, srv.URL, tt.call, workers, tt.won); wins != 1 {
				t.Fatalf("%d of %d concurrent creates won, want exactly 1", wins, workers)
			}
		})
	}
}

// TestConcurrentBastionhost races Bastionhost creates of one name, as many
// as the rate limit lets through at once: exactly one wins.
func TestConcurrentBastionhost(t *testing.T) {
	srv := newTestServer(t, Options{})
	won := func(r testResponse) bool { return r.Status == http.StatusOK }
	if wins := race(t, srv.URL, testCall{Op: opBastionhost, Query: bastionhostParams("racer")}, bastionhostCalls, won); wins != 1 {
		t.Fatalf("%d concurrent creates won, want exactly 1", wins)
	}
}

// race sends call from n goroutines at once and counts the winners.
func race(t *testing.T, baseURL string, call testCall, n int, won func(testResponse) bool) int {
	t.Helper()
	requests := make([]*http.Request, n)
	for i := range requests {
		requests[i] = call.build(t, baseURL) // each with its own nonce
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		wins  int
		start = make(chan struct{})
	)
	for _, hr := range requests {
		wg.Go(func() {
			<-start
			resp, err := http.DefaultClient.Do(hr)
			if err != nil {
				t.Errorf("send: %v", err)
				return
			}
			defer resp.Body.Close()
			got := readResponse(t, resp)
			if got.Status >= 500 {
				t.Errorf("server error %d: %s", got.Status, got.Raw)
			}
			if won(got) {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	return wins
}

// TestRateLimit drives the Bastionhost limit with a fixed clock: ten calls
// in one second pass (invalid ones count), the eleventh is throttled, the
// throttled call does not count, and a second later calls pass again. RAM
// is not limited.
func TestRateLimit(t *testing.T) {
	var (
		mu  sync.Mutex
		now = time.Now()
	)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv := newTestServer(t, Options{Now: clock})
	for i := 0; i < bastionhostCalls; i++ {
		q := bastionhostParams("rl" + strconv.Itoa(i))
		if i%2 == 1 {
			q["Source"] = "Kerberos" // invalid calls count too
		}
		if got := send(t, srv.URL, testCall{Op: opBastionhost, Query: q}); got.str("Code") == "Throttling.User" {
			t.Fatalf("call %d throttled within the limit", i)
		}
	}
	got := send(t, srv.URL, testCall{Op: opBastionhost, Query: bastionhostParams("rl_over")})
	if got.Status != http.StatusBadRequest || got.str("Code") != "Throttling.User" || got.str("Message") != "Request was denied due to user flow control." {
		t.Fatalf("11th call: got %d %s, want 400 Throttling.User", got.Status, got.Raw)
	}
	if ram := send(t, srv.URL, testCall{Op: opRAM, Query: ramUserParams("not_limited")}); ram.Status != http.StatusOK {
		t.Fatalf("RAM call while Bastionhost is throttled: got %d %s", ram.Status, ram.Raw)
	}
	advance(999 * time.Millisecond)
	if got := send(t, srv.URL, testCall{Op: opBastionhost, Query: bastionhostParams("rl_early")}); got.str("Code") != "Throttling.User" {
		t.Fatalf("call 999ms later: got %d %s, want Throttling.User", got.Status, got.Raw)
	}
	advance(time.Millisecond)
	if got := send(t, srv.URL, testCall{Op: opBastionhost, Query: bastionhostParams("rl_later")}); got.Status != http.StatusOK {
		t.Fatalf("call one second later: got %d %s, want 200", got.Status, got.Raw)
	}
}

// TestCallWindow checks the sliding window on its own.
func TestCallWindow(t *testing.T) {
	base := time.Unix(1700000000, 0)
	at := func(ms int) time.Time { return base.Add(time.Duration(ms) * time.Millisecond) }
	var w callWindow
	tests := []struct {
		reason string
		ms     int
		want   bool
	}{
		{"first call", 0, true},
		{"second call", 100, true},
		{"third call, the limit", 200, true},
		{"fourth within one second of the first", 999, false},
		{"one second after the first", 1000, true},
		{"within one second of the second", 1099, false},
		{"one second after the second", 1100, true},
	}
	for _, tt := range tests {
		if got := w.allow(at(tt.ms), 3, time.Second); got != tt.want {
			t.Errorf("%s (t=%dms): allow = %v, want %v", tt.reason, tt.ms, got, tt.want)
		}
	}
}

// TestNonceCacheForgetsExpired: a nonce is used while a request carrying
// it can pass the timestamp check, and forgotten after.
func TestNonceCacheForgetsExpired(t *testing.T) {
	c := newNonceCache()
	base := time.Unix(1700000000, 0)
	expires := base.Add(MaxClockSkew)
	if !c.remember(1, expires, base) {
		t.Fatal("a new nonce must be new")
	}
	if c.remember(1, expires, base.Add(MaxClockSkew)) {
		t.Fatal("a nonce reused at the last instant its timestamp passes must be refused")
	}
	if !c.remember(2, base.Add(2*MaxClockSkew), base.Add(MaxClockSkew+time.Second)) {
		t.Fatal("another nonce must be new")
	}
	if n := c.len(); n != 1 {
		t.Fatalf("%d nonces remembered after the first expired, want 1", n)
	}
	if !c.remember(1, base.Add(2*MaxClockSkew), base.Add(MaxClockSkew+time.Second)) {
		t.Fatal("an expired nonce must be forgotten")
	}
}

// TestNonceCacheBounded: at most maxNonces are remembered, the oldest
// generation forgotten first, the newest still refused.
func TestNonceCacheBounded(t *testing.T) {
	c := newNonceCache()
	now := time.Unix(1700000000, 0)
	expires := now.Add(MaxClockSkew)
	for i := range uint64(maxNonces + 10) {
		if !c.remember(i, expires, now) {
			t.Fatalf("nonce %d refused as used", i)
		}
	}
	if n := c.len(); n > maxNonces || n <= maxNonces-nonceGeneration {
		t.Fatalf("%d nonces remembered, bound is %d, less a generation of %d at most", n, maxNonces, nonceGeneration)
	}
	if !c.remember(maxNonces+20, expires, now) {
		t.Fatal("a new nonce refused as used")
	}
	if c.remember(maxNonces+9, expires, now) {
		t.Fatal("the newest nonce must still be refused")
	}
	if !c.remember(0, expires, now) {
		t.Fatal("the oldest nonce must be forgotten first beyond the bound")
	}
}
