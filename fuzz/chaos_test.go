package fuzz

import (
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/randfill"

	"github.com/acsconform/acsconform/oracle"
)

func TestChaos(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		n := 4 * len(mutations)
		cases := Chaos(op, 11, n)
		if len(cases) != n {
			t.Fatalf("%s: %d chaos cases, want %d", op.ID, len(cases), n)
		}
		if !reflect.DeepEqual(cases, Chaos(op, 11, n)) {
			t.Errorf("%s: Chaos is not deterministic by seed", op.ID)
		}
		for _, c := range cases {
			v := oracle.Judge(op, c.Request, nil, "")
			raw := len(c.Request.Raw) > 0
			switch {
			case c.Base.Params == nil:
				t.Errorf("%s: %s names no base request", op.ID, c.Label)
			case raw && !v.Undocumented:
				t.Errorf("%s: %s with raw pairs is not undocumented", op.ID, c.Label)
			case v.Allows(500, "InternalError") || v.Allows(503, "ServiceUnavailable"):
				t.Errorf("%s: %s allows a 5xx", op.ID, c.Label)
			case !strings.HasPrefix(c.Label, "chaos: "):
				t.Errorf("%s: label %q", op.ID, c.Label)
			}
		}
	}
}

// TestReusedFillerFillsAsANewOne: a pooled filler, used before and
// reseeded, fills what a filler made afresh with the seed fills.
func TestReusedFillerFillsAsANewOne(t *testing.T) {
	t.Parallel()
	f := fillers.Get().(*filler)
	defer fillers.Put(f)
	for _, seed := range []int64{1, 2, -7, 1 << 40} {
		f.seed(seed + 1)
		text(f.Filler) // leave state behind
		f.seed(seed)
		fresh := randfill.NewWithSeed(seed).NilChance(0).NumElements(1, 4)
		for k := 0; k < 5; k++ {
			var got, want map[string]string
			f.Fill(&got)
			fresh.Fill(&want)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d, fill %d: reused filler gave %q, a new one %q", seed, k, got, want)
			}
		}
	}
}
