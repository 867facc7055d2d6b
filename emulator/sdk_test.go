package emulator

import (
	"errors"
	"net/url"
	"regexp"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	ram "github.com/alibabacloud-go/ram-20150501/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	bastionhostsdk "github.com/alibabacloud-go/yundun-bastionhost-20191209/v2/client"
)

// signings are the two signature versions the SDK speaks: V3 by default,
// V1 with SignatureAlgorithm "v2".
var signings = []struct {
	reason    string
	algorithm string
}{
	{"V3 ACS3-HMAC-SHA256, the SDK default", ""},
	{"V1 HMAC-SHA1, SignatureAlgorithm v2", "v2"},
}

// sdkConfig points an official SDK client at srvURL with the default account.
func sdkConfig(t *testing.T, srvURL, algorithm string) *openapiutil.Config {
	t.Helper()
	u, err := url.Parse(srvURL)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &openapiutil.Config{
		Endpoint:        dara.String(u.Host),
		Protocol:        dara.String("http"),
		AccessKeyId:     dara.String(DefaultAccessKeyID),
		AccessKeySecret: dara.String(DefaultAccessKeySecret),
	}
	if algorithm != "" {
		cfg.SignatureAlgorithm = dara.String(algorithm)
	}
	return cfg
}

// assertSDKError checks that err is the SDK's *tea.SDKError with code and status.
func assertSDKError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var sdkErr *tea.SDKError
	if !errors.As(err, &sdkErr) {
		t.Fatalf("got %T %v, want *tea.SDKError", err, err)
	}
	if dara.StringValue(sdkErr.Code) != code || dara.IntValue(sdkErr.StatusCode) != status {
		t.Fatalf("got %d %s, want %d %s", dara.IntValue(sdkErr.StatusCode), dara.StringValue(sdkErr.Code), status, code)
	}
}

// TestSDKRAM drives the emulator with the official RAM client.
func TestSDKRAM(t *testing.T) {
	srv := newTestServer(t, Options{})
	createDate := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
	for _, s := range signings {
		t.Run(s.reason, func(t *testing.T) {
			client, err := ram.NewClient(sdkConfig(t, srv.URL, s.algorithm))
			if err != nil {
				t.Fatal(err)
			}
			req := &ram.CreateUserRequest{
				UserName: dara.String("zhangqiang" + s.algorithm), DisplayName: dara.String("张强"),
				MobilePhone: dara.String("86-18688888888"), Email: dara.String("zhangqiang@example.com"),
				Comments: dara.String("这是一位云计算工程师"),
			}
			resp, err := client.CreateUser(req)
			if err != nil {
				t.Fatalf("CreateUser: %v", err)
			}
			u := resp.Body.User
			if dara.StringValue(u.UserName) != dara.StringValue(req.UserName) || dara.StringValue(u.DisplayName) != "张强" ||
				dara.StringValue(u.Comments) != "这是一位云计算工程师" || dara.StringValue(u.Email) != "zhangqiang@example.com" {
				t.Errorf("user echoed wrong: %s", u)
			}
			if !regexp.MustCompile(`^[1-9]\d{15}$`).MatchString(dara.StringValue(u.UserId)) {
				t.Errorf("UserId %q is not 16 digits", dara.StringValue(u.UserId))
			}
			if !createDate.MatchString(dara.StringValue(u.CreateDate)) {
				t.Errorf("CreateDate %q is not UTC 2006-01-02T15:04:05Z", dara.StringValue(u.CreateDate))
			}
			if !requestIDForm.MatchString(dara.StringValue(resp.Body.RequestId)) {
				t.Errorf("RequestId %q", dara.StringValue(resp.Body.RequestId))
			}
			_, err = client.CreateUser(req)
			assertSDKError(t, err, 409, "EntityAlreadyExists.User")
			_, err = client.CreateUser(&ram.CreateUserRequest{UserName: dara.String("bad name")})
			assertSDKError(t, err, 400, "InvalidParameter.UserName.InvalidChars")
		})
	}
}

