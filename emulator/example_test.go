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

// ExampleForcedAnswer makes the first Bastionhost call of an SDK's test
// throttled, so that the test sees its client's retry, with the request
// left as the SDK sends it.
func ExampleForcedAnswer() {
	srv, err := emulator.Start(emulator.Options{NoAuth: true, Answers: []emulator.ForcedAnswer{
		{Operation: "bastionhost", Code: "Throttling.User", Nth: 1},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	url := srv.URL() + "/?Action=CreateUser&Version=2019-12-09&InstanceId=" + emulator.DefaultBastionhostInstance +
		"&Source=Ram&SourceUserId=1&UserName=bob"
	for range 2 {
		resp, err := http.Post(url, "", nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		var body struct{ Code, UserId string }
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, body.Code+body.UserId)
	}
	// Output:
	// 400 Throttling.User
	// 200 1
}
