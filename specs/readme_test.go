package specs_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/specs"
)

// TestReadmeDocumentsEverything: specs/README.md names every x-acs
// extension the documents use and every ambiguity of the model.
func TestReadmeDocumentsEverything(t *testing.T) {
	b, err := os.ReadFile("README.md")
	assert.NilError(t, err)
	readme := string(b)
	key := regexp.MustCompile(`(?m)^[\s-]*(x-acs-[a-z-]+):`)
	for name, src := range specs.Sources() {
		for _, e := range key.FindAllStringSubmatch(string(src), -1) {
			assert.Check(t, strings.Contains(readme, "| `"+e[1]+"` |"), "%s uses %s", name, e[1])
		}
	}
	m, err := specs.Load()
	assert.NilError(t, err)
	for _, op := range m.Operations {
		for _, a := range op.Ambiguities {
			assert.Check(t, strings.Contains(readme, "| `"+a.ID+"` |"), "ambiguity %s is in the table", a.ID)
			assert.Check(t, strings.Contains(readme, a.Emulator), "ambiguity %s: the emulator's reading is in the table", a.ID)
		}
	}
}
