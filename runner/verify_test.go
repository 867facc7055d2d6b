package runner

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/acsconform/acsconform/wire"
)

// secretOf knows sdkAccount's secret only.
func secretOf(id string) (string, bool) {
	if id == sdkAccount.AccessKeyID {
		return sdkAccount.AccessKeySecret, true
	}
	return "", false
}

// TestVerifySDKSignatures: what the official SDK signs, V3 and V1, for
// every operation, VerifySignature finds well formed and matching.
func TestVerifySDKSignatures(t *testing.T) {
	srv, last := captureServer(t)
	for _, c := range sdkCases() {
		for _, alg := range []string{"", "v2"} {
			c.call(t, sdkConfig(srv, alg))
			got := last()
			v := VerifySignature(got.req, got.body, secretOf)
			if v.Malformed != "" || !v.Known || !v.Match || v.PayloadMismatch {
				t.Errorf("%s %q: %+v, want a well-formed matching signature", c.op, alg, v)
			}
		}
	}
}

// TestVerifySignatureFaults: each fault in a signed request is told apart.
func TestVerifySignatureFaults(t *testing.T) {
	date := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	body := []byte("Users.1.EndUserId=a")
	build := func(v1 bool) *http.Request {
		req, _ := http.NewRequest("POST", "http://127.0.0.1:1/?AutoLockTime=x", bytes.NewReader(body))
		req.Header.Set("Content-Type", formMediaType)
		if v1 {
			req.URL.RawQuery += "&Action=CreateUsers&Version=2021-03-08&Format=JSON"
			SignRequestV1(req, body, sdkAccount, date, "n1")
			return req
		}
		req.Header.Set("x-acs-action", "CreateUsers")
		req.Header.Set("x-acs-version", "2021-03-08")
		SignRequestV3(req, body, sdkAccount, date, "n1")
		return req
	}
	rows := []struct {
		reason string
		v1     bool
		change func(r *http.Request) []byte
		check  func(c SignatureCheck) bool
	}{
		{"V3 as signed matches", false, nil, func(c SignatureCheck) bool { return c.Match && c.Malformed == "" }},
		{"V1 as signed matches", true, nil, func(c SignatureCheck) bool { return c.Match && c.Malformed == "" }},
		{"V3 query changed after signing does not match", false, func(r *http.Request) []byte { r.URL.RawQuery = "AutoLockTime=y"; return body },
			func(c SignatureCheck) bool { return c.Known && !c.Match && c.Malformed == "" }},
		{"V1 body changed after signing does not match", true, func(r *http.Request) []byte { return []byte("Users.1.EndUserId=b") },
			func(c SignatureCheck) bool { return c.Known && !c.Match && c.Malformed == "" }},
		{"V3 body changed after signing: the payload hash is wrong, the signature still matches", false, func(r *http.Request) []byte { return []byte("Users.1.EndUserId=b") },
			func(c SignatureCheck) bool { return c.Match && c.PayloadMismatch }},
		{"V3 without a nonce is malformed", false, func(r *http.Request) []byte { r.Header.Del(headerNonce); return body },
			func(c SignatureCheck) bool { return c.Malformed != "" && !c.Known }},
		{"V1 with another method is malformed", true, func(r *http.Request) []byte {
			r.URL.RawQuery += "&SignatureMethod=HMAC-SHA256"
			q := r.URL.Query()
			q.Set("SignatureMethod", "HMAC-SHA256")
			r.URL.RawQuery = q.Encode()
			return body
		}, func(c SignatureCheck) bool { return c.Malformed != "" }},
		{"an unknown AccessKeyId cannot be verified", false, func(r *http.Request) []byte {
			SignRequestV3(r, body, Account{AccessKeyID: "other", AccessKeySecret: "x"}, date, "n2")
			return body
		}, func(c SignatureCheck) bool { return c.Malformed == "" && !c.Known && c.AccessKeyID == "other" }},
		{"unsigned", false, func(r *http.Request) []byte { r.Header.Del(headerAuth); return body },
			func(c SignatureCheck) bool { return c.Version == wire.SignNone }},
	}
	for _, row := range rows {
		req, b := build(row.v1), body
		if row.change != nil {
			b = row.change(req)
		}
		if c := VerifySignature(req, b, secretOf); !row.check(c) {
			t.Errorf("%s: got %+v", row.reason, c)
		}
	}
}
