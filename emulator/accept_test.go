package emulator

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestAccepted sends requests every rule allows, boundaries and the
// emulator's readings of ambiguous places included: each gets 200.
func TestAccepted(t *testing.T) {
	srv := newTestServer(t, Options{Now: steppingClock(100 * time.Millisecond)})
	bh := func(name string, kv ...string) map[string]string { return with(bastionhostParams(name), kv...) }
	tests := []struct {
		reason string
		call   testCall
	}{
		{"RAM the seed's own example", testCall{Op: opRAM, Query: ramUserParams("zhangqiang")}},
		{"RAM UserName of 64 characters, every allowed character", testCall{Op: opRAM, Query: map[string]string{"UserName": "aZ09.@-_" + strings.Repeat("x", 56)}}},
		{"RAM DisplayName of 12 Chinese characters", testCall{Op: opRAM, Query: map[string]string{"UserName": "u12", "DisplayName": strings.Repeat("龥", 12)}}},
		{"RAM Comments of 128 characters", testCall{Op: opRAM, Query: map[string]string{"UserName": "u128", "Comments": strings.Repeat("备", 128)}}},
		{"RAM optional parameters sent empty count as not sent", testCall{Op: opRAM, Query: map[string]string{"UserName": "uempty", "DisplayName": "", "Email": ""}}},
		{"RAM parameters in a form body", testCall{Op: opRAM, Form: map[string]string{"UserName": "inbody"}}},
		{"RAM by GET", testCall{Op: opRAM, Method: http.MethodGet, Query: map[string]string{"UserName": "byget"}}},
		{"RAM V1 signing", testCall{Op: opRAM, Sig: "v1", Query: map[string]string{"UserName": "v1user", "Comments": "a b*c~d"}}},
		{"eds-user 24-character EndUserId", testCall{Op: opEDS, Form: edsForm(strings.Repeat("a", 24))}},
		{"eds-user 3-character EndUserId, strong passwords", testCall{Op: opEDS, Form: with(edsForm("a_1"), "Users.1.Password", "Abcdefgh1!", "Password", "abcdefgh1!")}},
		{"eds-user unknown fields and nested lists are ignored", testCall{Op: opEDS, Form: with(edsForm("nested"), "Users.1.GroupIdList.1", "g1", "Users.1.OwnerType", "Anything")}},
		{"eds-user a valid AutoLockTime", testCall{Op: opEDS, Form: edsForm("locked"), Query: map[string]string{"AutoLockTime": "2023-03-03"}}},
		{"Bastionhost Source local, as the seed's example", testCall{Op: opBastionhost, Query: bh("lower_source", "Source", "local")}},
		{"Bastionhost Ram with SourceUserId, no Password", testCall{Op: opBastionhost, Query: bh("ram_user", "Source", "Ram", "SourceUserId", "122748924538", "Password", "\x00")}},
		{"Bastionhost LDAP with a DN", testCall{Op: opBastionhost, Query: bh("ldap_user", "Source", "LDAP", "SourceUserId", "cn=x,dc=example,dc=com", "Password", "\x00")}},
		{"Bastionhost UserName of 128 characters", testCall{Op: opBastionhost, Query: bh(strings.Repeat("b", 128))}},
		{"Bastionhost Password of 128 characters", testCall{Op: opBastionhost, Query: bh("long_pw", "Password", "Aa1!"+strings.Repeat("x", 124))}},
		{"Bastionhost Global 2FA requires nothing more", testCall{Op: opBastionhost, Query: bh("global", "TwoFactorStatus", "Global", "TwoFactorMethods", `["email"]`)}},
		{"Bastionhost an empty TwoFactorMethods without Enable", testCall{Op: opBastionhost, Query: bh("no_methods", "TwoFactorMethods", `[]`)}},
		{"Bastionhost Enable+totp needs neither Email nor Mobile", testCall{Op: opBastionhost, Query: bh("totp", "TwoFactorStatus", "Enable", "TwoFactorMethods", `["totp"]`)}},
		{"Bastionhost Enable+email with Email", testCall{Op: opBastionhost, Query: bh("mail_2fa", "TwoFactorStatus", "Enable", "TwoFactorMethods", `["email"]`, "Email", "username@example.com")}},
		{"Bastionhost 64-bit times at the limits", testCall{Op: opBastionhost, Query: bh("times", "EffectiveStartTime", "-9223372036854775808", "EffectiveEndTime", "9223372036854775807")}},
		{"Bastionhost every optional parameter", testCall{Op: opBastionhost, Query: bh("everything", "RegionId", "cn-hangzhou", "DisplayName", "Bob", "Comment", "comment",
			"Mobile", "13599990000", "MobileCountryCode", "SA", "NeedResetPassword", "false", "LanguageStatus", "Custom", "Language", "zh-cn")}},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			got := send(t, srv.URL, tt.call)
			if got.Status != http.StatusOK {
				t.Fatalf("%s: got %d, want 200\n%s", tt.reason, got.Status, got.Raw)
			}
			if !requestIDForm.MatchString(got.str("RequestId")) {
				t.Errorf("RequestId %q", got.str("RequestId"))
			}
		})
	}
}

