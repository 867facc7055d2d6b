package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/acsconform/acsconform/emulator"
)

// Example starts the emulator on a free loopback port without signature
// checks and creates a RAM user with a plain GET.
func Example() {
	srv, err := emulator.Start(emulator.Options{NoAuth: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	resp, err := http.Get(srv.URL() + "/?Action=CreateUser&Version=2015-05-01&UserName=alice")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var body struct{ User struct{ UserName string } }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.StatusCode, body.User.UserName)
	// Output: 200 alice
}
