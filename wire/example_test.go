package wire_test

import (
	"fmt"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

func ExampleEncode() {
	op := &specs.Operation{ID: "eds-user", Params: []*specs.Param{
		{Name: "Users", In: specs.InBody, Style: specs.StyleFlat, Kind: specs.KindArray},
		{Name: "AutoLockTime", In: specs.InQuery, Style: specs.StylePlain, Kind: specs.KindString},
	}}
	e := wire.Encode(op, wire.Request{
		Params: map[string]string{"AutoLockTime": "2023-03-03"},
		Lists: map[string][]map[string]string{"Users": {
			{"EndUserId": "alice", "Email": "alice@example.com"},
			{"EndUserId": "bob", "GroupIdList.1": "g 1"},
		}},
	})
	fmt.Println("query:", e.QueryString())
	fmt.Println("body: ", e.BodyString())
	// Output:
	// query: AutoLockTime=2023-03-03
	// body:  Users.1.Email=alice%40example.com&Users.1.EndUserId=alice&Users.2.EndUserId=bob&Users.2.GroupIdList.1=g%201
}
