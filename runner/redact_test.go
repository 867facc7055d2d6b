package runner

import (
	"net/http"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	op := testOperation(t, "eds-user")
	form := http.Header{"Content-Type": {formMediaType}}
	tests := []struct {
		reason  string
		in      Exchange
		secrets []string
		want    Exchange
	}{{
		reason: "the V1 Signature parameter",
		in:     Exchange{URL: "http://h/?Action=A&Signature=abc%2B%3D&Timestamp=t"},
		want:   Exchange{URL: "http://h/?Action=A&Signature=<redacted>&Timestamp=t"},
	}, {
		reason: "the V3 signature in Authorization, the rest of the header kept",
		in:     Exchange{URL: "http://h/", Header: http.Header{"Authorization": {"ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x-acs-date,Signature=0123abcd"}}},
		want:   Exchange{URL: "http://h/", Header: http.Header{"Authorization": {"ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x-acs-date,Signature=<redacted>"}}},
	}, {
		reason: "secret parameters of the spec in a form body, at any index and in any spelling",
		in: Exchange{URL: "http://h/", Header: form,
			Body: "Users.1.EndUserId=alice&Users.1.Password=Secret%2A1x&Users.x.password=Other%201x&Password=Top-Level1"},
		want: Exchange{URL: "http://h/", Header: form,
			Body: "Users.1.EndUserId=alice&Users.1.Password=<redacted>&Users.x.password=<redacted>&Password=<redacted>"},
	}, {
		reason: "a body that is not a form is not rewritten",
		in:     Exchange{URL: "http://h/", Body: "Password=kept-as-is"},
		want:   Exchange{URL: "http://h/", Body: "Password=kept-as-is"},
	}, {
		reason: "a secret parameter's value echoed in the response, plain and JSON-escaped",
		in: Exchange{URL: "http://h/?Password=Ech%3Co%22ed1", Status: 200,
			RespBody: []byte(`{"a":"Ech<o\"ed1","b":"Ech\u003co\"ed1"}`), Err: "saw Ech<o\"ed1"},
		want: Exchange{URL: "http://h/?Password=<redacted>", Status: 200,
			RespBody: []byte(`{"a":"<redacted>","b":"<redacted>"}`), Err: "saw <redacted>"},
	}, {
		reason: "a secret value that is also part of a non-secret value sent is left in the response",
		in:     Exchange{URL: "http://h/?Password=alice&UserName=alice2", RespBody: []byte(`{"UserName":"alice2"}`)},
		want:   Exchange{URL: "http://h/?Password=<redacted>&UserName=alice2", RespBody: []byte(`{"UserName":"alice2"}`)},
	}, {
		reason: "a short secret value is masked in place, not searched for",
		in:     Exchange{URL: "http://h/?Password=ab", RespBody: []byte(`{"tab":1}`)},
		want:   Exchange{URL: "http://h/?Password=<redacted>", RespBody: []byte(`{"tab":1}`)},
	}, {
		reason:  "an account secret anywhere, response headers included",
		in:      Exchange{URL: "http://h/", Err: "key first-secret-value-0123", RespHeader: http.Header{"X-Echo": {"first-secret-value-0123"}}},
		secrets: []string{testAccounts[0].AccessKeySecret},
		want:    Exchange{URL: "http://h/", Err: "key <redacted>", RespHeader: http.Header{"X-Echo": {"<redacted>"}}},
	}}
	for _, tt := range tests {
		got := Redact(op, tt.in, tt.secrets...)
		if got.URL != tt.want.URL || got.Body != tt.want.Body || string(got.RespBody) != string(tt.want.RespBody) || got.Err != tt.want.Err {
			t.Errorf("%s:\n got URL %s\n     body %s\n     resp %s\n     err %s\nwant URL %s\n     body %s\n     resp %s\n     err %s", tt.reason,
				got.URL, got.Body, got.RespBody, got.Err, tt.want.URL, tt.want.Body, tt.want.RespBody, tt.want.Err)
		}
		if a, b := headerText(got.Header), headerText(tt.want.Header); a != b {
			t.Errorf("%s: header\n got %s\nwant %s", tt.reason, a, b)
		}
		if a, b := headerText(got.RespHeader), headerText(tt.want.RespHeader); a != b {
			t.Errorf("%s: response header\n got %s\nwant %s", tt.reason, a, b)
		}
	}
}

func headerText(h http.Header) string {
	var b strings.Builder
	h.Write(&b)
	return b.String()
}

func TestRedactDoesNotTouchItsInput(t *testing.T) {
	in := Exchange{URL: "http://h/", Header: http.Header{"Authorization": {"ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host,Signature=abc"}}}
	Redact(nil, in)
	if got := in.Header.Get("Authorization"); !strings.HasSuffix(got, "Signature=abc") {
		t.Errorf("Redact changed the caller's header: %s", got)
	}
}
