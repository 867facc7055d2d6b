package suites

import (
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/fuzz"
)

func TestTogetherGroupsABurst(t *testing.T) {
	burst := step{Step: fuzz.Step{Together: true}}
	waiting := step{Step: fuzz.Step{Together: true, Wait: 1}}
	alone := step{}
	rows := []struct {
		reason string
		steps  []step
		want   int
	}{
		{"a step not marked goes alone", []step{alone, burst}, 1},
		{"a run of marked steps goes at once", []step{burst, burst, burst, alone}, 3},
		{"a marked step that waits starts a new group", []step{burst, burst, waiting}, 2},
		{"a marked step at the end goes alone", []step{burst}, 1},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) { assert.Equal(t, together(row.steps), row.want) })
	}
}
