package emulator

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Signature facts (PROTOCOL.md).
const (
	v3Algorithm   = "ACS3-HMAC-SHA256"
	v1Method      = "HMAC-SHA1"
	v1Version     = "1.0"
	timestampForm = "2006-01-02T15:04:05Z"
	// MaxClockSkew is how far a signed request's timestamp may be from the
	// emulator's clock before InvalidTimeStamp.Expired.
	MaxClockSkew = 15 * time.Minute
)

// credentials is what a request presents to prove who sent it.
type credentials struct {
	accessKeyID string
	nonce       string
	timestamp   string
	// verify reports whether the signature matches under secret.
	verify func(secret string) bool
}

// authenticate checks the request's signature and returns the AccessKeyId
// that signed it. The checks run in a fixed order: a signature present and
// well formed, a known AccessKeyId, a matching signature, a fresh timestamp,
// an unused nonce.
func (e *Emulator) authenticate(req *request) (string, *apiError) {
	cred, err := presented(req)
	if err != nil {
		return "", err
	}
	secret, known := e.secrets[cred.accessKeyID]
	if !known {
		return "", errAccessKeyNotFound
	}
	if !cred.verify(secret) && !e.faults.has(FaultSignatureUnchecked) {
		return "", errSignatureMismatch
	}
	now := e.now()
	ts, err := e.checkTimestamp(cred.timestamp, now)
	if err != nil {
		return "", err
	}
	// A replay passes the timestamp check until ts+MaxClockSkew (under
	// FaultTimestampUnchecked always: then the nonce is kept as long
	// past now), so the nonce is remembered until then.
	expires := ts.Add(MaxClockSkew)
	if e.faults.has(FaultTimestampUnchecked) {
		expires = now.Add(MaxClockSkew)
	}
	if !e.nonces.remember(e.keys.pair(cred.accessKeyID, cred.nonce), expires, now) && !e.faults.has(FaultNonceUnchecked) {
		return "", errNonceUsed
	}
	return cred.accessKeyID, nil
}

// claimedAccessKeyID is the AccessKeyId a request names, signed or not; ""
// when it names none. NoAuth mode selects the account with it.
func claimedAccessKeyID(req *request) string {
	if cred, err := presented(req); err == nil {
		return cred.accessKeyID
	}
	return req.param("AccessKeyId")
}

// presented reads the credentials of a V3 (Authorization header) or V1
// (Signature parameter) request.
func presented(req *request) (*credentials, *apiError) {
	if auth := req.http.Header.Get("Authorization"); auth != "" {
		return presentedV3(req, auth)
	}
	return presentedV1(req)
}

// checkTimestamp parses a request's timestamp and rejects one more than
// MaxClockSkew from now; a timestamp that does not parse makes the
// signature incomplete.
func (e *Emulator) checkTimestamp(ts string, now time.Time) (time.Time, *apiError) {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return t, errIncompleteSignature
	}
	if d := now.Sub(t); (d > MaxClockSkew || d < -MaxClockSkew) && !e.faults.has(FaultTimestampUnchecked) {
		return t, errTimestampExpired
	}
	return t, nil
}

// v3Authorization is a parsed "ACS3-HMAC-SHA256 Credential=..." header.
type v3Authorization struct {
	credential    string
	signedHeaders []string
	signature     string
}

// parseV3Authorization parses the Authorization header of a V3 request.
func parseV3Authorization(auth string) (*v3Authorization, bool) {
	rest, ok := strings.CutPrefix(auth, v3Algorithm+" ")
	if !ok {
		return nil, false
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		k, v, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			return nil, false
		}
		fields[k] = v
	}
	a := &v3Authorization{credential: fields["Credential"], signature: fields["Signature"]}
	if fields["SignedHeaders"] != "" {
		a.signedHeaders = strings.Split(strings.ToLower(fields["SignedHeaders"]), ";")
	}
	if a.credential == "" || a.signature == "" || len(a.signedHeaders) == 0 {
		return nil, false
	}
	return a, true
}

