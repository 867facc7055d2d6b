package runner

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"sync"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	ram "github.com/alibabacloud-go/ram-20150501/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	bastionhost "github.com/alibabacloud-go/yundun-bastionhost-20191209/v2/client"
	"github.com/google/go-cmp/cmp"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// captured is one request as a server received it.
type captured struct {
	req  *http.Request
	body []byte
}

// captureServer records every request and answers a bare success, so the
// SDK neither fails nor retries.
func captureServer(t *testing.T) (*httptest.Server, func() captured) {
	t.Helper()
	var mu sync.Mutex
	var got []captured
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, captured{req: r.Clone(r.Context()), body: body})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		io.WriteString(w, `{"RequestId":"6E6B0C4B-0B4A-4E9E-8C5C-2C2F7A4A7A1B"}`)
	}))
	t.Cleanup(srv.Close)
	last := func() captured {
		mu.Lock()
		defer mu.Unlock()
		if len(got) != 1 {
			t.Fatalf("the SDK sent %d requests, want 1", len(got))
		}
		c := got[0]
		got = nil
		return c
	}
	return srv, last
}

var sdkAccount = Account{AccessKeyID: "LTAI-sdk-test", AccessKeySecret: "sdk-test-secret-not-real"}

func sdkConfig(srv *httptest.Server, algorithm string) *openapiutil.Config {
	u, _ := url.Parse(srv.URL)
	cfg := &openapiutil.Config{
		Endpoint: dara.String(u.Host), Protocol: dara.String("http"),
		AccessKeyId: dara.String(sdkAccount.AccessKeyID), AccessKeySecret: dara.String(sdkAccount.AccessKeySecret),
	}
	if algorithm != "" {
		cfg.SignatureAlgorithm = dara.String(algorithm)
	}
	return cfg
}

// sdkCase is one operation called through the official SDK, and the same
// request as a wire.Request.
type sdkCase struct {
	op   string
	call func(t *testing.T, cfg *openapiutil.Config)
	req  wire.Request
}

func sdkCases() []sdkCase {
	return []sdkCase{{
		op: "ram",
		call: func(t *testing.T, cfg *openapiutil.Config) {
			c, err := ram.NewClient(cfg)
			if err == nil {
				_, err = c.CreateUser(&ram.CreateUserRequest{
					UserName: dara.String("zhang.qiang"), DisplayName: dara.String("张强 *~+"),
					MobilePhone: dara.String("86-18688888888"), Email: dara.String("zq@example.com"),
					Comments: dara.String("a b&c=d"),
				})
			}
			if err != nil {
				t.Fatalf("ram CreateUser: %v", err)
			}
		},
		req: wire.Request{Op: "ram", Params: map[string]string{
			"UserName": "zhang.qiang", "DisplayName": "张强 *~+", "MobilePhone": "86-18688888888",
			"Email": "zq@example.com", "Comments": "a b&c=d",
		}},
	}, {
		op: "bastionhost",
		call: func(t *testing.T, cfg *openapiutil.Config) {
			c, err := bastionhost.NewClient(cfg)
			if err == nil {
				_, err = c.CreateUser(&bastionhost.CreateUserRequest{
					InstanceId: dara.String("bastionhost-cn-x"), RegionId: dara.String("cn-hangzhou"),
					Source: dara.String("Local"), UserName: dara.String("abc_def"), Password: dara.String("Pa ss*w0rd!"),
					TwoFactorMethods: dara.String(`["sms","email"]`), TwoFactorStatus: dara.String("Enable"),
					EffectiveStartTime: dara.Int64(1669630029), NeedResetPassword: dara.Bool(true),
				})
			}
			if err != nil {
				t.Fatalf("bastionhost CreateUser: %v", err)
			}
		},
		req: wire.Request{Op: "bastionhost", Params: map[string]string{
			"InstanceId": "bastionhost-cn-x", "RegionId": "cn-hangzhou", "Source": "Local", "UserName": "abc_def",
			"Password": "Pa ss*w0rd!", "TwoFactorMethods": `["sms","email"]`, "TwoFactorStatus": "Enable",
			"EffectiveStartTime": "1669630029", "NeedResetPassword": "true",
		}},
	}, {
		op: "eds-user",
		call: func(t *testing.T, cfg *openapiutil.Config) {
			c, err := openapi.NewClient(cfg)
			if err == nil {
				params := &openapiutil.Params{
					Action: dara.String("CreateUsers"), Version: dara.String("2021-03-08"), Protocol: dara.String("HTTPS"),
					Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"),
					Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
				}
				body := map[string]interface{}{
					"Users": []interface{}{
						map[string]interface{}{"EndUserId": "u1", "Email": "u1@example.com", "Password": "Secret*1 x"},
						map[string]interface{}{"EndUserId": "u2", "Phone": "1381111"},
					},
					"Password": "Top Pw*1",
				}
				query := openapiutil.Query(map[string]interface{}{"AutoLockTime": "2023-03-03"})
				_, err = c.CallApi(params, &openapiutil.OpenApiRequest{Query: query, Body: body}, &dara.RuntimeOptions{})
			}
			if err != nil {
				t.Fatalf("eds-user CreateUsers: %v", err)
			}
		},
		req: wire.Request{Op: "eds-user",
			Params: map[string]string{"Password": "Top Pw*1", "AutoLockTime": "2023-03-03"},
			Lists: map[string][]map[string]string{"Users": {
				{"EndUserId": "u1", "Email": "u1@example.com", "Password": "Secret*1 x"},
				{"EndUserId": "u2", "Phone": "1381111"},
			}},
		},
	}}
}

