package runner_test

import (
	"fmt"
	"net/http"

	"github.com/acsconform/acsconform/runner"
)

func ExampleCurl() {
	ex := runner.Exchange{
		Method: "POST",
		URL:    "http://127.0.0.1:8080/?Action=CreateUser&Format=json&Version=2019-12-09&UserName=o%27brien&Password=<redacted>&Signature=<redacted>",
		Header: http.Header{"X-Acs-Action": {"CreateUser"}, "X-Acs-Version": {"2019-12-09"}},
	}
	fmt.Println(runner.Curl(ex))
	// Output:
	// curl -sS -X 'POST' 'http://127.0.0.1:8080/?Action=CreateUser&Format=json&Version=2019-12-09&UserName=o%27brien&Password=<redacted>&Signature=<SIGNATURE>' -H 'X-Acs-Action: CreateUser' -H 'X-Acs-Version: 2019-12-09'
}
