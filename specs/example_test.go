package specs_test

import (
	"fmt"

	"github.com/acsconform/acsconform/specs"
)

func ExampleLoad() {
	m, err := specs.Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, op := range m.Operations {
		fmt.Println(op.ID, op.Action, op.Version)
	}
	ram, _ := m.Operation("ram")
	r, _ := ram.Rule("ram.UserName.max-length")
	fmt.Println(r.Limit, r.Broken[0].Status, r.Broken[0].Code)
	// Output:
	// ram CreateUser 2015-05-01
	// eds-user CreateUsers 2021-03-08
	// bastionhost CreateUser 2019-12-09
	// 64 400 InvalidParameter.UserName.Length
}
