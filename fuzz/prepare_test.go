package fuzz

import (
	"slices"
	"testing"

	"github.com/acsconform/acsconform/specs"
)

// TestBoundaryCasesDoNotShareNames: boundary cases are sent side by side
// to one target, so a user name a case does not set on purpose (the other
// users of a batch, copied from the valid request) is unique to the case;
// otherwise the first accepted case takes the names of the next.
func TestBoundaryCasesDoNotShareNames(t *testing.T) {
	m := model(t)
	eds, _ := m.Operation("eds-user")
	const path = "Users[].EndUserId"
	checked := 0
	for seed := int64(1); seed <= 10; seed++ {
		b := NewPlanner(m, eds, Config{Seed: seed}).builder(string(PlanBoundary), 0)
		checked += checkBoundaryNames(t, eds, b, path)
	}
	if checked == 0 {
		t.Fatal("no boundary case sets the EndUserId of some users only")
	}
}

// checkBoundaryNames checks one stream's boundary cases and returns how
// many users it checked.
func checkBoundaryNames(t *testing.T, eds *specs.Operation, b *builder, path string) int {
	owner := map[string]int{} // name -> the case that uses it not on purpose
	checked := 0
	for k, g := range boundaryCases(eds, b.seed) {
		r := b.prepareCase(g)
		protect, elements := g.Changed(eds)
		set, some := elements[path]
		if !slices.Contains(protect, path) || !some {
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
	// the names a case sets on purpose stay as generated
	for _, g := range boundaryCases(eds, b.seed) {
		r := b.prepareCase(g)
		users := g.Request.Lists["Users"]
		_, elements := g.Changed(eds)
		for _, i := range elements[path] {
			if i < len(users) && r.Lists["Users"][i]["EndUserId"] != users[i]["EndUserId"] {
				t.Errorf("%s: user %d renamed from %q", g.Label, i+1, users[i]["EndUserId"])
			}
		}
	}
	return checked
}
