package suites

import (
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
