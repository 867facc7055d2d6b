package emulator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// requestIDForm is the documented form of every RequestId.
var requestIDForm = regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$`)

// with returns base with the given key/value pairs set; a value of "\x00"
// deletes the key.
func with(base map[string]string, kv ...string) map[string]string {
	out := copyMap(base)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "\x00" {
			delete(out, kv[i])
			continue
		}
		out[kv[i]] = kv[i+1]
	}
	return out
}

// TestDocumentedErrors reaches every documented error code of every
// operation, and every gateway error, through HTTP with a V3 signature.
func TestDocumentedErrors(t *testing.T) {
	srv := newTestServer(t, Options{RAMUserQuota: 2, Now: steppingClock(50 * time.Millisecond)})
	ram, bh := ramUserParams("dup"), bastionhostParams("dup")
	send(t, srv.URL, testCall{Op: opRAM, Query: ram})
	send(t, srv.URL, testCall{Op: opBastionhost, Query: bh})
	send(t, srv.URL, testCall{Op: opRAM, Query: ramUserParams("second")})
	long := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		reason string
		call   testCall
		status int
		code   string
	}{
		{"RAM UserName absent", testCall{Op: opRAM, Query: with(ram, "UserName", "\x00")}, 400, "MissingUserName"},
		{"RAM UserName empty counts as missing", testCall{Op: opRAM, Query: with(ram, "UserName", "")}, 400, "MissingUserName"},
		{"RAM UserName with a space", testCall{Op: opRAM, Query: with(ram, "UserName", "a b")}, 400, "InvalidParameter.UserName.InvalidChars"},
		{"RAM UserName chars checked before length", testCall{Op: opRAM, Query: with(ram, "UserName", long(70)+"!")}, 400, "InvalidParameter.UserName.InvalidChars"},
		{"RAM UserName of 65 characters", testCall{Op: opRAM, Query: with(ram, "UserName", long(65))}, 400, "InvalidParameter.UserName.Length"},
		{"RAM DisplayName with a space", testCall{Op: opRAM, Query: with(ram, "UserName", "u1", "DisplayName", "a b")}, 400, "InvalidParameter.DisplayName.InvalidChars"},
		{"RAM DisplayName of 13 characters", testCall{Op: opRAM, Query: with(ram, "UserName", "u1", "DisplayName", strings.Repeat("张", 13))}, 400, "InvalidParameter.DisplayName.Length"},
		{"RAM Comments of 129 characters", testCall{Op: opRAM, Query: with(ram, "UserName", "u1", "Comments", strings.Repeat("备", 129))}, 400, "InvalidParameter.Comments.Length"},
		{"RAM MobilePhone without country code", testCall{Op: opRAM, Query: with(ram, "UserName", "u1", "MobilePhone", "18600008888")}, 400, "InvalidParameter.MobilePhone.Format"},
		{"RAM Email without a domain", testCall{Op: opRAM, Query: with(ram, "UserName", "u1", "Email", "zhangqiang")}, 400, "InvalidParameter.Email.Format"},
		{"RAM UserName already taken", testCall{Op: opRAM, Query: ram}, 409, "EntityAlreadyExists.User"},
		{"RAM quota of 2 reached", testCall{Op: opRAM, Query: ramUserParams("third")}, 409, "LimitExceeded.User"},

		{"eds-user without Users", testCall{Op: opEDS, Form: map[string]string{"Password": "Abcdefgh1!"}}, 400, "MissingUsers"},
		{"eds-user EndUserId too short", testCall{Op: opEDS, Form: edsForm("ab")}, 400, "INTERNAL_ERROR"},
		{"eds-user EndUserId upper case", testCall{Op: opEDS, Form: edsForm("good_one", "Bad")}, 400, "INTERNAL_ERROR"},
		{"eds-user user without EndUserId", testCall{Op: opEDS, Form: map[string]string{"Users.1.Email": "a@example.com"}}, 400, "INTERNAL_ERROR"},
		{"eds-user weak per-user password", testCall{Op: opEDS, Form: with(edsForm("user_pw"), "Users.1.Password", "password1")}, 400, "INTERNAL_ERROR"},
		{"eds-user password with a space", testCall{Op: opEDS, Form: with(edsForm("user_pw"), "Users.1.Password", "Pass word12!")}, 400, "INTERNAL_ERROR"},
		{"eds-user weak top-level password", testCall{Op: opEDS, Form: with(edsForm("user_pw"), "Password", "short1A")}, 400, "INTERNAL_ERROR"},
		{"eds-user Email without @", testCall{Op: opEDS, Form: with(edsForm("user_mail"), "Users.1.Email", "nobody")}, 400, "INTERNAL_ERROR"},
		{"eds-user AutoLockTime not a date", testCall{Op: opEDS, Form: edsForm("user_lock"), Query: map[string]string{"AutoLockTime": "2023-02-30"}}, 400, "INTERNAL_ERROR"},
		{"eds-user index 0", testCall{Op: opEDS, Form: map[string]string{"Users.0.EndUserId": "user0"}}, 400, "INTERNAL_ERROR"},
		{"eds-user index not a number", testCall{Op: opEDS, Form: map[string]string{"Users.x.EndUserId": "userx"}}, 400, "INTERNAL_ERROR"},
		{"eds-user gap in indexes", testCall{Op: opEDS, Form: map[string]string{"Users.1.EndUserId": "user1", "Users.3.EndUserId": "user3"}}, 400, "INTERNAL_ERROR"},
		{"eds-user absurd index", testCall{Op: opEDS, Form: map[string]string{"Users.1000000.EndUserId": "user1"}}, 400, "INTERNAL_ERROR"},

		{"Bastionhost InstanceId absent", testCall{Op: opBastionhost, Query: with(bh, "InstanceId", "\x00")}, 400, "MissingInstanceId"},
		{"Bastionhost Source absent", testCall{Op: opBastionhost, Query: with(bh, "Source", "\x00")}, 400, "MissingSource"},
		{"Bastionhost UserName absent", testCall{Op: opBastionhost, Query: with(bh, "UserName", "\x00")}, 400, "MissingUserName"},
		{"Bastionhost unknown InstanceId", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "InstanceId", "bastionhost-cn-nowhere")}, 400, "InvalidParameter"},
		{"Bastionhost Source outside the enum", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "Source", "Kerberos")}, 400, "InvalidParameter"},
		{"Bastionhost UserName with a dash", testCall{Op: opBastionhost, Query: with(bh, "UserName", "a-b")}, 400, "InvalidParameter"},
		{"Bastionhost UserName of 129 characters", testCall{Op: opBastionhost, Query: with(bh, "UserName", long(129))}, 400, "InvalidParameter"},
		{"Bastionhost Local without Password", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "Password", "\x00")}, 400, "InvalidParameter"},
		{"Bastionhost Password of 7 characters", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "Password", "Pa0!xyz")}, 400, "InvalidParameter"},
		{"Bastionhost Password without a special character", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "Password", "Passw0rdxx")}, 400, "InvalidParameter"},
		{"Bastionhost Ram without SourceUserId", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "Source", "Ram")}, 400, "InvalidParameter"},
		{"Bastionhost DisplayName of 129 characters", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "DisplayName", long(129))}, 400, "InvalidParameter"},
		{"Bastionhost Comment of 501 characters", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "Comment", long(501))}, 400, "InvalidParameter"},
		{"Bastionhost MobileCountryCode outside the enum", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "MobileCountryCode", "FR")}, 400, "InvalidParameter"},
		{"Bastionhost EffectiveStartTime not an integer", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "EffectiveStartTime", "soon")}, 400, "InvalidParameter"},
		{"Bastionhost NeedResetPassword not a boolean", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "NeedResetPassword", "yes")}, 400, "InvalidParameter"},
		{"Bastionhost TwoFactorStatus outside the enum", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "TwoFactorStatus", "On")}, 400, "InvalidParameter"},
		{"Bastionhost Enable without TwoFactorMethods", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "TwoFactorStatus", "Enable")}, 400, "InvalidParameter"},
		{"Bastionhost two TwoFactorMethods", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "TwoFactorMethods", `["sms","email"]`)}, 400, "InvalidParameter"},
		{"Bastionhost TwoFactorMethods not JSON", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "TwoFactorMethods", "sms")}, 400, "InvalidParameter"},
		{"Bastionhost TwoFactorMethods outside the enum", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "TwoFactorMethods", `["fax"]`)}, 400, "InvalidParameter"},
		{"Bastionhost Enable with an empty TwoFactorMethods", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "TwoFactorStatus", "Enable", "TwoFactorMethods", `[]`)}, 400, "InvalidParameter"},
		{"Bastionhost Email without @", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "Email", "nobody")}, 400, "InvalidParameter"},
		{"Bastionhost EffectiveEndTime beyond 64 bits", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "EffectiveEndTime", "9223372036854775808")}, 400, "InvalidParameter"},
		{"Bastionhost Enable+email without Email", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "TwoFactorStatus", "Enable", "TwoFactorMethods", `["email"]`)}, 400, "InvalidParameter"},
		{"Bastionhost Enable+dingtalk without Mobile", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "TwoFactorStatus", "Enable", "TwoFactorMethods", `["dingtalk"]`)}, 400, "InvalidParameter"},
		{"Bastionhost LanguageStatus outside the enum", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "LanguageStatus", "Local")}, 400, "InvalidParameter"},
		{"Bastionhost Custom without Language", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "LanguageStatus", "Custom")}, 400, "InvalidParameter"},
		{"Bastionhost Language outside the enum", testCall{Op: opBastionhost, Query: with(bh, "UserName", "u1", "Language", "fr")}, 400, "InvalidParameter"},
		{"Bastionhost UserName already in the instance", testCall{Op: opBastionhost, Query: bh}, 400, "UserAlreadyExists"},

		{"no signature at all", testCall{Op: opRAM, Sig: "none", Query: ramUserParams("u2")}, 400, "IncompleteSignature"},
		{"V3 Authorization without Signature", testCall{Op: opRAM, Query: ramUserParams("u2"), Tamper: func(r *http.Request) {
			r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential="+DefaultAccessKeyID+",SignedHeaders=host")
		}}, 400, "IncompleteSignature"},
		{"V3 with an unknown algorithm", testCall{Op: opRAM, Query: ramUserParams("u2"), Tamper: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "ACS3-HMAC-SHA256", "ACS3-HMAC-MD5", 1))
		}}, 400, "IncompleteSignature"},
		{"V1 without SignatureMethod", testCall{Op: opRAM, Sig: "v1", Query: ramUserParams("u2"), Tamper: func(r *http.Request) {
			q := r.URL.Query()
			q.Del("SignatureMethod")
			r.URL.RawQuery = q.Encode()
		}}, 400, "IncompleteSignature"},
		{"V3 wrong secret", testCall{Op: opRAM, Query: ramUserParams("u2"), AK: DefaultAccessKeyID, Secret: "wrong"}, 400, "SignatureDoesNotMatch"},
		{"V1 wrong secret", testCall{Op: opRAM, Sig: "v1", Query: ramUserParams("u2"), AK: DefaultAccessKeyID, Secret: "wrong"}, 400, "SignatureDoesNotMatch"},
		{"V3 query changed after signing", testCall{Op: opRAM, Query: ramUserParams("u2"), Tamper: func(r *http.Request) {
			r.URL.RawQuery += "&Extra=1"
		}}, 400, "SignatureDoesNotMatch"},
		{"V3 body changed after signing", testCall{Op: opEDS, Form: edsForm("user_b"), Tamper: func(r *http.Request) {
			r.Body = http.NoBody
			r.ContentLength = 0
		}}, 400, "SignatureDoesNotMatch"},
		{"V3 unknown AccessKeyId", testCall{Op: opRAM, Query: ramUserParams("u2"), AK: "LTAInobody", Secret: "x"}, 404, "InvalidAccessKeyId.NotFound"},
		{"V1 unknown AccessKeyId", testCall{Op: opRAM, Sig: "v1", Query: ramUserParams("u2"), AK: "LTAInobody", Secret: "x"}, 404, "InvalidAccessKeyId.NotFound"},
		{"V3 timestamp 16 minutes old", testCall{Op: opRAM, Query: ramUserParams("u2"), Date: time.Now().Add(-16 * time.Minute)}, 400, "InvalidTimeStamp.Expired"},
		{"V1 timestamp 16 minutes ahead", testCall{Op: opRAM, Sig: "v1", Query: ramUserParams("u2"), Date: time.Now().Add(16 * time.Minute)}, 400, "InvalidTimeStamp.Expired"},
		{"unknown Action", testCall{Action: "DeleteUser", Version: "2015-05-01"}, 404, "InvalidAction.NotFound"},
		{"known Action, unknown Version", testCall{Action: "CreateUser", Version: "2020-01-01"}, 404, "InvalidAction.NotFound"},
		{"V1 unknown Action", testCall{Sig: "v1", Action: "CreateUsers", Version: "2015-05-01"}, 404, "InvalidAction.NotFound"},
		{"a path other than /", testCall{Op: opRAM, Query: ramUserParams("u2"), Tamper: func(r *http.Request) { r.URL.Path = "/users" }}, 404, "InvalidAction.NotFound"},
		{"a method other than GET or POST", testCall{Op: opRAM, Method: http.MethodPut, Query: ramUserParams("u2")}, 404, "InvalidAction.NotFound"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			got := send(t, srv.URL, tt.call)
			if got.Status != tt.status || got.str("Code") != tt.code {
				t.Fatalf("%s: got %d %s, want %d %s\n%s", tt.reason, got.Status, got.str("Code"), tt.status, tt.code, got.Raw)
			}
			assertEnvelope(t, got)
		})
	}
}

// assertEnvelope checks the error envelope's fields.
func assertEnvelope(t *testing.T, got testResponse) {
	t.Helper()
	if !requestIDForm.MatchString(got.str("RequestId")) {
		t.Errorf("RequestId %q is not an upper-case UUID", got.str("RequestId"))
	}
	for _, field := range []string{"HostId", "Message", "Recommend"} {
		if got.str(field) == "" {
			t.Errorf("envelope field %s is empty: %s", field, got.Raw)
		}
	}
	if ct := got.Header.Get("Content-Type"); ct != jsonContentType {
		t.Errorf("Content-Type %q, want %q", ct, jsonContentType)
	}
}

// TestSignatureNonceUsed replays a signed request: the second gets
// SignatureNonceUsed, whatever the operation.
func TestSignatureNonceUsed(t *testing.T) {
	srv := newTestServer(t, Options{})
	for _, sig := range []string{"v3", "v1"} {
		call := testCall{Op: opRAM, Sig: sig, Query: ramUserParams("nonce_" + sig), Nonce: "fixed-nonce-" + sig}
		if first := send(t, srv.URL, call); first.Status != http.StatusOK {
			t.Fatalf("%s first call: %d %s", sig, first.Status, first.Raw)
		}
		call.Query = ramUserParams("nonce2_" + sig)
		if again := send(t, srv.URL, call); again.Status != 400 || again.str("Code") != "SignatureNonceUsed" {
			t.Fatalf("%s replay: got %d %s, want 400 SignatureNonceUsed", sig, again.Status, again.Raw)
		}
	}
}

// TestNonceForgottenOnlyOnceExpired: a nonce replayed while its timestamp
// still passes is refused, even after hundreds of other requests; once the
// timestamp has left the window the replay is refused as expired, and the
// emulator no longer remembers the nonce.
func TestNonceForgottenOnlyOnceExpired(t *testing.T) {
	var mu sync.Mutex
	now := time.Now().Truncate(time.Second) // timestamps are signed to the second
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
	em := New(Options{Now: clock})
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	signed := clock()
	call := testCall{Op: opRAM, Query: ramUserParams("replayed"), Nonce: "replayed-nonce", Date: signed}
	if first := send(t, srv.URL, call); first.Status != 200 {
		t.Fatalf("first: got %d %s", first.Status, first.Raw)
	}
	for i := range 500 {
		if r := send(t, srv.URL, testCall{Op: opEDS, Form: edsForm(fmt.Sprintf("other_%d", i)), Date: signed}); r.Status != 200 {
			t.Fatalf("other request %d: got %d %s", i, r.Status, r.Raw)
		}
	}
	advance(MaxClockSkew) // the last instant the timestamp passes
	if again := send(t, srv.URL, call); again.str("Code") != "SignatureNonceUsed" {
		t.Fatalf("replay within the window: got %d %s, want SignatureNonceUsed", again.Status, again.Raw)
	}
	advance(time.Second)
	if late := send(t, srv.URL, call); late.str("Code") != "InvalidTimeStamp.Expired" {
		t.Fatalf("replay past the window: got %d %s, want InvalidTimeStamp.Expired", late.Status, late.Raw)
	}
	fresh := testCall{Op: opRAM, Query: ramUserParams("fresh"), Date: clock()}
	if r := send(t, srv.URL, fresh); r.Status != 200 {
		t.Fatalf("a fresh request: got %d %s", r.Status, r.Raw)
	}
	if n := em.nonces.len(); n != 1 {
		t.Fatalf("%d nonces remembered, want only the fresh request's", n)
	}
}

// TestMissingParameterMessage checks the gateway's wording of a missing
// mandatory parameter.
func TestMissingParameterMessage(t *testing.T) {
	srv := newTestServer(t, Options{})
	got := send(t, srv.URL, testCall{Op: opRAM, Query: map[string]string{"DisplayName": "x"}})
	want := `The input parameter "UserName" that is mandatory for processing this request is not supplied.`
	if got.str("Message") != want {
		t.Fatalf("Message %q, want %q", got.str("Message"), want)
	}
}
