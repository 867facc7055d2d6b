package runner

import (
	"context"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// fakeClock is a settable clock for the pacer's schedule.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func fakePacer() (*Pacer, *fakeClock) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := NewPacer()
	p.now = clock.now
	return p, clock
}

// reserveAll takes n slots of op for account concurrently and returns them sorted.
func reserveAll(t *testing.T, p *Pacer, op *specs.Operation, account string, n int) []time.Time {
	t.Helper()
	gap, _ := PacedInterval(op)
	var mu sync.Mutex
	var slots []time.Time
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at, wait, err := p.reserve(context.Background(), laneKey(op, account), gap, op.RateLimit.Per)
			if err != nil || wait != nil {
				t.Errorf("reserve: %v (wait %v)", err, wait != nil)
				return
			}
			mu.Lock()
			slots = append(slots, at)
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Slice(slots, func(i, j int) bool { return slots[i].Before(slots[j]) })
	return slots
}

// TestPacerHalfRate checks the documented limit of the specs' operation:
// no window of length Per, its ends included, holds more than Calls paced
// calls: the documented rate is kept under every reading of the limit.
func TestPacerKeepsTheDocumentedRate(t *testing.T) {
	op := testOperation(t, "bastionhost")
	rl := op.RateLimit
	if rl == nil {
		t.Fatal("the bastionhost spec documents no rate limit")
	}
	p, _ := fakePacer()
	slots := reserveAll(t, p, op, "a", 4*rl.Calls)
	for i := range slots {
		if i > 0 && !slots[i].After(slots[i-1]) {
			t.Fatalf("slots %d and %d coincide at %v", i-1, i, slots[i])
		}
		in := 0
		for _, s := range slots[i:] {
			if s.Sub(slots[i]) <= rl.Per {
				in++
			}
		}
		if in > rl.Calls {
			t.Errorf("%d calls within %v from slot %d, want at most %d", in, rl.Per, i, rl.Calls)
		}
	}
}

// TestPacerSlowsDownWhenThrottled: a throttled lane waits a whole period,
// then goes at half the rate, down to an eighth; another lane is not slowed.
func TestPacerSlowsDownWhenThrottled(t *testing.T) {
	op := testOperation(t, "bastionhost")
	gap, _ := PacedInterval(op)
	p, clock := fakePacer()
	reserveAll(t, p, op, "a", 2)
	throttledAt := clock.now()
	p.Throttled(op, "a")
	after := reserveAll(t, p, op, "a", 2)
	if wait := after[0].Sub(throttledAt); wait < op.RateLimit.Per {
		t.Errorf("the first call after a throttle waits %v, want at least %v", wait, op.RateLimit.Per)
	}
	if got := after[1].Sub(after[0]); got != 2*gap {
		t.Errorf("spacing after one throttle %v, want %v", got, 2*gap)
	}
	for i := 0; i < 5; i++ {
		p.Throttled(op, "a")
	}
	clock.set(clock.now().Add(time.Hour))
	slow := reserveAll(t, p, op, "a", 2)
	if got := slow[1].Sub(slow[0]); got != 8*gap {
		t.Errorf("spacing after many throttles %v, want at most eight times slower: %v", got, 8*gap)
	}
	other := reserveAll(t, p, op, "b", 2)
	if got := other[1].Sub(other[0]); got != gap {
		t.Errorf("another account's spacing %v, want %v", got, gap)
	}
}

// TestPacerRecoversAfterCalmWindows: a slowed lane's rate doubles again
// after recoverWindows windows' worth of paced calls without a throttle,
// step by step, back to the safe rate and no further.
func TestPacerRecoversAfterCalmWindows(t *testing.T) {
	op := testOperation(t, "bastionhost")
	gap, _ := PacedInterval(op)
	calm := recoverWindows * int(op.RateLimit.Per/gap)
	p, _ := fakePacer()
	p.Throttled(op, "a")
	p.Throttled(op, "a")
	spacing := func(n int) time.Duration {
		slots := reserveAll(t, p, op, "a", n)
		return slots[n-1].Sub(slots[n-2])
	}
	if got := spacing(2); got != 4*gap {
		t.Fatalf("spacing after two throttles %v, want %v", got, 4*gap)
	}
	if got := spacing(calm); got != 2*gap {
		t.Errorf("spacing after %d calm calls %v, want %v (one step back)", calm, got, 2*gap)
	}
	if got := spacing(calm + 2); got != gap {
		t.Errorf("spacing after %d more calm calls %v, want the safe %v", calm, got, gap)
	}
	if got := spacing(calm + 2); got != gap {
		t.Errorf("a recovered lane's spacing %v, want the safe %v, never faster", got, gap)
	}
	p.Throttled(op, "a")
	if got := spacing(2); got != 2*gap {
		t.Errorf("a throttle after recovery: spacing %v, want %v", got, 2*gap)
	}
}

