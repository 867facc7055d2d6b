package runner

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/acsconform/acsconform/wire"
)

// TestSendSignsVerifiably re-signs what the server received with the
// account's secret and the request's own date and nonce: the signature the
// client sent must be that one, for each version and place of parameters.
func TestSendSignsVerifiably(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, Target{URL: rec.URL})
	for _, tt := range []struct {
		reason string
		op     string
		req    wire.Request
		sig    wire.Signature
	}{
		{"V3 with everything in the query", "bastionhost", bastionhostRequest(), wire.SignV3},
		{"V3 with a form body", "eds-user", edsRequest(), wire.SignV3},
		{"V1 with everything in the query", "bastionhost", bastionhostRequest(), wire.SignV1},
		{"V1 with a form body", "eds-user", edsRequest(), wire.SignV1},
	} {
		ex := c.Send(context.Background(), testOperation(t, tt.op), tt.req, SendOptions{Signature: tt.sig})
		if ex.Err != "" || ex.Status != 200 {
			t.Fatalf("%s: exchange failed: status %d, %s", tt.reason, ex.Status, ex.Err)
		}
		got := rec.last(t)
		if sent, want := signatureOf(got, tt.sig), resign(t, got, tt.sig, testAccounts[0]); sent != want {
			t.Errorf("%s: sent signature %q, the request's own is %q", tt.reason, sent, want)
		}
	}
}

// signatureOf is the signature a captured request carries.
func signatureOf(c captured, sig wire.Signature) string {
	if sig == wire.SignV1 {
		return c.req.URL.Query().Get(paramSig)
	}
	m := signatureText.FindStringSubmatch(c.req.Header.Get(headerAuth))
	if m == nil {
		return ""
	}
	return strings.TrimPrefix(m[0], "Signature=")
}

// resign computes the signature of a captured request from its date and
// nonce with acct.
func resign(t *testing.T, c captured, sig wire.Signature, acct Account) string {
	t.Helper()
	re := c.req.Clone(c.req.Context())
	if sig == wire.SignV1 {
		q := re.URL.Query()
		date, err := time.Parse(dateLayout, q.Get("Timestamp"))
		if err != nil {
			t.Fatalf("Timestamp %q: %v", q.Get("Timestamp"), err)
		}
		SignRequestV1(re, c.body, acct, date, q.Get("SignatureNonce"))
		return re.URL.Query().Get(paramSig)
	}
	date, err := time.Parse(dateLayout, re.Header.Get(headerDate))
	if err != nil {
		t.Fatalf("x-acs-date %q: %v", re.Header.Get(headerDate), err)
	}
	SignRequestV3(re, c.body, acct, date, re.Header.Get(headerNonce))
	return signatureOf(captured{req: re}, wire.SignV3)
}

