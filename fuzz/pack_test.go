package fuzz

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
)

// TestPackedBoundarySendsEveryValue: every boundary case is either sent as
// it is, in its order, or packed with others; each pack carries every
// member's value at its site, is accepted under every reading of the docs,
// and sets no parameter whose acceptance depends on the target's state.
func TestPackedBoundarySendsEveryValue(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		single := boundaries(op, 1)
		packed := PackedBoundary(op, 1)
		if len(packed) >= len(single) {
			t.Errorf("%s: %d packed cases for %d boundary cases: nothing packed", op.ID, len(packed), len(single))
		}
		byLabel := map[string]Case{}
		for _, c := range single {
			byLabel[c.Label] = c.Case
		}
		sent := map[string]int{}
		for _, c := range packed {
			var members []Case
			for _, l := range strings.Split(strings.TrimPrefix(c.Label, boundaryPrefix), packSeparator) {
				members = append(members, byLabel[boundaryPrefix+l])
			}
			for _, m := range members {
				sent[m.Label]++
			}
			if len(members) > 1 {
				checkPack(t, op, c, members)
			}
		}
		for _, c := range single {
			if sent[c.Label] != 1 {
				t.Errorf("%s: %q is sent %d times, want once", op.ID, c.Label, sent[c.Label])
			}
		}
	}
}

// checkPack checks one pack against its members.
func checkPack(t *testing.T, op *specs.Operation, pack Case, members []Case) {
	t.Helper()
	v := oracle.Judge(op, pack.Request, freshState(op, pack.Request), account)
	if v.Undocumented || len(v.Broken) > 0 || len(v.Ambiguous) > 0 || !v.Accepts() {
		t.Errorf("%s: pack %q is not valid under every reading: %s", op.ID, pack.Label, v)
	}
	if !reflect.DeepEqual(pack.Base, members[0].Base) {
		t.Errorf("%s: pack %q has another base than its members", op.ID, pack.Label)
	}
	paths, _ := pack.Changed(op)
	for _, m := range members {
		mp, _ := m.Changed(op)
		for _, p := range mp {
			if !slices.Contains(paths, p) || !sameValues(op, p, m, pack) {
				t.Errorf("%s: pack %q does not send %s of %q", op.ID, pack.Label, p, m.Label)
			}
		}
	}
	for _, p := range paths {
		for _, rule := range op.Rules {
			if rule.Param == p && dependsOnState(rule.Kind) {
				t.Errorf("%s: pack %q sets %s, named by the state rule %s", op.ID, pack.Label, p, rule.ID)
			}
		}
	}
}

// sameValues reports whether a member and its pack hold the same values
// at path.
func sameValues(op *specs.Operation, path string, member, pack Case) bool {
	return slices.Equal(oracle.Values(path, member.Request), oracle.Values(path, pack.Request))
}

// TestMembers: a pack's members are the boundary cases it packs, in order;
// a case that packs one value is its own member; an unknown label has
// none, and so has a label naming one value too many.
func TestMembers(t *testing.T) {
	t.Parallel()
	op, _ := model(t).Operation("bastionhost")
	packed := PackedBoundary(op, 1)
	var alone, pack Case
	for _, c := range packed {
		if strings.Contains(c.Label, packSeparator) {
			pack = c
		} else {
			alone = c
		}
	}
	members := Members(op, 1, pack.Label)
	if len(members) < 2 {
		t.Fatalf("Members(%q) = %d cases, want its values", pack.Label, len(members))
	}
	for i, m := range members {
		if want := boundaryPrefix + strings.Split(strings.TrimPrefix(pack.Label, boundaryPrefix), packSeparator)[i]; m.Label != want {
			t.Errorf("member %d is %q, want %q", i, m.Label, want)
		}
	}
	if got := Members(op, 1, alone.Label); len(got) != 1 || !reflect.DeepEqual(got[0], alone) {
		t.Errorf("Members(%q) = %d cases, want the case itself", alone.Label, len(got))
	}
	for _, label := range []string{"", "valid request", boundaryPrefix + "Nothing at all", pack.Label + packSeparator + "Nothing at all"} {
		if got := Members(op, 1, label); got != nil {
			t.Errorf("Members(%q) = %d cases, want none", label, len(got))
		}
	}
}

// TestPackTakesAValueOnlyIfThePackStaysValid: a value joins a pack only
// when the pack stays valid under every reading; else it opens its own.
func TestPackTakesAValueOnlyIfThePackStaysValid(t *testing.T) {
	t.Parallel()
	op, _ := model(t).Operation("bastionhost")
	var a, b sitedCase
	for _, c := range boundaries(op, 1) {
		switch {
		case !packable(op, c):
		case a.Label == "":
			a = c
		case c.at != a.at:
			b = c
		}
	}
	if b.Label == "" {
		t.Fatal("bastionhost has no two packable boundary values on two sites")
	}
	if out := pack(op, []sitedCase{a, b}); len(out) != 1 {
		t.Fatalf("two packable values on two sites: %d cases, want one pack", len(out))
	}
	broken := a.Case // a pack whose request no longer keeps every rule
	broken.Request = a.Request.Clone()
	broken.Request.Params["UnknownParameter"] = "x"
	out := []Case{broken}
	if mergeIntoPack(op, out, []*openPack{{index: 0, sites: map[site]bool{a.at: true}}}, b) {
		t.Errorf("%q joined a pack that is not valid with it", b.Label)
	}
	if out[0].Label != a.Label {
		t.Errorf("the refused pack's label became %q", out[0].Label)
	}
	same := a
	same.Label += " again"
	if out := pack(op, []sitedCase{a, same}); len(out) != 2 {
		t.Errorf("two values on one site: %d cases, want two", len(out))
	}
}
