package specs_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/acsconform/acsconform/specs"
)

// TestAmbiguityAnswers: eds-user.account-user-limit carries the answer of
// its refusing reading, and an answer that is not an error is refused.
func TestAmbiguityAnswers(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	op, ok := m.Operation("eds-user")
	assert.Assert(t, ok)
	a, ok := op.Ambiguity("eds-user.account-user-limit")
	assert.Assert(t, ok)
	assert.DeepEqual(t, a.Answers, []specs.Outcome{{Status: 400, Code: "INTERNAL_ERROR"}})

	fsys := sourcesFS()
	src := string(fsys["eds-user.yaml"].Data)
	answer := "answers:\n            - {status: 400, code: INTERNAL_ERROR}\n"
	assert.Equal(t, strings.Count(src, answer), 1)
	fsys["eds-user.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(src, answer, "answers:\n            - {accept: true}\n", 1))}
	_, err = specs.LoadFS(fsys)
	assert.Check(t, is.ErrorContains(err, "eds-user.account-user-limit answers"))
}
