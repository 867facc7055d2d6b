package runner

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"mime"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/acsconform/acsconform/wire"
)

// Wire names of the signature parts (PROTOCOL.md).
const (
	algorithmV3   = "ACS3-HMAC-SHA256"
	dateLayout    = "2006-01-02T15:04:05Z"
	headerAuth    = "Authorization"
	headerDate    = "x-acs-date"
	headerNonce   = "x-acs-signature-nonce"
	headerContent = "x-acs-content-sha256"
	paramSig      = "Signature"
	formMediaType = "application/x-www-form-urlencoded"
)

// v1Params are the query parameters SignRequestV1 owns: it replaces any already
// present, so a request can be signed again.
var v1Params = []string{"AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", paramSig}

// SignRequestV3 signs req with ACS3-HMAC-SHA256 as the SDK does: it sets
// x-acs-date (date in UTC), x-acs-signature-nonce, x-acs-content-sha256 (of
// body, the exact bytes sent) and Authorization, replacing earlier values.
// The caller sets x-acs-action, x-acs-version and Content-Type first: every
// x-acs-* header, host and content-type are signed.
func SignRequestV3(req *http.Request, body []byte, acct Account, date time.Time, nonce string) {
	sum := sha256.Sum256(body)
	payload := hex.EncodeToString(sum[:])
	req.Header.Set(headerDate, date.UTC().Format(dateLayout))
	req.Header.Set(headerNonce, nonce)
	req.Header.Set(headerContent, payload)
	headers, signed := canonicalHeaders(req)
	canonical := strings.Join([]string{
		req.Method, canonicalPath(req), canonicalQuery(req.URL.RawQuery), headers, signed, payload,
	}, "\n")
	hashed := sha256.Sum256([]byte(canonical))
	mac := hmac.New(sha256.New, []byte(acct.AccessKeySecret))
	mac.Write([]byte(algorithmV3 + "\n" + hex.EncodeToString(hashed[:])))
	req.Header.Set(headerAuth, algorithmV3+" Credential="+acct.AccessKeyID+
		",SignedHeaders="+signed+",Signature="+hex.EncodeToString(mac.Sum(nil)))
}

// canonicalPath is the request path, "/" when empty, encoded as the SDK does.
func canonicalPath(req *http.Request) string {
	p := req.URL.EscapedPath()
	if p == "" {
		return "/"
	}
	return p
}

// canonicalQuery decodes the query and writes it back sorted by key (then
// value), keys and values RFC 3986 encoded.
func canonicalQuery(raw string) string {
	pairs, _ := wire.ParsePairs(raw, "query")
	sortPairs(pairs)
	return wire.JoinPairs(pairs)
}

func sortPairs(pairs []wire.Pair) {
	sort.SliceStable(pairs, func(i, j int) bool {
		if pairs[i].Key != pairs[j].Key {
			return pairs[i].Key < pairs[j].Key
		}
		return pairs[i].Value < pairs[j].Value
	})
}

// canonicalHeaders is host, content-type and every x-acs-* header,
// lower-case and sorted, each "name:value\n" (several values sorted and
// joined by commas), and the ';'-joined list of their names.
func canonicalHeaders(req *http.Request) (string, string) {
	values := map[string][]string{"host": {hostOf(req)}}
	for k, vs := range req.Header {
		lk := strings.ToLower(k)
		if lk == "host" || lk == "content-type" || strings.HasPrefix(lk, "x-acs-") {
			for _, v := range vs {
				values[lk] = append(values[lk], strings.TrimSpace(v))
			}
		}
	}
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		vs := values[k]
		sort.Strings(vs)
		b.WriteString(k + ":" + strings.Join(vs, ",") + "\n")
	}
	return b.String(), strings.Join(names, ";")
}

// hostOf is the Host the request is sent with.
func hostOf(req *http.Request) string {
	if h := req.Header.Get("Host"); h != "" {
		return h
	}
	if req.Host != "" {
		return req.Host
	}
	return req.URL.Host
}

// SignRequestV1 signs req with HMAC-SHA1 in the query as the SDK does with
// SignatureAlgorithm "v2": it sets AccessKeyId, SignatureMethod=HMAC-SHA1,
// SignatureVersion=1.0, SignatureNonce, Timestamp (date in UTC) and
// Signature, replacing earlier values. Every query parameter and, for a
// form body, every body parameter is signed; the caller puts Action,
// Version and Format in the query first.
func SignRequestV1(req *http.Request, body []byte, acct Account, date time.Time, nonce string) {
	pairs, _ := wire.ParsePairs(req.URL.RawQuery, "query")
	pairs = withoutKeys(pairs, v1Params)
	pairs = append(pairs,
		wire.Pair{Key: "AccessKeyId", Value: acct.AccessKeyID, In: "query"},
		wire.Pair{Key: "SignatureMethod", Value: "HMAC-SHA1", In: "query"},
		wire.Pair{Key: "SignatureVersion", Value: "1.0", In: "query"},
		wire.Pair{Key: "SignatureNonce", Value: nonce, In: "query"},
		wire.Pair{Key: "Timestamp", Value: date.UTC().Format(dateLayout), In: "query"},
	)
	signed := append([]wire.Pair(nil), pairs...)
	if isForm(req.Header) {
		form, _ := wire.ParsePairs(string(body), "body")
		signed = append(signed, form...)
	}
	sortPairs(signed)
	toSign := req.Method + "&%2F&" + wire.PercentEncode(wire.JoinPairs(signed))
	mac := hmac.New(sha1.New, []byte(acct.AccessKeySecret+"&"))
	mac.Write([]byte(toSign))
	pairs = append(pairs, wire.Pair{Key: paramSig, Value: base64.StdEncoding.EncodeToString(mac.Sum(nil)), In: "query"})
	req.URL.RawQuery = wire.JoinPairs(pairs)
}

func withoutKeys(pairs []wire.Pair, keys []string) []wire.Pair {
	out := pairs[:0]
	for _, p := range pairs {
		if !contains(keys, p.Key) {
			out = append(out, p)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// isForm reports whether the header declares a form body.
func isForm(h http.Header) bool {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt == formMediaType
}
