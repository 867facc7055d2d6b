package runner

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/acsconform/acsconform/wire"
)

// SignatureCheck is what VerifySignature found about one request's signature.
type SignatureCheck struct {
	// Version is how the request is signed: V3 (an Authorization header),
	// V1 (a Signature parameter) or none.
	Version wire.Signature
	// AccessKeyID, Nonce and Date are what the request presents ("" when absent).
	AccessKeyID, Nonce string
	Date               time.Time
	// Malformed says in words what keeps the signature from being well
	// formed (a missing part, an unknown algorithm, a date that does not
	// parse); "" when it is well formed.
	Malformed string
	// Known reports that the AccessKeyId's secret was known, so the
	// signature could be recomputed; Match that it equals the one sent.
	Known, Match bool
	// PayloadMismatch reports a V3 x-acs-content-sha256 that is not the
	// SHA-256 of the body sent (the signature itself may still match).
	PayloadMismatch bool
}

// VerifySignature reads the signature of an incoming request (V3
// ACS3-HMAC-SHA256 or V1 HMAC-SHA1, PROTOCOL.md) and, when secret knows
// the AccessKeyId's secret, recomputes it with the signing code of
// SignRequestV3 and SignRequestV1 over what was sent: the signed headers
// the request names, its query and, for V1, its form body. body is the
// exact body sent; req is not changed.
func VerifySignature(req *http.Request, body []byte, secret func(accessKeyID string) (string, bool)) SignatureCheck {
	if auth := req.Header.Get(headerAuth); auth != "" {
		return verifyV3(req, auth, body, secret)
	}
	pairs, _ := wire.ParsePairs(req.URL.RawQuery, "query")
	for _, p := range pairs {
		if p.Key == paramSig {
			return verifyV1(req, pairs, body, secret)
		}
	}
	return SignatureCheck{Version: wire.SignNone}
}

// verifyV3 checks an "ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=..." request.
func verifyV3(req *http.Request, auth string, body []byte, secret func(string) (string, bool)) SignatureCheck {
	c := SignatureCheck{Version: wire.SignV3, Nonce: req.Header.Get(headerNonce)}
	rest, ok := strings.CutPrefix(auth, algorithmV3+" ")
	if !ok {
		c.Malformed = "the Authorization header does not start with " + algorithmV3
		return c
	}
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		fields[k] = v
	}
	c.AccessKeyID = fields["Credential"]
	var names []string
	if fields["SignedHeaders"] != "" {
		names = strings.Split(fields["SignedHeaders"], ";")
	}
	sum := sha256.Sum256(body)
	payload := req.Header.Get(headerContent)
	c.PayloadMismatch = payload != "" && !strings.EqualFold(payload, hex.EncodeToString(sum[:]))
	date := req.Header.Get(headerDate)
	var err error
	c.Date, err = time.Parse(dateLayout, date)
	switch {
	case c.AccessKeyID == "" || fields["Signature"] == "" || len(names) == 0:
		c.Malformed = "the Authorization header lacks Credential, SignedHeaders or Signature"
	case date == "" || c.Nonce == "" || payload == "":
		c.Malformed = "a V3 request needs the " + headerDate + ", " + headerNonce + " and " + headerContent + " headers"
	case err != nil:
		c.Malformed = headerDate + " " + date + " is not in the form " + dateLayout
	case !slices.Contains(names, "host"):
		c.Malformed = "SignedHeaders does not name host"
	default:
		for k := range req.Header {
			if lk := strings.ToLower(k); strings.HasPrefix(lk, "x-acs-") && !slices.Contains(names, lk) {
				c.Malformed = "SignedHeaders does not name " + lk
			}
		}
	}
	if c.Malformed != "" {
		return c
	}
	s, known := secret(c.AccessKeyID)
	if !known {
		return c
	}
	c.Known = true
	want := v3Signature(req, names, payload, s, nil)
	c.Match = hmac.Equal([]byte(want), []byte(strings.ToLower(fields["Signature"])))
	return c
}

// verifyV1 checks a request carrying the Signature parameter.
func verifyV1(req *http.Request, query []wire.Pair, body []byte, secret func(string) (string, bool)) SignatureCheck {
	c := SignatureCheck{Version: wire.SignV1}
	params := map[string]string{}
	var signed []wire.Pair
	for _, p := range query {
		if _, dup := params[p.Key]; !dup {
			params[p.Key] = p.Value
		}
		if p.Key != paramSig {
			signed = append(signed, p)
		}
	}
	if isForm(req.Header) {
		form, _ := wire.ParsePairs(string(body), "body")
		signed = append(signed, form...)
	}
	c.AccessKeyID, c.Nonce = params["AccessKeyId"], params["SignatureNonce"]
	var err error
	c.Date, err = time.Parse(dateLayout, params["Timestamp"])
	switch {
	case c.AccessKeyID == "" || c.Nonce == "" || params[paramSig] == "" || params["Timestamp"] == "":
		c.Malformed = "a V1 request needs AccessKeyId, SignatureNonce, Timestamp and Signature"
	case params["SignatureMethod"] != "HMAC-SHA1" || params["SignatureVersion"] != "1.0":
		c.Malformed = "a V1 request needs SignatureMethod=HMAC-SHA1 and SignatureVersion=1.0"
	case err != nil:
		c.Malformed = "Timestamp " + params["Timestamp"] + " is not in the form " + dateLayout
	}
	if c.Malformed != "" {
		return c
	}
	s, known := secret(c.AccessKeyID)
	if !known {
		return c
	}
	c.Known = true
	c.Match = hmac.Equal([]byte(v1Signature(req.Method, signed, s)), []byte(params[paramSig]))
	return c
}