// TestSignaturesMatchSDK captures what the official SDK sends for each
// operation, with V3 and with V1, re-signs the captured request with
// SignRequestV3/SignRequestV1 from its own date and nonce, and compares the signatures.
func TestSignaturesMatchSDK(t *testing.T) {
	srv, last := captureServer(t)
	for _, c := range sdkCases() {
		t.Run(c.op+"/v3", func(t *testing.T) {
			c.call(t, sdkConfig(srv, ""))
			got := last()
			want := got.req.Header.Get("Authorization")
			date, err := time.Parse(dateLayout, got.req.Header.Get(headerDate))
			if err != nil {
				t.Fatalf("SDK sent x-acs-date %q: %v", got.req.Header.Get(headerDate), err)
			}
			re := got.req.Clone(got.req.Context())
			re.Header.Del("Authorization")
			SignRequestV3(re, got.body, sdkAccount, date, got.req.Header.Get(headerNonce))
			if re.Header.Get("Authorization") != want {
				t.Errorf("SignRequestV3 Authorization\n got %s\nwant %s", re.Header.Get("Authorization"), want)
			}
		})
		t.Run(c.op+"/v1", func(t *testing.T) {
			c.call(t, sdkConfig(srv, "v2"))
			got := last()
			q := got.req.URL.Query()
			date, err := time.Parse(dateLayout, q.Get("Timestamp"))
			if err != nil {
				t.Fatalf("SDK sent Timestamp %q: %v", q.Get("Timestamp"), err)
			}
			re := got.req.Clone(got.req.Context())
			SignRequestV1(re, got.body, sdkAccount, date, q.Get("SignatureNonce"))
			if gotSig, want := re.URL.Query().Get("Signature"), q.Get("Signature"); gotSig != want {
				t.Errorf("SignRequestV1 Signature = %q, want the SDK's %q", gotSig, want)
			}
		})
	}
}

// TestEncodePlacesLikeSDK checks that wire.Encode, driven by the specs,
// puts every business parameter where the SDK puts it, with the same value.
func TestEncodePlacesLikeSDK(t *testing.T) {
	model, err := specs.Load()
	if err != nil {
		t.Fatalf("specs.Load: %v", err)
	}
	srv, last := captureServer(t)
	for _, c := range sdkCases() {
		op, ok := model.Operation(c.op)
		if !ok {
			t.Fatalf("no operation %q in the specs", c.op)
		}
		c.call(t, sdkConfig(srv, ""))
		got := last()
		query, _ := wire.ParsePairs(got.req.URL.RawQuery, "query")
		body, _ := wire.ParsePairs(string(got.body), "body")
		e := wire.Encode(op, c.req)
		if diff := cmp.Diff(businessPairs(append(query, body...)), businessPairs(append(e.Query, e.Body...))); diff != "" {
			t.Errorf("%s: parameters and places (-SDK +Encode):\n%s", c.op, diff)
		}
	}
}

// businessPairs drops the common parameters and sorts the rest.
func businessPairs(pairs []wire.Pair) []wire.Pair {
	var out []wire.Pair
	for _, p := range pairs {
		if !wire.IsCommon(p.Key) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Key != out[j].Key {
			return out[i].Key < out[j].Key
		}
		return out[i].In < out[j].In
	})
	return out
}