// presentedV3 reads a V3 request's credentials.
func presentedV3(req *request, auth string) (*credentials, *apiError) {
	a, ok := parseV3Authorization(auth)
	h := req.http.Header
	if !ok || h.Get("x-acs-date") == "" || h.Get("x-acs-signature-nonce") == "" {
		return nil, errIncompleteSignature
	}
	return &credentials{
		accessKeyID: a.credential,
		nonce:       h.Get("x-acs-signature-nonce"),
		timestamp:   h.Get("x-acs-date"),
		verify: func(secret string) bool {
			mac := hmac.New(sha256.New, []byte(secret))
			mac.Write([]byte(v3StringToSign(req, a.signedHeaders)))
			return hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(strings.ToLower(a.signature)))
		},
	}, nil
}

// v3StringToSign is "ACS3-HMAC-SHA256\n" + hex(SHA256(canonical request)).
func v3StringToSign(req *request, signedHeaders []string) string {
	payload := sha256.Sum256(req.body)
	canonical := strings.Join([]string{
		req.http.Method,
		"/",
		canonicalPairs(req.query),
		canonicalHeaders(req, signedHeaders),
		strings.Join(signedHeaders, ";"),
		hex.EncodeToString(payload[:]),
	}, "\n")
	digest := sha256.Sum256([]byte(canonical))
	return v3Algorithm + "\n" + hex.EncodeToString(digest[:])
}

// canonicalHeaders writes "name:value\n" for each signed header, in the
// order signed; a header's several values are trimmed, sorted and joined
// with commas, as the SDK does.
func canonicalHeaders(req *request, signed []string) string {
	var b strings.Builder
	for _, name := range signed {
		var values []string
		if name == "host" {
			values = []string{req.http.Host}
		} else {
			for _, v := range req.http.Header.Values(name) {
				values = append(values, strings.TrimSpace(v))
			}
		}
		sort.Strings(values)
		b.WriteString(name + ":" + strings.Join(values, ",") + "\n")
	}
	return b.String()
}

// presentedV1 reads a V1 request's credentials from its parameters.
func presentedV1(req *request) (*credentials, *apiError) {
	for _, name := range []string{"AccessKeyId", "Signature", "SignatureNonce", "Timestamp"} {
		if req.param(name) == "" {
			return nil, errIncompleteSignature
		}
	}
	if req.param("SignatureMethod") != v1Method || req.param("SignatureVersion") != v1Version {
		return nil, errIncompleteSignature
	}
	return &credentials{
		accessKeyID: req.param("AccessKeyId"),
		nonce:       req.param("SignatureNonce"),
		timestamp:   req.param("Timestamp"),
		verify: func(secret string) bool {
			mac := hmac.New(sha1.New, []byte(secret+"&"))
			mac.Write([]byte(v1StringToSign(req)))
			want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
			return hmac.Equal([]byte(want), []byte(req.param("Signature")))
		},
	}, nil
}

// v1StringToSign is method + "&%2F&" + percentEncode(canonicalized query
// and form parameters, Signature excluded).
func v1StringToSign(req *request) string {
	var signed []pair
	for _, p := range req.pairs() {
		if p.key != "Signature" {
			signed = append(signed, p)
		}
	}
	return req.http.Method + "&%2F&" + percentEncode(canonicalPairs(signed))
}

// canonicalPairs sorts pairs by key (then value, for repeated keys),
// percent-encodes keys and values and joins them "k=v&k=v".
func canonicalPairs(pairs []pair) string {
	sorted := append([]pair(nil), pairs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].key != sorted[j].key {
			return sorted[i].key < sorted[j].key
		}
		return sorted[i].value < sorted[j].value
	})
	parts := make([]string, len(sorted))
	for i, p := range sorted {
		parts[i] = percentEncode(p.key) + "=" + percentEncode(p.value)
	}
	return strings.Join(parts, "&")
}

// percentEncode is RFC 3986 encoding as the gateway does it: space %20,
// '*' %2A, '~' kept.
func percentEncode(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	return strings.ReplaceAll(e, "%7E", "~")
}
