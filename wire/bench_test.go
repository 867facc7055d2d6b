package wire

import (
	"fmt"
	"strings"
	"testing"
)

// batch is a request of 1,000 list elements of four fields, the size of
// the campaign's largest batches.
func batch() Request {
	users := make([]map[string]string, 1000)
	for i := range users {
		users[i] = map[string]string{"EndUserId": fmt.Sprintf("user-%04d", i), "Email": fmt.Sprintf("u%d@example.com", i),
			"Password": "Pass*word 1!", "GroupIdList.1": "g1"}
	}
	return Request{Params: map[string]string{"Name": "n", "Password": "Top*Pass 3!"}, Lists: map[string][]map[string]string{"Users": users}}
}

// BenchmarkEncode is Encode's pairs of a batch, then joined as they
// travel: what WriteEncoded writes without the pairs.
func BenchmarkEncode(b *testing.B) {
	op, r := testOp(), batch()
	b.ReportAllocs()
	for b.Loop() {
		e := Encode(op, r)
		_, _ = e.QueryString(), e.BodyString()
	}
}

// BenchmarkWriteEncoded is a batch written as it travels.
func BenchmarkWriteEncoded(b *testing.B) {
	op, r := testOp(), batch()
	b.ReportAllocs()
	for b.Loop() {
		var query, body strings.Builder
		WriteEncoded(&query, &body, op, r)
	}
}
