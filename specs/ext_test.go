package specs

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

// TestReadmeDocumentsRuleKeys: specs/README.md shows every key a rule
// entry of x-acs-rules may hold, in the example or in backquotes.
func TestReadmeDocumentsRuleKeys(t *testing.T) {
	b, err := os.ReadFile("README.md")
	assert.NilError(t, err)
	readme := string(b)
	typ := reflect.TypeFor[ruleSpec]()
	for i := range typ.NumField() {
		key := typ.Field(i).Tag.Get("json")
		assert.Check(t, strings.Contains(readme, key+":") || strings.Contains(readme, "`"+key+"`"),
			"README.md documents the rule key %q", key)
	}
}