// TestSendWire checks the parts of the request besides the signature:
// Action and Version, Format, the business parameters and their places.
func TestSendWire(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, Target{URL: rec.URL})
	op := testOperation(t, "eds-user")
	tests := []struct {
		reason    string
		sig       wire.Signature
		format    string
		wantQuery []string // common keys expected in the query
		wantNot   []string // common keys that must not be there
	}{
		{"V3 carries Action and Version in headers only, no Format", wire.SignV3, "", nil, []string{"Action", "Version", "Format", "Signature"}},
		{"V3 sends a requested Format", wire.SignV3, "XML", []string{"Format"}, []string{"Action"}},
		{"V1 puts Action, Version, Format and the signature parts in the query", wire.SignV1, "",
			[]string{"Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Signature"}, nil},
		{"unsigned sends Action, Version and Format and nothing of a signature", wire.SignNone, "",
			[]string{"Action", "Version", "Format"}, []string{"AccessKeyId", "Signature", "SignatureNonce", "Timestamp"}},
	}
	for _, tt := range tests {
		r := edsRequest()
		r.Format = tt.format
		c.Send(context.Background(), op, r, SendOptions{Signature: tt.sig})
		got := rec.last(t)
		q := got.req.URL.Query()
		for _, k := range tt.wantQuery {
			if !q.Has(k) {
				t.Errorf("%s: query lacks %s: %s", tt.reason, k, got.req.URL.RawQuery)
			}
		}
		for _, k := range tt.wantNot {
			if q.Has(k) {
				t.Errorf("%s: query has %s: %s", tt.reason, k, got.req.URL.RawQuery)
			}
		}
		if got.req.Header.Get("x-acs-action") != op.Action || got.req.Header.Get("x-acs-version") != op.Version {
			t.Errorf("%s: x-acs-action/x-acs-version = %q/%q, want %q/%q", tt.reason,
				got.req.Header.Get("x-acs-action"), got.req.Header.Get("x-acs-version"), op.Action, op.Version)
		}
		if q.Has("Format") && q.Get("Format") != firstNonEmpty(tt.format, "json") {
			t.Errorf("%s: Format = %q", tt.reason, q.Get("Format"))
		}
		body, _ := wire.ParsePairs(string(got.body), "body")
		query, _ := wire.ParsePairs(got.req.URL.RawQuery, "query")
		e := wire.Encode(op, r)
		if diff := cmp.Diff(businessPairs(append(e.Query, e.Body...)), businessPairs(append(query, body...))); diff != "" {
			t.Errorf("%s: business parameters (-encoded +received):\n%s", tt.reason, diff)
		}
	}
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestSendTampers checks that each fault is the one named and only that.
func TestSendTampers(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, Target{URL: rec.URL})
	op := testOperation(t, "eds-user") // a form body, and no rate limit to pace
	skew := model.TimestampSkew
	for _, sig := range []wire.Signature{wire.SignV3, wire.SignV1} {
		send := func(opts SendOptions) captured {
			opts.Signature = sig
			if ex := c.Send(context.Background(), op, edsRequest(), opts); ex.Err != "" {
				t.Fatalf("%s %s: %s", sig, opts.Tamper, ex.Err)
			}
			return rec.last(t)
		}
		clean := send(SendOptions{})
		parts := signingParts(clean, sig)

		got := send(SendOptions{Tamper: wire.TamperWrongSignature})
		if s := signatureOf(got, sig); s == "" || s == resign(t, got, sig, testAccounts[0]) {
			t.Errorf("%s wrong-signature: signature %q is missing or right", sig, s)
		}

		got = send(SendOptions{Tamper: wire.TamperExpiredTimestamp})
		if date := signingParts(got, sig)["date"]; !olderThan(t, date, skew) {
			t.Errorf("%s expired-timestamp: date %s is within %v of now", sig, date, skew)
		}
		if signatureOf(got, sig) != resign(t, got, sig, testAccounts[0]) {
			t.Errorf("%s expired-timestamp: the signature must still be right", sig)
		}

		got = send(SendOptions{Tamper: wire.TamperReusedNonce})
		if n := signingParts(got, sig)["nonce"]; n != parts["nonce"] {
			t.Errorf("%s reused-nonce: nonce %q, want the last untampered request's %q", sig, n, parts["nonce"])
		}
		got = send(SendOptions{Tamper: wire.TamperReusedNonce, Nonce: "explicit-nonce"})
		if n := signingParts(got, sig)["nonce"]; n != "explicit-nonce" {
			t.Errorf("%s reused-nonce with Nonce: nonce %q, want explicit-nonce", sig, n)
		}

		got = send(SendOptions{Tamper: wire.TamperUnsigned})
		if s := signatureOf(got, sig); s != "" {
			t.Errorf("%s unsigned: carries signature %q", sig, s)
		}
		if p := signingParts(got, sig); p["date"] == "" || p["nonce"] == "" {
			t.Errorf("%s unsigned: the other signing parts are missing: %v", sig, p)
		}

		got = send(SendOptions{Tamper: wire.TamperUnknownAccessKey})
		if id := signingParts(got, sig)["key"]; id == "" || id == testAccounts[0].AccessKeyID || id == testAccounts[1].AccessKeyID {
			t.Errorf("%s unknown-access-key: AccessKeyId %q is missing or known", sig, id)
		}

		got = send(SendOptions{Account: 1})
		if id := signingParts(got, sig)["key"]; id != testAccounts[1].AccessKeyID || signatureOf(got, sig) != resign(t, got, sig, testAccounts[1]) {
			t.Errorf("%s account 1: AccessKeyId %q or signature not the second account's", sig, id)
		}
	}
}

