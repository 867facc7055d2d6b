package suites

import (
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/specs"
)

func TestPacedExamplesDefaultToAFifthOfExamples(t *testing.T) {
	rows := []struct {
		reason string
		opts   Options
		want   int
	}{
		{"the default run: a fifth of 50", Options{}, 10},
		{"a fifth of a multiple of five", Options{Examples: 500}, 100},
		{"a fifth of another number, rounded up", Options{Examples: 51}, 11},
		{"one example stays one", Options{Examples: 1}, 1},
		{"an explicit value is kept", Options{Examples: 50, PacedExamples: 40}, 40},
		{"an explicit value over Examples is kept", Options{Examples: 10, PacedExamples: 30}, 30},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			assert.Equal(t, row.opts.withDefaults().PacedExamples, row.want)
		})
	}
}

// plannedValid is the number of valid cases the engine plans per
// operation under opts: the operation's number of examples.
func plannedValid(t *testing.T, opts Options) (map[string]int, *engine) {
	t.Helper()
	e := planningEngine(t, opts)
	got := map[string]int{}
	for _, r := range e.ops {
		got[r.op.ID] = r.planner.Planned(fuzz.PlanValid)
	}
	return got, e
}

func TestOnlyThePacedOperationTakesPacedExamples(t *testing.T) {
	got, e := plannedValid(t, Options{Examples: 7})
	assert.DeepEqual(t, got, map[string]int{"ram": 7, "eds-user": 7, "bastionhost": 2})
	assert.Equal(t, e.pacedNote(), "; bastionhost paced: 2 cases per plan (--paced-examples)")

	got, _ = plannedValid(t, Options{Examples: 7, PacedExamples: 9})
	assert.DeepEqual(t, got, map[string]int{"ram": 7, "eds-user": 7, "bastionhost": 9})
}

func TestThePacedNoteNamesOnlyPacedOperations(t *testing.T) {
	model, err := specs.Load()
	assert.NilError(t, err)
	e := &engine{opts: Options{}.withDefaults()}
	for _, op := range model.Operations {
		if op.ID != "bastionhost" {
			e.ops = append(e.ops, &opRun{op: op})
		}
	}
	assert.Equal(t, e.pacedNote(), "", "a run without a rate-limited operation says nothing of pacing")
}
