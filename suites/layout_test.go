package suites

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestImportsFlowOneWay holds the layout: specs → fuzz (cases and plans) →
// runner (send) → suites (judge) → results → reports, with nothing
// climbing back. Each row lists what a package may use of this module,
// test files aside (go list -deps).
func TestImportsFlowOneWay(t *testing.T) {
	t.Parallel() // waits on go list
	const mod = "github.com/acsconform/acsconform/"
	rows := []struct {
		pkg    string
		allow  []string
		reason string
	}{
		{"specs", nil, "the model stands on nothing"},
		{"results", nil, "reports read results alone"},
		{"emulator", nil, "the reference emulator shares no code with the suite"},
		{"wire", []string{"specs"}, "the wire encodes the model's requests"},
		{"oracle", []string{"specs", "wire"}, "the oracle judges requests against the model"},
		{"fuzz", []string{"specs", "wire", "oracle"}, "generators never see a response or a target"},
		{"runner", []string{"specs", "wire"}, "the runner sends; it neither plans nor judges, nor starts the emulator"},
		{"reports", []string{"results"}, "a report format depends on the result alone"},
		{"suites", []string{"specs", "wire", "oracle", "fuzz", "runner", "results"}, "a user of suites does not compile the emulator"},
		{"proxy", []string{"specs", "wire", "oracle", "fuzz", "runner", "suites", "results"}, "the proxy judges with the suites; it neither starts the emulator nor writes reports"},
	}
	for _, row := range rows {
		out, err := exec.Command("go", "list", "-deps", "../"+row.pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", row.pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			name, ok := strings.CutPrefix(dep, mod)
			if ok && name != row.pkg && !slices.Contains(row.allow, name) {
				t.Errorf("%s imports %s (%s)", row.pkg, name, row.reason)
			}
		}
	}
}
