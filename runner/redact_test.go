package runner

import (
	"math/rand"
	"net/http"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/wire"
)

func TestRedact(t *testing.T) {
	form := http.Header{"Content-Type": {formMediaType}}
	tests := []struct {
		reason  string
		in      Exchange
		secrets []string
		want    Exchange
	}{{
		reason: "the V1 Signature parameter, and its value echoed as JSON, XML and form",
		in: Exchange{URL: "http://h/?Action=A&Signature=abc%2B%3D&Timestamp=t",
			RespBody: []byte(`{"Signature":"abc+=","x":"<Signature>abc+=</Signature>","y":"Signature=abc%2B%3D"}`)},
		want: Exchange{URL: "http://h/?Action=A&Signature=<redacted>&Timestamp=t",
			RespBody: []byte(`{"Signature":"<redacted>","x":"<Signature><redacted></Signature>","y":"Signature=<redacted>"}`)},
	}, {
		reason: "the V3 signature in Authorization, the rest of the header kept, and its echo anywhere",
		in: Exchange{URL: "http://h/", Header: http.Header{"Authorization": {"ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x-acs-date,Signature=0123abcd"}},
			RespBody: []byte(`saw 0123abcd`)},
		want: Exchange{URL: "http://h/", Header: http.Header{"Authorization": {"ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x-acs-date,Signature=<redacted>"}},
			RespBody: []byte(`saw <redacted>`)},
	}, {
		reason: "generated passwords are test data: kept, in the query, the body and the response",
		in: Exchange{URL: "http://h/?Password=Ech%3Co1", Header: form,
			Body: "Users.1.EndUserId=alice&Users.1.Password=Secret%2A1x", RespBody: []byte(`{"a":"Ech<o1"}`)},
		want: Exchange{URL: "http://h/?Password=Ech%3Co1", Header: form,
			Body: "Users.1.EndUserId=alice&Users.1.Password=Secret%2A1x", RespBody: []byte(`{"a":"Ech<o1"}`)},
	}, {
		reason:  "an account secret anywhere, response headers included",
		in:      Exchange{URL: "http://h/", Err: "key first-secret-value-0123", RespHeader: http.Header{"X-Echo": {"first-secret-value-0123"}}},
		secrets: []string{testAccounts[0].AccessKeySecret},
		want:    Exchange{URL: "http://h/", Err: "key <redacted>", RespHeader: http.Header{"X-Echo": {"<redacted>"}}},
	}, {
		reason:  "a secret of 3 characters, plain, percent-encoded, JSON- and XML-escaped",
		in:      Exchange{URL: "http://h/?Password=a%26%22", RespBody: []byte(`{"m":"a&\"","h":"a\u0026\"","x":"a&amp;&#34;","q":"a&amp;&quot;"}`)},
		secrets: []string{`a&"`},
		want:    Exchange{URL: "http://h/?Password=<redacted>", RespBody: []byte(`{"m":"<redacted>","h":"<redacted>","x":"<redacted>","q":"<redacted>"}`)},
	}, {
		reason:  "a secret that is a part of the mask itself leaves the mask whole",
		in:      Exchange{URL: "http://h/?Signature=zz", RespBody: []byte(`red zz`)},
		secrets: []string{"red"},
		want:    Exchange{URL: "http://h/?Signature=<redacted>", RespBody: []byte(`<redacted> <redacted>`)},
	}, {
		reason: "the user information of a URL quoted by the target",
		in:     Exchange{URL: "http://h/", Err: "dial http://ak:sk@host:1/x"},
		want:   Exchange{URL: "http://h/", Err: "dial http://<redacted>@host:1/x"},
	}}
	for _, tt := range tests {
		got := Redact(tt.in, tt.secrets...)
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
	Redact(in)
	if got := in.Header.Get("Authorization"); !strings.HasSuffix(got, "Signature=abc") {
		t.Errorf("Redact changed the caller's header: %s", got)
	}
}

// TestPlainQueriesAreMaskedWithoutDecoding: for a query plainQuery lets
// maskURL and signaturesOf read without decoding, they give what decoding
// it gives (maskQuery, wire.ParsePairs); the queries the runner builds
// (wire.JoinPairs, V1 signed or not) are plain.
func TestPlainQueriesAreMaskedWithoutDecoding(t *testing.T) {
	queries := []string{"", "a=b", "a=b&", "&a=b", "a=b&&c=d", "a", "=v", "a=b=c", "a=%41", "a=%2a", "a=%2A",
		"a=%2", "a=+", "a=%20", "Signature=x", "Signature=", "Signatur%65=x", "S=%3Credacted%3E", "S=%3CSIGNATURE%3E",
		"k=%E4%B8%AD", "a=1&Signature=ab%2B%3D&SignatureNonce=n&XSignature=y&Signature=z", "Signature=%3Credacted%3E"}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 300; i++ {
		pairs := make([]wire.Pair, 1+rng.Intn(4))
		for j := range pairs {
			pairs[j] = wire.Pair{Key: randomText(rng), Value: randomText(rng)}
			if rng.Intn(4) == 0 {
				pairs[j].Key = paramSig
			}
		}
		queries = append(queries, wire.JoinPairs(pairs))
		if i%3 == 0 {
			queries = append(queries, randomText(rng))
		}
	}
	plain := 0
	for _, q := range queries {
		if !plainQuery(q) {
			continue
		}
		plain++
		if got, want := maskURL(readQuery("http://h/?"+q), Redacted), "http://h/?"+maskQuery(q, Redacted); got != want {
			t.Errorf("plain query %q masked as %q, want %q", q, got, want)
		}
		var want []string
		decoded, _ := wire.ParsePairs(q, "query")
		for _, p := range decoded {
			if p.Key == paramSig && p.Value != "" {
				want = append(want, p.Value)
			}
		}
		if got := signaturesOf(nil, readQuery("http://h/?"+q)); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("plain query %q: signatures %q, want %q", q, got, want)
		}
	}
	if plain < 100 {
		t.Errorf("only %d plain queries checked", plain)
	}
	built := wire.JoinPairs([]wire.Pair{{Key: "Users.1.Email", Value: "a+b@x.cn"}, {Key: "Raw key", Value: "<redacted> %zz"}, {Key: paramSig, Value: "ab+/="}})
	if !plainQuery(built) {
		t.Errorf("a query the runner builds is not plain: %q", built)
	}
}

// randomText is a short text over bytes that percent-encoding treats
// differently: unreserved, reserved, '%', '+', '=', '&', non-ASCII.
func randomText(rng *rand.Rand) string {
	const alphabet = "aZ09-_.~%+=&<>* \x00\xe4\xb8\xad3C2AS"
	b := make([]byte, rng.Intn(8))
	for i := range b {
		b[i] = alphabet[rng.Intn(len(alphabet))]
	}
	return string(b)
}
