package fuzz

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/oracle"
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