// TestRepeatedKeyFirstWins sends UserName twice: the first value is the one
// created.
func TestRepeatedKeyFirstWins(t *testing.T) {
	srv := newTestServer(t, Options{NoAuth: true})
	hr, _ := http.NewRequest(http.MethodPost, srv.URL+"/?Action=CreateUser&Version=2015-05-01&UserName=first&UserName=second", nil)
	got := sendRaw(t, hr)
	if got.Status != http.StatusOK || got.str("User.UserName") != "first" {
		t.Fatalf("got %d %s, want 200 with UserName first", got.Status, got.Raw)
	}
}

// TestEDSBatch creates a batch holding a new user, a user already in the
// account and a repeat of an earlier user of the batch.
func TestEDSBatch(t *testing.T) {
	srv := newTestServer(t, Options{})
	send(t, srv.URL, testCall{Op: opEDS, Form: edsForm("existing")})
	got := send(t, srv.URL, testCall{Op: opEDS, Form: edsForm("fresh", "existing", "fresh")})
	if got.Status != http.StatusOK {
		t.Fatalf("got %d %s", got.Status, got.Raw)
	}
	cr := got.Body["CreateResult"].(map[string]any)
	created, failed := cr["CreatedUsers"].([]any), cr["FailedUsers"].([]any)
	if len(created) != 1 || created[0].(map[string]any)["EndUserId"] != "fresh" {
		t.Errorf("CreatedUsers = %v, want fresh alone", created)
	}
	wantFailed := []string{"existing", "fresh"}
	if len(failed) != len(wantFailed) {
		t.Fatalf("FailedUsers = %v, want %v", failed, wantFailed)
	}
	for i, id := range wantFailed {
		f := failed[i].(map[string]any)
		if f["EndUserId"] != id || f["ErrorCode"] != "ExistedEndUserId" || f["Email"] != id+"@example.com" ||
			f["ErrorMessage"] != "The username "+id+" is used by another user." {
			t.Errorf("FailedUsers[%d] = %v", i, f)
		}
	}
}

// TestAccountsAreSeparate creates the same names under two AccessKeyIds:
// each account has its own users.
func TestAccountsAreSeparate(t *testing.T) {
	accounts := map[string]string{"AK1": "secret1", "AK2": "secret2"}
	srv := newTestServer(t, Options{Accounts: accounts})
	for _, op := range []string{opRAM, opEDS, opBastionhost} {
		for _, ak := range []string{"AK1", "AK2"} {
			call := testCall{Op: op, AK: ak, Secret: accounts[ak]}
			switch op {
			case opRAM:
				call.Query = ramUserParams("same")
			case opBastionhost:
				call.Query = bastionhostParams("same")
			case opEDS:
				call.Form = edsForm("same")
			}
			got := send(t, srv.URL, call)
			result, _ := got.Body["CreateResult"].(map[string]any)
			failed, _ := result["FailedUsers"].([]any)
			if got.Status != http.StatusOK || len(failed) != 0 {
				t.Errorf("%s as %s: got %d %s", op, ak, got.Status, got.Raw)
			}
		}
	}
}

