package specs_test

import (
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/specs"
)

// TestJoinPathInvertsSplitPath: every parameter path of the embedded
// specs splits and joins back to itself.
func TestJoinPathInvertsSplitPath(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	paths := 0
	for _, op := range m.Operations {
		for _, rule := range op.Rules {
			if rule.Param == "" {
				continue
			}
			paths++
			top, field := specs.SplitPath(rule.Param)
			assert.Equal(t, specs.JoinPath(top, field), rule.Param)
		}
	}
	assert.Assert(t, paths > 0)
	assert.Equal(t, specs.JoinPath("Users", "Email"), "Users[].Email")
	assert.Equal(t, specs.JoinPath("UserName", ""), "UserName")
}
