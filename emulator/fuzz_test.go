package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzServeHTTP feeds arbitrary requests to the emulator, with and without
// signature checks: it never panics, never answers 5xx, and every answer is
// JSON (a 200 body or an error envelope with a Code).
func FuzzServeHTTP(f *testing.F) {
	seeds := []struct{ method, query, body, contentType, auth string }{
		{"POST", "Action=CreateUser&Version=2015-05-01&UserName=zhangqiang&DisplayName=%E5%BC%A0", "", "", ""},
		{"POST", "Action=CreateUsers&Version=2021-03-08", "Users.1.EndUserId=abc&Users.2.EndUserId=abc&Users.1.Password=Abcdefgh1!", "application/x-www-form-urlencoded", ""},
		{"GET", "Action=CreateUser&Version=2019-12-09&InstanceId=bastionhost-cn-emulator01&Source=local&UserName=a&Password=Aa1!aaaa&TwoFactorMethods=%5B%22sms%22%5D", "", "", ""},
		{"POST", "Action=CreateUsers&Version=2021-03-08", "Users.0.EndUserId=x&Users.99999999999999999999.A=1&Users..=&Users=", "application/x-www-form-urlencoded; charset=utf-8", ""},
		{"POST", "Format=XML&Action=CreateUser&Version=2015-05-01&UserName=%ff%fe", "", "", "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=00"},
		{"PUT", "%zz=%", "a=%", "application/x-www-form-urlencoded", "ACS3-HMAC-SHA256 ,,,==="},
		{"POST", "AccessKeyId=x&Signature=y&SignatureNonce=1&Timestamp=bad&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0", "", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.query, s.body, s.contentType, s.auth)
	}
	f.Fuzz(func(t *testing.T, method, query, body, contentType, auth string) {
		if !validMethod(method) {
			method = http.MethodPost
		}
		// Fresh emulators on a fixed clock: an input's path does not depend
		// on earlier inputs, so the fuzzer can minimize what it finds.
		clock := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
		for _, h := range []http.Handler{New(Options{NoAuth: true, Now: clock}), New(Options{Now: clock})} {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, fuzzRequest(method, query, body, contentType, auth))
			checkAnswer(t, rec)
		}
	})
}

// checkAnswer fails t unless rec holds a non-5xx answer whose JSON body is
// well formed (an envelope with a Code when it is an error).
func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("server error %d: %s", rec.Code, rec.Body)
	}
	if rec.Header().Get("Content-Type") != jsonContentType {
		return // XML was asked for
	}
	var envelope map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &envelope); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, rec.Body)
	}
	if code, _ := envelope["Code"].(string); rec.Code != http.StatusOK && code == "" {
		t.Fatalf("error %d without a Code: %s", rec.Code, rec.Body)
	}
}

// validMethod reports whether m is a token httptest.NewRequest accepts.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, r := range m {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`()<>@,;:\"/[]?={}`, r) {
			return false
		}
	}
	return true
}

// fuzzRequest builds an in-memory request from the fuzzed parts, with V3
// date and nonce headers so that a fuzzed Authorization is parsed further.
func fuzzRequest(method, query, body, contentType, auth string) *http.Request {
	hr := httptest.NewRequest(method, "/", strings.NewReader(body))
	hr.URL.RawQuery = query
	hr.Header.Set("Content-Type", contentType)
	hr.Header.Set("Authorization", auth)
	hr.Header.Set("x-acs-date", "2026-01-01T00:00:00Z")
	hr.Header.Set("x-acs-signature-nonce", "n")
	return hr
}