// TestNoAuth serves unsigned requests: a configured AccessKeyId selects its
// account, anything else the anonymous one.
func TestNoAuth(t *testing.T) {
	srv := newTestServer(t, Options{NoAuth: true, Accounts: map[string]string{"AK1": "s1"}})
	tests := []struct {
		reason string
		ak     string
		status int
	}{
		{"unsigned, anonymous account", "", http.StatusOK},
		{"the anonymous account again", "", http.StatusConflict},
		{"an unknown AccessKeyId uses the anonymous account", "AKnobody", http.StatusConflict},
		{"a configured AccessKeyId selects its account", "AK1", http.StatusOK},
	}
	for _, tt := range tests {
		q := map[string]string{"UserName": "noauth"}
		if tt.ak != "" {
			q["AccessKeyId"] = tt.ak
		}
		if got := send(t, srv.URL, testCall{Op: opRAM, Sig: "none", Query: q}); got.Status != tt.status {
			t.Errorf("%s: got %d, want %d: %s", tt.reason, got.Status, tt.status, got.Raw)
		}
	}
}

// TestRAMQuotaDefault fills the default quota of an account and checks the
// next user is refused.
func TestRAMQuotaDefault(t *testing.T) {
	em := New(Options{NoAuth: true})
	for i := 0; i <= DefaultRAMUserQuota; i++ {
		hr, _ := http.NewRequest(http.MethodPost, "/?Action=CreateUser&Version=2015-05-01&UserName=u"+strconv.Itoa(i), nil)
		got := serveRecorded(t, em, hr)
		want := http.StatusOK
		if i == DefaultRAMUserQuota {
			want = http.StatusConflict
		}
		if got.Status != want {
			t.Fatalf("user %d: got %d %s, want %d", i, got.Status, got.Raw, want)
		}
	}
}

// TestXMLFormat asks for XML, in any case, on success and on error.
func TestXMLFormat(t *testing.T) {
	srv := newTestServer(t, Options{})
	tests := []struct {
		reason string
		call   testCall
		status int
		root   string
	}{
		{"V1 Format=XML success", testCall{Op: opRAM, Sig: "v1", Query: map[string]string{"UserName": "xml1", "Format": "XML"}}, 200, "CreateUserResponse"},
		{"V3 Format=xml in the query, success", testCall{Op: opEDS, Query: map[string]string{"Format": "xml"}, Form: edsForm("xmluser")}, 200, "CreateUsersResponse"},
		{"V3 Format=XML error", testCall{Op: opRAM, Query: map[string]string{"UserName": "bad name", "Format": "XML"}}, 400, "Error"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			got := send(t, srv.URL, tt.call)
			var doc struct {
				XMLName   xml.Name
				RequestID string `xml:"RequestId"`
				Code      string `xml:"Code"`
			}
			if err := xml.Unmarshal([]byte(got.Raw), &doc); err != nil {
				t.Fatalf("not XML: %v\n%s", err, got.Raw)
			}
			if got.Status != tt.status || doc.XMLName.Local != tt.root || got.Header.Get("Content-Type") != xmlContentType {
				t.Fatalf("got %d <%s> %q, want %d <%s> %q", got.Status, doc.XMLName.Local, got.Header.Get("Content-Type"), tt.status, tt.root, xmlContentType)
			}
			if !requestIDForm.MatchString(doc.RequestID) {
				t.Errorf("RequestId %q", doc.RequestID)
			}
		})
	}
}

// TestOversizedBody sends a body over MaxBodyBytes: a 400 envelope, not a 5xx.
func TestOversizedBody(t *testing.T) {
	srv := newTestServer(t, Options{NoAuth: true})
	body := "UserName=big&Comments=" + strings.Repeat("x", MaxBodyBytes)
	hr, _ := http.NewRequest(http.MethodPost, srv.URL+"/?Action=CreateUser&Version=2015-05-01", strings.NewReader(body))
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	got := sendRaw(t, hr)
	if got.Status != http.StatusBadRequest || got.str("Code") == "" {
		t.Fatalf("got %d %s, want a 400 envelope", got.Status, got.Raw)
	}
}

// TestMalformedQuery sends a broken percent escape: a 400 envelope.
func TestMalformedQuery(t *testing.T) {
	em := New(Options{NoAuth: true})
	hr, _ := http.NewRequest(http.MethodPost, "/?Action=CreateUser&Version=2015-05-01&UserName=%zz", nil)
	if got := serveRecorded(t, em, hr); got.Status != http.StatusBadRequest || got.str("Code") == "" {
		t.Fatalf("got %d %s, want a 400 envelope", got.Status, got.Raw)
	}
}