// signingParts are the date, nonce and AccessKeyId of a captured request.
func signingParts(c captured, sig wire.Signature) map[string]string {
	if sig == wire.SignV1 {
		q := c.req.URL.Query()
		return map[string]string{"date": q.Get("Timestamp"), "nonce": q.Get("SignatureNonce"), "key": q.Get("AccessKeyId")}
	}
	auth := c.req.Header.Get(headerAuth)
	key := ""
	if _, rest, ok := strings.Cut(auth, "Credential="); ok {
		key, _, _ = strings.Cut(rest, ",")
	}
	if auth == "" {
		key = "unsent"
	}
	return map[string]string{"date": c.req.Header.Get(headerDate), "nonce": c.req.Header.Get(headerNonce), "key": key}
}

func olderThan(t *testing.T, date string, skew time.Duration) bool {
	d, err := time.Parse(dateLayout, date)
	if err != nil {
		t.Fatalf("date %q: %v", date, err)
	}
	return time.Since(d) > skew
}

func TestSendEndpoints(t *testing.T) {
	def, byID, byProduct := newRecorder(t), newRecorder(t), newRecorder(t)
	ram, eds, bastion := testOperation(t, "ram"), testOperation(t, "eds-user"), testOperation(t, "bastionhost")
	c := newTestClient(t, Target{URL: def.URL, Endpoints: map[string]string{
		eds.ID: byID.URL, bastion.Product: byProduct.URL + "/",
	}})
	for _, tt := range []struct {
		reason string
		op     string
		want   *recorder
	}{
		{"an operation without an endpoint uses the target URL", ram.ID, def},
		{"an endpoint keyed by operation ID", eds.ID, byID},
		{"an endpoint keyed by product code", bastion.ID, byProduct},
	} {
		before := tt.want.count()
		ex := c.Send(context.Background(), testOperation(t, tt.op), wire.Request{}, SendOptions{})
		if tt.want.count() != before+1 {
			t.Errorf("%s: the request did not reach %s (exchange URL %s)", tt.reason, tt.want.URL, ex.URL)
		}
		if got := tt.want.last(t).req.URL.Path; got != "/" {
			t.Errorf("%s: path %q, want /", tt.reason, got)
		}
	}
}

func TestSendRefusesBadOptions(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, Target{URL: rec.URL})
	fresh := newTestClient(t, Target{URL: rec.URL})
	op := testOperation(t, "ram")
	tests := []struct {
		reason string
		client *Client
		opts   SendOptions
	}{
		{"an unknown signature version", c, SendOptions{Signature: "v2"}},
		{"an account the target does not have", c, SendOptions{Account: len(testAccounts)}},
		{"a negative account", c, SendOptions{Account: -1}},
		{"an unknown tamper", c, SendOptions{Tamper: "sideways"}},
		{"a reused nonce before any nonce was used", fresh, SendOptions{Tamper: wire.TamperReusedNonce}},
	}
	for _, tt := range tests {
		before := rec.count()
		ex := tt.client.Send(context.Background(), op, wire.Request{}, tt.opts)
		if !strings.HasPrefix(ex.Err, "runner: ") || ex.Status != 0 || rec.count() != before {
			t.Errorf("%s: status %d, Err %q, sent %d; want nothing sent and a runner: error", tt.reason, ex.Status, ex.Err, rec.count()-before)
		}
	}
}

