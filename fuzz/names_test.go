package fuzz

import (
	"testing"

	"github.com/acsconform/acsconform/specs"
)

// endUserID is eds-user's EndUserId field, the shortest unique name of
// the specs (at most 24 characters).
func endUserID(t *testing.T) *specs.Param {
	t.Helper()
	op, ok := model(t).Operation("eds-user")
	if !ok {
		t.Fatal("no eds-user operation")
	}
	p, ok := op.Lookup("Users[].EndUserId")
	if !ok {
		t.Fatal("no Users[].EndUserId")
	}
	return p
}

// TestNamesUniqueAcrossManyDraws: one stream's EndUserIds stay distinct
// over many draws, whatever length the generator drew, and past the
// 36^4 names where the old four-character counter wrapped around.
func TestNamesUniqueAcrossManyDraws(t *testing.T) {
	t.Parallel()
	p := endUserID(t)
	n := NewNames(1)
	seen := map[string]uint64{}
	olds := []string{"abc", "abcdefghij", "abcdefghijklmnopqrstuvwx"}
	draw := func() {
		i := n.next
		id := n.name(p, olds[i%uint64(len(olds))])
		if j, dup := seen[id]; dup {
			t.Fatalf("name %q drawn at %d and %d", id, j, i)
		}
		seen[id] = i
		if len(id) > 24 || len(id) < 3 {
			t.Fatalf("name %q outside the documented 3..24 characters", id)
		}
	}
	for range 20000 {
		draw()
	}
	const wrapped = 36 * 36 * 36 * 36
	n.next = wrapped - 10000
	for range 20000 {
		draw()
	}
}

// TestNamesOfStreamsDiffer: names of two streams, and of many per-case
// wide tags, never meet.
func TestNamesOfStreamsDiffer(t *testing.T) {
	t.Parallel()
	p := endUserID(t)
	alpha := alphabet(p)
	seen := map[string]bool{}
	for s := range int64(50) {
		n := NewNames(DrawSeed(1, "eds-user/stream", int(s)))
		for i := range uint64(200) {
			id := n.encode(alpha, i)
			if seen[id] {
				t.Fatalf("stream %d: name %q drawn before", s, id)
			}
			seen[id] = true
		}
	}
	for c := range uint64(100000) {
		id := NewWideNames(c).encode(alpha, 0)
		if seen[id] {
			t.Fatalf("case %d: name %q drawn before", c, id)
		}
		seen[id] = true
	}
}

// TestNamesRefuseToWrap: a stream never hands out a name twice: past its
// capacity it panics.
func TestNamesRefuseToWrap(t *testing.T) {
	t.Parallel()
	alpha := alphabet(endUserID(t))
	n := NewNames(1)
	defer func() {
		if recover() == nil {
			t.Fatal("no panic past 2^31 names")
		}
	}()
	n.encode(alpha, 1<<counterBits)
}
