package fuzz

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
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
			id := string(n.appendID(nil, alpha, i))
			if seen[id] {
				t.Fatalf("stream %d: name %q drawn before", s, id)
			}
			seen[id] = true
		}
	}
	for c := range uint64(100000) {
		id := string(NewWideNames(c).appendID(nil, alpha, 0))
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
	n.appendID(nil, alpha, 1<<counterBits)
}

// TestBatchUniqueCasesGetRunUniqueNames: the invalid plan's cases breaking
// eds-user's batch-unique rule keep their repeated EndUserId repeated, and
// no EndUserId of one such case appears in another (rapid's short drawn
// names used to: "___" in two cases of one account, created by the first).
func TestBatchUniqueCasesGetRunUniqueNames(t *testing.T) {
	t.Parallel()
	m := model(t)
	op, _ := m.Operation("eds-user")
	p := NewPlanner(m, op, Config{Seed: 1, Examples: 300, Accounts: 8})
	owner := map[string]int{}
	cases, tag := 0, ""
	for seq := range p.Stream(PlanInvalid) {
		st := seq.Steps[0]
		if st.Breaks == nil || st.Breaks.Kind != specs.RuleBatchUnique {
			continue
		}
		cases++
		count := map[string]int{}
		for _, el := range st.Request.Lists["Users"] {
			count[el["EndUserId"]]++
		}
		repeated := false
		for id, k := range count {
			repeated = repeated || k > 1
			if tag == "" && len(id) >= 7 {
				tag = id[:7]
			}
			if !strings.HasPrefix(id, tag) {
				t.Fatalf("EndUserId %q is not one of the stream's names (tag %q)", id, tag)
			}
			if c, seen := owner[id]; seen && c != cases {
				t.Fatalf("EndUserId %q in batch-unique cases %d and %d", id, c, cases)
			}
			owner[id] = cases
		}
		if !repeated {
			t.Fatalf("case %d repeats no EndUserId: %v", cases, st.Request.Lists["Users"])
		}
	}
	if cases < 5 {
		t.Fatalf("only %d batch-unique cases: the test proves little", cases)
	}
}

// TestBoundaryNamesAreFreshPerNonce: a run with a nonce (against a
// long-lived target, which holds earlier runs' users) sends its boundary
// values of unique parameters overlaid afresh: another nonce gives other
// values, each of the same length and the same pattern verdicts as the
// boundary drawn, so it tests the same boundary without meeting an
// earlier run's user.
func TestBoundaryNamesAreFreshPerNonce(t *testing.T) {
	m := model(t)
	for _, op := range m.Operations {
		t.Run(op.ID, func(t *testing.T) {
			values := func(nonce string) []string {
				p := NewPlanner(m, op, Config{Seed: 1, Examples: 5, Accounts: 2, Nonce: nonce})
				var out []string
				for seq := range p.Stream(PlanBoundary) {
					out = append(out, uniqueValues(op, seq.Steps[0].Request)...)
				}
				return out
			}
			a, b := values("run-a"), values("run-b")
			if len(a) != len(b) || len(a) == 0 {
				t.Fatalf("%d and %d unique values: want the same number, some", len(a), len(b))
			}
			same := 0
			for i := range a {
				if a[i] == b[i] && strings.IndexFunc(a[i], isASCIIAlnum) >= 0 {
					same++
				}
				if utf8.RuneCountInString(a[i]) != utf8.RuneCountInString(b[i]) {
					t.Errorf("value %d: %q and %q differ in length", i, a[i], b[i])
				}
			}
			if same > 0 {
				t.Errorf("%d of %d boundary values with letters or digits are the same under two nonces", same, len(a))
			}
		})
	}
}

// uniqueValues lists r's values of unique and batch-unique parameters.
func uniqueValues(op *specs.Operation, r wire.Request) []string {
	var out []string
	for _, path := range UniquePaths(op) {
		top, field := specs.SplitPath(path)
		if field == "" {
			if v, ok := r.Params[top]; ok {
				out = append(out, v)
			}
			continue
		}
		for _, el := range r.Lists[top] {
			if v, ok := el[field]; ok {
				out = append(out, v)
			}
		}
	}
	return out
}

func isASCIIAlnum(r rune) bool { return r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

// TestOverlayKeepsTheBoundary: an overlaid value keeps its length in
// characters and bytes, its other characters, and its pattern verdicts.
func TestOverlayKeepsTheBoundary(t *testing.T) {
	p := endUserID(t)
	n := NewNames(7)
	for _, old := range []string{"abc", "Ab9_z", "a\x00b", "名字", "abcdefghijklmnopqrstuvwx", "ABC"} {
		v := n.Overlay(p, old)
		if len(v) != len(old) || patternVerdicts(p, v) != patternVerdicts(p, old) {
			t.Errorf("Overlay(%q) = %q: length or pattern verdicts changed", old, v)
		}
		for i := range old {
			if !isASCIIAlnum(rune(old[i])) && old[i] != v[i] {
				t.Errorf("Overlay(%q) = %q: byte %d changed", old, v, i)
			}
		}
	}
}

// TestNamesOfParametersInTurnFitEach: one Names naming the unique
// parameters of every operation in turn (its facts kept for the last
// parameter must follow each change) writes names within each one's
// bounds and pattern.
func TestNamesOfParametersInTurnFitEach(t *testing.T) {
	t.Parallel()
	var ps []*specs.Param
	for _, op := range model(t).Operations {
		for _, path := range UniquePaths(op) {
			if p, ok := op.Lookup(path); ok {
				ps = append(ps, p)
			}
		}
	}
	if len(ps) < 2 {
		t.Fatalf("%d unique parameters, want two to name in turn", len(ps))
	}
	n := NewNames(5)
	n.mu.Lock()
	defer n.mu.Unlock()
	for k := range 3 * len(ps) {
		p := ps[k%len(ps)]
		_, hi := bounds(p)
		old := strings.Repeat("_", hi) // a name is as long as the value it replaces
		name := n.name(p, old)
		if c := utf8.RuneCountInString(name); name == old || c != hi {
			t.Errorf("%s: name %q (%d characters) for %q, want a new one of %d", p.Path, name, c, old, hi)
		}
		if re := sure(p); re != nil && !re.MatchString(name) {
			t.Errorf("%s: name %q does not match %s", p.Path, name, re)
		}
	}
}