func TestNewClientRejectsBadTargets(t *testing.T) {
	tests := []struct {
		reason string
		target Target
	}{
		{"no URL at all", Target{}},
		{"a relative URL", Target{URL: "127.0.0.1:8080"}},
		{"another scheme", Target{URL: "ftp://127.0.0.1"}},
		{"a URL with a query", Target{URL: "http://127.0.0.1/?a=b"}},
		{"an unparsable URL", Target{URL: "http://[::1"}},
		{"a bad endpoint", Target{URL: "http://127.0.0.1", Endpoints: map[string]string{"ram": "nope"}}},
		{"an endpoint without a name", Target{Endpoints: map[string]string{"": "http://127.0.0.1"}}},
		{"a negative timeout", Target{URL: "http://127.0.0.1", Timeout: -time.Second}},
	}
	for _, tt := range tests {
		if _, err := NewClient(tt.target); err == nil {
			t.Errorf("%s: NewClient accepted %+v", tt.reason, tt.target)
		}
	}
}

// TestSendRedacts checks that no account secret, user-supplied secret or
// signature leaves Send, while the target received them, and that generated
// passwords (test data) stay in the exchange.
func TestSendRedacts(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, Target{URL: rec.URL})
	supplied := newTestClient(t, Target{URL: rec.URL, Secrets: []string{queryPassword, userPassword}})
	for _, tt := range []struct {
		reason string
		c      *Client
		op     string
		req    wire.Request
		shown  []string
		hidden []string
	}{
		{"a generated password is shown", c, "bastionhost", bastionhostRequest(), []string{queryPassword}, nil},
		{"generated passwords in a form body are shown", c, "eds-user", edsRequest(), []string{userPassword, topPassword}, nil},
		{"a user-supplied secret is redacted", supplied, "bastionhost", bastionhostRequest(), nil, []string{queryPassword}},
		{"only the user-supplied secrets are redacted", supplied, "eds-user", edsRequest(), []string{topPassword}, []string{userPassword}},
	} {
		for _, sig := range []wire.Signature{wire.SignV3, wire.SignV1} {
			ex := tt.c.Send(context.Background(), testOperation(t, tt.op), tt.req, SendOptions{Signature: sig})
			got := rec.last(t)
			received := got.req.URL.RawQuery + "\n" + string(got.body)
			dump := fmt.Sprintf("%+v\n%s", ex, Curl(ex))
			for _, secret := range append([]string{testAccounts[0].AccessKeySecret, signatureOf(got, sig)}, tt.hidden...) {
				if strings.Contains(dump, secret) || strings.Contains(dump, url.QueryEscape(secret)) || strings.Contains(dump, wire.PercentEncode(secret)) {
					t.Errorf("%s (%s %s): the exchange or its curl holds secret %q:\n%s", tt.reason, tt.op, sig, secret, dump)
				}
			}
			for _, v := range append(tt.shown, tt.hidden...) {
				if !strings.Contains(received, wire.PercentEncode(v)) {
					t.Errorf("%s (%s %s): the target did not receive %q", tt.reason, tt.op, sig, v)
				}
			}
			for _, v := range tt.shown {
				if !strings.Contains(dump, wire.PercentEncode(v)) {
					t.Errorf("%s (%s %s): %q is not in the exchange:\n%s", tt.reason, tt.op, sig, v, dump)
				}
			}
		}
	}
}

// TestSignedKeepsItsSignature checks that Signed signs without sending,
// keeps the signature and still redacts the account secret.
func TestSignedKeepsItsSignature(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, Target{URL: rec.URL})
	for _, sig := range []wire.Signature{wire.SignV3, wire.SignV1} {
		ex, err := c.Signed(testOperation(t, "ram"), wire.Request{Op: "ram", Params: map[string]string{"UserName": "alice"}}, SendOptions{Signature: sig})
		if err != nil {
			t.Fatalf("%s: %v", sig, err)
		}
		line := CurlSigned(ex)
		if strings.Contains(line, Redacted) || strings.Contains(line, SignaturePlaceholder) || !strings.Contains(line, "Signature=") {
			t.Errorf("%s: want the real signature in %s", sig, line)
		}
		if strings.Contains(line, testAccounts[0].AccessKeySecret) {
			t.Errorf("%s: the secret is in %s", sig, line)
		}
	}
	if n := rec.count(); n != 0 {
		t.Errorf("Signed sent %d requests", n)
	}
}