// TestSDKBastionhost drives the emulator with the official Bastionhost client.
func TestSDKBastionhost(t *testing.T) {
	srv := newTestServer(t, Options{Now: steppingClock(100 * time.Millisecond)})
	for _, s := range signings {
		t.Run(s.reason, func(t *testing.T) {
			client, err := bastionhostsdk.NewClient(sdkConfig(t, srv.URL, s.algorithm))
			if err != nil {
				t.Fatal(err)
			}
			req := &bastionhostsdk.CreateUserRequest{
				InstanceId: dara.String(DefaultBastionhostInstance), Source: dara.String("local"),
				UserName: dara.String("abc_def" + s.algorithm), Password: dara.String("Passw0rd!x"),
				TwoFactorStatus: dara.String("Enable"), TwoFactorMethods: dara.String(`["sms"]`),
				Mobile: dara.String("13599990000"), MobileCountryCode: dara.String("CN"),
				EffectiveStartTime: dara.Int64(1669630029), EffectiveEndTime: dara.Int64(1672502400),
				NeedResetPassword: dara.Bool(true), LanguageStatus: dara.String("Custom"), Language: dara.String("en"),
			}
			resp, err := client.CreateUser(req)
			if err != nil {
				t.Fatalf("CreateUser: %v", err)
			}
			if !regexp.MustCompile(`^\d+$`).MatchString(dara.StringValue(resp.Body.UserId)) {
				t.Errorf("UserId %q is not a decimal string", dara.StringValue(resp.Body.UserId))
			}
			if !requestIDForm.MatchString(dara.StringValue(resp.Body.RequestId)) {
				t.Errorf("RequestId %q", dara.StringValue(resp.Body.RequestId))
			}
			_, err = client.CreateUser(req)
			assertSDKError(t, err, 400, "UserAlreadyExists")
			req.UserName, req.Password = dara.String("weak"+s.algorithm), dara.String("password")
			_, err = client.CreateUser(req)
			assertSDKError(t, err, 400, "InvalidParameter")
		})
	}
}

// TestSDKEDSUsers drives eds-user CreateUsers through the SDK's generic
// CallApi, as the generated eds-user client would.
func TestSDKEDSUsers(t *testing.T) {
	srv := newTestServer(t, Options{})
	params := &openapiutil.Params{
		Action: dara.String("CreateUsers"), Version: dara.String("2021-03-08"), Protocol: dara.String("HTTPS"),
		Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"),
		Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
	}
	for _, s := range signings {
		t.Run(s.reason, func(t *testing.T) {
			client, err := openapi.NewClient(sdkConfig(t, srv.URL, s.algorithm))
			if err != nil {
				t.Fatal(err)
			}
			id := "test1" + s.algorithm
			users := []map[string]any{
				{"EndUserId": id, "Email": "username@example.com", "Phone": "13811110000", "Remark": "remark1", "RealNickName": "Bean", "Password": "Passw0rd!x"},
				{"EndUserId": id, "Email": "username2@example.com", "Phone": "13900000000"},
			}
			body := map[string]any{"Users": users, "Password": "Test123!abc"}
			result, err := client.CallApi(params, &openapiutil.OpenApiRequest{Body: openapiutil.ParseToMap(body)}, &dara.RuntimeOptions{})
			if err != nil {
				t.Fatalf("CallApi: %v", err)
			}
			cr, _ := result["body"].(map[string]any)["CreateResult"].(map[string]any)
			created, _ := cr["CreatedUsers"].([]any)
			failed, _ := cr["FailedUsers"].([]any)
			if len(created) != 1 || len(failed) != 1 {
				t.Fatalf("want 1 created and 1 failed, got %v", cr)
			}
			c, f := created[0].(map[string]any), failed[0].(map[string]any)
			if c["EndUserId"] != id || c["RealNickName"] != "Bean" || c["Remark"] != "remark1" || c["Phone"] != "13811110000" {
				t.Errorf("created user echoed wrong: %v", c)
			}
			if f["EndUserId"] != id || f["ErrorCode"] != "ExistedEndUserId" || f["ErrorMessage"] != "The username "+id+" is used by another user." {
				t.Errorf("failed user wrong: %v", f)
			}
			bad := map[string]any{"Users": []map[string]any{{"EndUserId": "UPPER"}}}
			_, err = client.CallApi(params, &openapiutil.OpenApiRequest{Body: openapiutil.ParseToMap(bad)}, &dara.RuntimeOptions{})
			assertSDKError(t, err, 400, "INTERNAL_ERROR")
		})
	}
}

// TestSDKWrongSecret checks that a client with a wrong secret gets
// SignatureDoesNotMatch under both signature versions.
func TestSDKWrongSecret(t *testing.T) {
	srv := newTestServer(t, Options{})
	for _, s := range signings {
		t.Run(s.reason, func(t *testing.T) {
			cfg := sdkConfig(t, srv.URL, s.algorithm)
			cfg.AccessKeySecret = dara.String("not-the-secret")
			client, err := ram.NewClient(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = client.CreateUser(&ram.CreateUserRequest{UserName: dara.String("someone")})
			assertSDKError(t, err, 400, "SignatureDoesNotMatch")
		})
	}
}
