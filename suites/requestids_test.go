package suites

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gotest.tools/v3/assert"
)

func TestRequestIDsFindRepeatsAcrossOperations(t *testing.T) {
	ids := newRequestIDs([]string{"ram", "eds-user"})
	ids.add("ram", "A")
	ids.add("ram", "B")
	ids.add("eds-user", "B")
	ids.add("eds-user", "C")
	ids.add("eds-user", "C")
	ram := ids.repeatedFor("ram")
	assert.Equal(t, len(ram), 1, "only B is repeated among ram's IDs")
	assert.DeepEqual(t, ram[0], repeatedID{id: "B", count: 2, ops: []string{"ram", "eds-user"}}, cmp.AllowUnexported(repeatedID{}))
	eds := ids.repeatedFor("eds-user")
	assert.Equal(t, len(eds), 2)
	assert.Equal(t, eds[1].id, "C")
}

func TestProgressLine(t *testing.T) {
	line := progressLine(500, 1000, 2*time.Second, false)
	assert.Equal(t, line, "acsconform: 500 of about 1000 exchanges, 250/s, about 2s left\n")
	live := progressLine(1000, 1000, time.Second, true)
	assert.Assert(t, strings.HasPrefix(live, "\racsconform: 1000 of about 1000 exchanges, 1000/s") && !strings.Contains(live, "left"), live)
}

// TestRequestIDsFindRepeatsAmongMany: among many distinct IDs, spread over
// several merges of the buffer, every repeat is found with its count and
// operations, and nothing else is.
func TestRequestIDsFindRepeatsAmongMany(t *testing.T) {
	ids := newRequestIDs([]string{"ram", "eds-user"})
	const n = 5*idBuffer + 17
	id := func(i int) string { return fmt.Sprintf("%08X-0000-4000-8000-%012X", i, i*7919) }
	for i := range n {
		ids.add("ram", id(i))
	}
	ids.add("eds-user", id(3))          // the first one, long merged
	ids.add("ram", id(n-1))             // still in the buffer
	ids.add("ram", id(2*idBuffer))      // merged
	ids.add("eds-user", id(2*idBuffer)) // a third time
	ids.add("other-op", id(n+1))        // an operation outside the run
	ids.add("other-op", id(n+1))        // repeated there only
	ram := ids.repeatedFor("ram")
	want := []repeatedID{
		{id: id(3), count: 2, ops: []string{"ram", "eds-user"}},
		{id: id(2 * idBuffer), count: 3, ops: []string{"ram", "eds-user"}},
		{id: id(n - 1), count: 2, ops: []string{"ram"}},
	}
	sort.Slice(want, func(i, j int) bool { return want[i].id < want[j].id })
	assert.DeepEqual(t, ram, want, cmp.AllowUnexported(repeatedID{}))
	assert.Equal(t, len(ids.repeatedFor("eds-user")), 2)
	assert.Equal(t, len(ids.repeatedFor("other-op")), 0, "an operation outside the run lists nothing")
}

// TestIDSetStaysSorted: hashes added in any order are all found after
// merges, and the merged slice is sorted.
func TestIDSetStaysSorted(t *testing.T) {
	var s idSet
	var hs []uint64
	for i := range uint64(3*idBuffer + 5) {
		h := i * 0x9E3779B97F4A7C15 // scattered
		hs = append(hs, h)
		s.add(h)
	}
	assert.Assert(t, slices.IsSorted(s.sorted), "the merged hashes are sorted")
	for _, h := range hs {
		assert.Assert(t, s.has(h), "hash %x lost", h)
	}
	assert.Assert(t, !s.has(1), "a hash never added is absent")
}

// TestStartLineComesFirst: the start line (planned requests, expected
// duration, budget) is written once the plans are counted, while the
// first requests already go out; the lines of checks that finished or were
// skipped before it are held and follow it, one line per check.
func TestStartLineComesFirst(t *testing.T) {
	target := emulatorTarget(t, nil)
	target.ChecksSignatures = false // signature-required is skipped: its line is written at once
	var out strings.Builder
	res := execute(t, target, Options{Ops: []string{"ram"}, Examples: 3, Progress: &out})
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Assert(t, strings.HasPrefix(lines[0], "acsconform: ") && strings.Contains(lines[0], "requests planned"), "first line: %q", lines[0])
	checks := len(res.Operations[0].Checks)
	var reported []string
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "[") {
			reported = append(reported, l)
		}
	}
	assert.Equal(t, len(reported), checks, "one line per check:\n%s", out.String())
	assert.Assert(t, strings.Contains(out.String(), "signature-required skipped"), out.String())
}
