package wire

import "github.com/acsconform/acsconform/specs"

// testOp is a hand-made operation with every shape the encoder knows: plain
// query and body parameters, a JSON-array string, and a flattened list of
// objects in the body. It carries no rule: the wire only needs names,
// places and styles.
func testOp() *specs.Operation {
	return &specs.Operation{
		ID: "test", Product: "test", Action: "CreateThings", Version: "2020-01-01",
		Params: []*specs.Param{
			{Name: "Name", Path: "Name", In: specs.InQuery, Style: specs.StylePlain, Kind: specs.KindString},
			{Name: "Methods", Path: "Methods", In: specs.InQuery, Style: specs.StyleJSON, Kind: specs.KindArray},
			{Name: "Users", Path: "Users", In: specs.InBody, Style: specs.StyleFlat, Kind: specs.KindArray,
				Items: &specs.Param{Kind: specs.KindObject, Fields: []*specs.Param{
					{Name: "EndUserId", Path: "Users[].EndUserId", In: specs.InBody, Kind: specs.KindString},
					{Name: "Email", Path: "Users[].Email", In: specs.InBody, Kind: specs.KindString},
					{Name: "Password", Path: "Users[].Password", In: specs.InBody, Kind: specs.KindString, Secret: true},
				}}},
			{Name: "Password", Path: "Password", In: specs.InBody, Style: specs.StylePlain, Kind: specs.KindString, Secret: true},
			{Name: "AutoLockTime", Path: "AutoLockTime", In: specs.InQuery, Style: specs.StylePlain, Kind: specs.KindString},
		},
	}
}

// testFields are the element field names the round-trip generator uses,
// nested list fields included.
var testFields = []string{"EndUserId", "Email", "Password", "GroupIdList.1", "GroupIdList.2"}

// specsOp is an operation with the element field names the generator may use.
type specsOp struct {
	*specs.Operation
	fields []string
}

func newSpecsOp(op *specs.Operation, fields []string) *specsOp {
	return &specsOp{Operation: op, fields: fields}
}
