package suites

import (
	"slices"
	"testing"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/runner"
)

// TestBoundaryCasesDoNotShareNames: boundary cases are sent side by side
// to one target, so a user name a case does not set on purpose (the other
// users of a batch, copied from the valid request) is unique to the case;
// otherwise the first accepted case takes the names of the next.
func TestBoundaryCasesDoNotShareNames(t *testing.T) {
	eds := operation(t, "eds-user")
	b := &builder{op: eds, target: &runner.Target{}, opts: &Options{}, src: fuzzSource{},
		names: fuzz.NewNames(7), plan: planBoundary, seed: 7}
	const path = "Users[].EndUserId"
	owner := map[string]int{} // name -> the case that uses it not on purpose
	checked := 0
	for k, g := range b.src.boundary(eds, b.seed) {
		r := b.prepareCase(g)
		set, some := g.Elements[path]
		if !slices.Contains(g.Protect, path) || !some {
			continue
		}
		for i, el := range r.Lists["Users"] {
			if slices.Contains(set, i) {
				continue
			}
			checked++
			name := el["EndUserId"]
			if first, taken := owner[name]; taken && first != k {
				t.Errorf("%s: user %d has the name %q of case %d", g.Label, i+1, name, first)
			}
			owner[name] = k
		}
	}
	if checked == 0 {
		t.Fatal("no boundary case sets the EndUserId of some users only")
	}
	// the names a case sets on purpose stay as generated
	for _, g := range b.src.boundary(eds, b.seed) {
		r := b.prepareCase(g)
		users := g.Request.Lists["Users"]
		for _, i := range g.Elements[path] {
			if i < len(users) && r.Lists["Users"][i]["EndUserId"] != users[i]["EndUserId"] {
				t.Errorf("%s: user %d renamed from %q", g.Label, i+1, users[i]["EndUserId"])
			}
		}
	}
}
