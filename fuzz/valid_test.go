package fuzz

import (
	"sync"
	"testing"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/wire"
)

func TestValidKeepsEveryRule(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		t.Run(op.ID, rapid.MakeCheck(func(t *rapid.T) {
			r := Valid(op).Draw(t, "request")
			v := oracle.Judge(op, r, freshState(op, r), account)
			if len(v.Broken) > 0 || len(v.Ambiguous) > 0 {
				t.Fatalf("valid request breaks %v, ambiguously %v: %+v", ids(v.Broken), ids(v.Ambiguous), r)
			}
			if v.Undocumented || !v.Accepts() {
				t.Fatalf("oracle does not accept a valid request (%s): %+v", v, r)
			}
		}))
	}
}

func TestGeneratorsAreSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	m := model(t)
	ops := m.Operations
	names := NewNames(1)
	results := make(chan wire.Request, 4*len(ops)*10)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				for _, op := range ops {
					results <- names.Apply(op, Valid(op).Example(w*100+i))
				}
			}
		}(w)
	}
	wg.Wait()
	close(results)
	seen := map[string]bool{}
	for r := range results {
		op, _ := m.Operation(r.Op)
		for _, path := range uniquePaths(op) {
			for _, v := range oracle.Values(path, r) {
				if key := r.Op + " " + path + "=" + v; seen[key] {
					t.Fatalf("Names gave %s twice under concurrent use", key)
				} else {
					seen[key] = true
				}
			}
		}
	}
}
