package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// heapHeadroom is the least the heap may grow above its live part before
// the garbage collector runs again, in a command that runs campaigns.
// A campaign's live heap is a few MB and it allocates fast (about 500 MB
// in a one-second ram and eds-user campaign of 4,393 exchanges): at
// GOGC=100 the collector ran every few MB, some 80 times a second, and
// took about a tenth of the CPU. With this much room it runs a few times
// less often, for at most this much more memory; a live heap larger than
// the headroom keeps GOGC=100's room (as much again as is live).
const heapHeadroom = 32 << 20

// maxGCPercent bounds the GOGC the headroom sets, for a near-empty heap.
const maxGCPercent = 1000

// liveHeapMetric is the runtime metric of the heap the last collection
// found live.
const liveHeapMetric = "/gc/heap/live:bytes"

// headroomOnce starts the headroom keeper once per process.
var headroomOnce sync.Once

// campaignCommands are the commands that run campaigns in this process
// from the start. bench starts the headroom itself once it has measured
// the emulator alone, which it measures as serve runs it.
var campaignCommands = map[string]bool{"run": true, "replay": true, "mutation": true}

// headroomWanted reports whether args name a command that runs campaigns
// and the collector is untuned.
func headroomWanted(args []string, getenv func(string) string) bool {
	return len(args) > 0 && campaignCommands[args[0]] && untunedCollector(getenv)
}

// untunedCollector reports whether getenv shows no GOGC or GOMEMLIMIT (a
// user who sets either tunes the collector themselves).
func untunedCollector(getenv func(string) string) bool {
	return getenv("GOGC") == "" && getenv("GOMEMLIMIT") == ""
}

// keepHeapHeadroom gives the garbage collector heapHeadroom of room above
// the live heap from now on, re-set after every collection.
func keepHeapHeadroom() {
	headroomOnce.Do(func() {
		k := newHeadroomKeeper()
		k.adjust()
		k.arm()
	})
}

// newHeadroomKeeper is a keeper that has set nothing yet.
func newHeadroomKeeper() *headroomKeeper {
	return &headroomKeeper{sample: []metrics.Sample{{Name: liveHeapMetric}}, percent: 100, setGCPercent: debug.SetGCPercent}
}

// headroomKeeper re-sets GOGC after each collection.
type headroomKeeper struct {
	sample  []metrics.Sample
	percent int // the GOGC last set
	// setGCPercent sets GOGC: debug.SetGCPercent.
	setGCPercent func(int) int
}

// gcCycle is garbage whose finalizer runs once a collection has found it:
// after every collection, since each finalizer arms the next.
type gcCycle struct{ keeper *headroomKeeper }

// arm makes adjust run after the next collection.
func (k *headroomKeeper) arm() {
	runtime.SetFinalizer(&gcCycle{k}, func(c *gcCycle) {
		c.keeper.adjust()
		c.keeper.arm()
	})
}

// adjust sets GOGC for the live heap the last collection found.
func (k *headroomKeeper) adjust() {
	metrics.Read(k.sample)
	if k.sample[0].Value.Kind() == metrics.KindUint64 {
		k.apply(k.sample[0].Value.Uint64())
	}
}

// apply sets GOGC for live bytes of live heap, unless it is set already.
func (k *headroomKeeper) apply(live uint64) {
	if p := gcPercentFor(live, heapHeadroom); p != k.percent {
		k.setGCPercent(p)
		k.percent = p
	}
}

// gcPercentFor is the GOGC that lets a heap of live bytes grow by at least
// headroom bytes: GOGC=100 (as much again as is live) when that is more,
// at most maxGCPercent.
func gcPercentFor(live, headroom uint64) int {
	if live == 0 {
		return maxGCPercent
	}
	p := headroom * 100 / live
	return int(min(max(p, 100), maxGCPercent))
}