func TestPacerLanes(t *testing.T) {
	op := testOperation(t, "bastionhost")
	p, clock := fakePacer()
	a := reserveAll(t, p, op, "a", 3)
	b := reserveAll(t, p, op, "b", 1)
	if op.RateLimit.Scope == "account" && !b[0].Equal(clock.now()) {
		t.Errorf("account b waited behind account a (slot %v, now %v)", b[0], clock.now())
	}
	if !a[0].Equal(clock.now()) {
		t.Errorf("the first call waited (slot %v, now %v)", a[0], clock.now())
	}
}

func TestPacerWithoutRateLimit(t *testing.T) {
	op := &specs.Operation{ID: "free"}
	p := NewPacer()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for i := 0; i < 100; i++ {
		done, err := p.Wait(ctx, op, "a")
		if err != nil {
			t.Fatalf("Wait on an operation without a rate limit: %v", err)
		}
		done()
	}
	if len(p.lanes) != 0 {
		t.Errorf("the pacer keeps state for an unlimited operation: %v", p.lanes)
	}
}

func TestPacerDeadline(t *testing.T) {
	op := testOperation(t, "bastionhost")
	p, clock := fakePacer()
	reserveAll(t, p, op, "a", 3)
	ctx, cancel := context.WithDeadline(context.Background(), clock.now().Add(time.Nanosecond))
	defer cancel()
	if _, err := p.Wait(ctx, op, "a"); err == nil {
		t.Error("Wait took a slot past the context's deadline")
	}
}

// fastOp is a hand-made operation with a short rate limit, so the tests
// that really wait stay short.
func fastOp() *specs.Operation {
	return &specs.Operation{ID: "fast", RateLimit: &specs.RateLimit{Calls: 100, Per: 100 * time.Millisecond, Scope: "account"}}
}

func shortCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	t.Cleanup(cancel)
	return ctx
}

// TestPacerBurst checks the exclusion between bursts and paced calls, and
// the quiet period after a burst.
func TestPacerBurst(t *testing.T) {
	op := fastOp()
	p, clock := fakePacer()
	ctx := context.Background()

	paced, err := p.Wait(ctx, op, "a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Burst(shortCtx(t), op, "a"); err == nil {
		t.Fatal("a burst started while a paced call was in flight")
	}
	paced()

	burst, err := p.Burst(ctx, op, "a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Wait(shortCtx(t), op, "a"); err == nil {
		t.Fatal("a paced call went out during a burst")
	}
	other, err := p.Wait(ctx, op, "b")
	if err != nil {
		t.Fatalf("another account's lane is blocked by the burst: %v", err)
	}
	other()
	end := clock.now().Add(time.Hour)
	clock.set(end)
	burst()

	gap, _ := PacedInterval(op)
	at, wait, err := p.reserve(ctx, laneKey(op, "a"), gap, op.RateLimit.Per)
	if err != nil || wait != nil {
		t.Fatalf("reserve after the burst: %v", err)
	}
	if want := end.Add(op.RateLimit.Per); !at.Equal(want) {
		t.Errorf("first paced slot after the burst at %v, want one Per after its end, %v", at, want)
	}
}

func TestSendUsesPacer(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, Target{URL: rec.URL})
	op := testOperation(t, "bastionhost")
	if op.RateLimit == nil {
		t.Fatal("the bastionhost spec documents no rate limit")
	}
	c.Send(context.Background(), op, bastionhostRequest(), SendOptions{Account: 1})
	c.pacer.mu.Lock()
	l := c.pacer.lanes[laneKey(op, testAccounts[1].AccessKeyID)]
	if l == nil || l.next.IsZero() || l.inflight != 0 {
		t.Errorf("Send did not take and release a paced slot: %+v", l)
	}
	if len(c.pacer.lanes) != 1 {
		t.Errorf("Send paced %d lanes, want 1", len(c.pacer.lanes))
	}
	c.pacer.mu.Unlock()
	ex := c.Send(context.Background(), op, wire.Request{}, SendOptions{Burst: true})
	if ex.Err != "" {
		t.Errorf("a burst send failed: %s", ex.Err)
	}
}

func TestSendPacedUntilContextEnds(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, Target{URL: rec.URL})
	op := testOperation(t, "bastionhost")
	burst, err := c.pacer.Burst(context.Background(), op, testAccounts[0].AccessKeyID)
	if err != nil {
		t.Fatal(err)
	}
	defer burst()
	ex := c.Send(shortCtx(t), op, bastionhostRequest(), SendOptions{})
	if !strings.HasPrefix(ex.Err, "runner: waiting for the pacer") || rec.count() != 0 {
		t.Errorf("a paced send during a burst: Err %q, %d sent; want it held back until its context ended", ex.Err, rec.count())
	}
}
