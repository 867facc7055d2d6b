package fuzz

import (
	"flag"
	"strconv"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// ShrinkOptions bound Shrink. The zero value is the default.
type ShrinkOptions struct {
	// Seed makes the search deterministic; 0 means 1.
	Seed uint64
	// Checks is how many values are drawn looking for a failing one;
	// 0 means 100.
	Checks int
	// Time bounds the minimization; 0 means 10 seconds.
	Time time.Duration
}

// shrinkMu serializes Shrink: rapid's settings are process-wide flags.
var shrinkMu sync.Mutex

// rapidFlags guards rapid's process-wide flags: Shrink writes them, and
// rapid's Example reads the seed flag on every call (then uses the seed it
// is given), so every Example of this package goes through exampleOf.
var rapidFlags sync.RWMutex

// exampleOf is gen.Example(seed), safe beside a Shrink in another goroutine.
func exampleOf[V any](gen *rapid.Generator[V], seed int64) V {
	rapidFlags.RLock()
	defer rapidFlags.RUnlock()
	return gen.Example(int(seed))
}

// Shrink draws values from gen (deterministically from opts.Seed) until
// failing reports one, then lets rapid minimize it and returns the minimal
// failing value; found is false when no drawn value fails. It works
// outside go test (it calls testing.Init and never writes rapid's fail
// files, nor anything else, into the working directory). Shrink calls are
// serialized; as rapid's settings are process-wide, no rapid.Check may run
// in another goroutine meanwhile (drawing with exampleOf may).
func Shrink[V any](gen *rapid.Generator[V], failing func(V) bool, opts ShrinkOptions) (minimal V, found bool) {
	shrinkMu.Lock()
	defer shrinkMu.Unlock()
	restore := rapidSettings(opts)
	defer restore()
	tb := &quietTB{}
	rapid.Check(tb, func(t *rapid.T) {
		v := gen.Draw(t, "value")
		if failing(v) {
			minimal, found = v, true // the last failing draw is rapid's final, minimal replay
			t.Fail()
		}
	})
	return minimal, found
}

// rapidSettings sets rapid's flags for one Shrink and returns a function
// restoring them. Outside go test it first registers the testing flags
// (rapid calls testing.Short) and marks the flag set parsed.
func rapidSettings(opts ShrinkOptions) (restore func()) {
	testing.Init()
	if !flag.Parsed() {
		_ = flag.CommandLine.Parse(nil)
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Checks <= 0 {
		opts.Checks = 100
	}
	if opts.Time <= 0 {
		opts.Time = 10 * time.Second
	}
	want := map[string]string{
		"rapid.seed":       strconv.FormatUint(opts.Seed, 10),
		"rapid.checks":     strconv.Itoa(opts.Checks),
		"rapid.shrinktime": opts.Time.String(),
		"rapid.nofailfile": "true",
		"rapid.failfile":   "",
		"rapid.v":          "false",
		"rapid.log":        "false",
	}
	rapidFlags.Lock()
	defer rapidFlags.Unlock()
	old := map[string]string{}
	for name, v := range want {
		if f := flag.Lookup(name); f != nil && f.Value.String() != v {
			old[name] = f.Value.String()
			_ = f.Value.Set(v)
		}
	}
	return func() {
		rapidFlags.Lock()
		defer rapidFlags.Unlock()
		for name, v := range old {
			_ = flag.Lookup(name).Value.Set(v)
		}
	}
}

// quietTB is the rapid.TB Shrink runs under: it records failure and
// discards output, and never stops the goroutine.
type quietTB struct {
	mu     sync.Mutex
	failed bool
}

func (q *quietTB) fail() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.failed = true
}

// Helper does nothing.
func (*quietTB) Helper() {}

// Name names the run; rapid would name fail files after it.
func (*quietTB) Name() string { return "acsconform-shrink" }

// Logf discards output.
func (*quietTB) Logf(string, ...any) {}

// Log discards output.
func (*quietTB) Log(...any) {}

// Skipf does nothing.
func (*quietTB) Skipf(string, ...any) {}

// Skip does nothing.
func (*quietTB) Skip(...any) {}

// SkipNow does nothing.
func (*quietTB) SkipNow() {}

// Errorf records failure.
func (q *quietTB) Errorf(string, ...any) { q.fail() }

// Error records failure.
func (q *quietTB) Error(...any) { q.fail() }

// Fatalf records failure.
func (q *quietTB) Fatalf(string, ...any) { q.fail() }

// Fatal records failure.
func (q *quietTB) Fatal(...any) { q.fail() }

// FailNow records failure.
func (q *quietTB) FailNow() { q.fail() }

// Fail records failure.
func (q *quietTB) Fail() { q.fail() }

// Failed reports whether a failure was recorded.
func (q *quietTB) Failed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.failed
}
