package main

import (
	"runtime"
	"testing"

	"gotest.tools/v3/assert"
)

func TestGCPercentLeavesTheHeadroomOrGOGC100(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, maxGCPercent},
		{1 * mb, maxGCPercent}, // 3,200 capped
		{4 * mb, 800},          // 4 MB + 32 MB
		{8 * mb, 400},
		{32 * mb, 100},
		{64 * mb, 100}, // GOGC=100 leaves more than the headroom
	} {
		assert.Equal(t, gcPercentFor(c.live, 32*mb), c.want, "live %d MB", c.live/mb)
	}
}

func TestHeadroomOnlyForCampaignsAndUntunedRuntimes(t *testing.T) {
	none := func(string) string { return "" }
	set := func(name string) func(string) string {
		return func(k string) string {
			if k == name {
				return "200"
			}
			return ""
		}
	}
	assert.Assert(t, !headroomWanted(nil, none))
	assert.Assert(t, !headroomWanted([]string{"serve"}, none), "a long-lived server keeps the runtime's default")
	assert.Assert(t, !headroomWanted([]string{"run"}, set("GOGC")), "the user's GOGC wins")
	assert.Assert(t, !headroomWanted([]string{"mutation"}, set("GOMEMLIMIT")), "the user's GOMEMLIMIT wins")
	assert.Assert(t, !headroomWanted([]string{"bench"}, none), "bench starts it after measuring the emulator alone")
	for _, cmd := range []string{"run", "replay", "mutation"} {
		assert.Assert(t, headroomWanted([]string{cmd, "--seed", "1"}, none), cmd)
	}
}

func TestHeadroomKeeperSetsGOGCForTheLiveHeap(t *testing.T) {
	const mb = 1 << 20
	k := newHeadroomKeeper()
	var set []int
	k.setGCPercent = func(p int) int { set = append(set, p); return 100 }
	k.apply(4 * mb)
	k.apply(4 * mb) // set already
	k.apply(64 * mb)
	assert.DeepEqual(t, set, []int{800, 100})

	runtime.GC() // the live-heap metric is the last collection's
	k.adjust()
	live := k.sample[0].Value.Uint64()
	assert.Assert(t, live > 0, "the keeper reads the live heap")
	assert.Equal(t, k.percent, gcPercentFor(live, heapHeadroom))
}
