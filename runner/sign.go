package runner

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"mime"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

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

// v3Headers is how many headers signV3 sets.
const v3Headers = 4

// The signed headers the runner sets, by their lower-case names (as
// signed): canonicalKey and lowerKey map them to their net/http keys and
// back once, not for each request.
var canonicalKey, lowerKey = headerKeys("x-acs-action", "x-acs-version", headerDate, headerNonce, headerContent, "content-type")

// headerKeys maps each of names (lower-case) to its canonical key and back.
func headerKeys(names ...string) (canonical, lower map[string]string) {
	canonical, lower = map[string]string{}, map[string]string{}
	for _, n := range names {
		canonical[n] = http.CanonicalHeaderKey(n)
		lower[canonical[n]] = n
	}
	return canonical, lower
}

// setHeader sets the header named name (lower-case or canonical) as
// http.Header.Set does, the key of a signed header the runner sets
// looked up, not computed.
func setHeader(h http.Header, name, value string) {
	h[headerKey(name)] = []string{value}
}

// setHeaders sets the headers named in kv (name, value, name, value...)
// as setHeader does, their values held in one array rather than one each.
func setHeaders(h http.Header, kv ...string) {
	values := make([]string, len(kv)/2)
	for i := range values {
		values[i] = kv[2*i+1]
		h[headerKey(kv[2*i])] = values[i : i+1 : i+1]
	}
}

// headerKey is the net/http key of the header named name (lower-case or
// canonical), looked up for a signed header the runner sets.
func headerKey(name string) string {
	if key, ok := canonicalKey[name]; ok {
		return key
	}
	return http.CanonicalHeaderKey(name)
}

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
	signV3(req, hex.EncodeToString(sum[:]), acct, date, nonce, nil)
}

// signV3 is SignRequestV3 given payload, the hex SHA-256 of the body
// (payloadHash), its MAC from macs.
func signV3(req *http.Request, payload string, acct Account, date time.Time, nonce string, macs *macCache) {
	setHeaders(req.Header, headerDate, date.UTC().Format(dateLayout), headerNonce, nonce, headerContent, payload)
	names := signedHeaderNames(req)
	setHeader(req.Header, headerAuth, algorithmV3+" Credential="+acct.AccessKeyID+
		",SignedHeaders="+strings.Join(names, ";")+",Signature="+v3Signature(req, names, payload, acct.AccessKeySecret, macs))
}

// payloadHash is the hex SHA-256 of body, hashed a chunk at a time
// rather than from a copy of the whole body.
func payloadHash(body string) string {
	h := sha256s.Get().(hash.Hash)
	defer sha256s.Put(h)
	h.Reset()
	c := newChunked(h)
	defer c.release()
	c.write(body)
	sum := c.sum()
	return string(hex.AppendEncode(sum[len(sum):], sum))
}

// hashChunk is how many bytes of a text are copied at a time to be hashed
// or MACed.
const hashChunk = 4 << 10

// v3Signature is the hex HMAC-SHA256, under secret, of the V3 string to
// sign of req over the signed headers names (lower-case, in the order
// given) and the payload hash: what SignRequestV3 writes and
// VerifySignature recomputes. The canonical request goes to its hash a
// chunk at a time; the MAC comes from macs.
func v3Signature(req *http.Request, names []string, payload, secret string, macs *macCache) string {
	h := sha256s.Get().(hash.Hash)
	defer sha256s.Put(h)
	h.Reset()
	c := newChunked(h)
	defer c.release()
	c.b = append(append(c.b, req.Method...), '\n')
	c.b = append(append(c.b, canonicalPath(req)...), '\n')
	writeCanonicalQuery(&c, req.URL.RawQuery)
	c.b = append(appendCanonicalHeaders(append(c.b, '\n'), req, names), '\n')
	for i, n := range names {
		if i > 0 {
			c.b = append(c.b, ';')
		}
		c.b = append(c.b, n...)
	}
	c.b = append(append(c.b, '\n'), payload...)
	sum := c.sum()
	toSign := hex.AppendEncode(append(append(sum[len(sum):], algorithmV3...), '\n'), sum)
	k := macKey{secret: secret}
	mac := macs.get(k)
	defer macs.put(k, mac)
	mac.Write(toSign)
	sig := mac.Sum(toSign[len(toSign):])
	return string(hex.AppendEncode(sig[len(sig):], sig))
}

// chunked feeds a hash the text appended to its buffer b a chunk at a
// time, so that a long text is never held whole: append to b, then call
// flush.
type chunked struct {
	h hash.Hash
	b []byte
	// buf holds b's memory, from buffers.
	buf *[]byte
}

// newChunked feeds h, its buffer taken from buffers: give it back with
// release.
func newChunked(h hash.Hash) chunked {
	buf := buffers.Get().(*[]byte)
	return chunked{h: h, b: (*buf)[:0], buf: buf}
}

// release gives the buffer back to buffers; c and what sum returned are
// not used after.
func (c *chunked) release() {
	*c.buf = c.b[:0]
	buffers.Put(c.buf)
}

// flush writes the buffer to the hash once it holds a chunk.
func (c *chunked) flush() {
	if len(c.b) >= hashChunk {
		c.h.Write(c.b)
		c.b = c.b[:0]
	}
}

// write appends s a chunk at a time, so that a long s (a 64 KB value)
// never grows the buffer.
func (c *chunked) write(s string) {
	for s != "" {
		n := min(len(s), max(hashChunk-len(c.b), 0))
		c.b = append(c.b, s[:n]...)
		s = s[n:]
		c.flush()
	}
}

// writeEncoded appends s percent-encoded (wire.AppendPercentEncoded), a
// third of a chunk of s at a time.
func (c *chunked) writeEncoded(s string) {
	for s != "" {
		n := min(len(s), hashChunk/3)
		c.b = wire.AppendPercentEncoded(c.b, s[:n])
		s = s[n:]
		c.flush()
	}
}

// sum is the hash of all that was appended, held at the start of the
// buffer (its spare capacity after it free to use): nothing is appended
// after it.
func (c *chunked) sum() []byte {
	c.h.Write(c.b)
	return c.h.Sum(c.b[:0])
}

// canonicalPath is the request path, "/" when empty, encoded as the SDK does.
func canonicalPath(req *http.Request) string {
	p := req.URL.EscapedPath()
	if p == "" {
		return "/"
	}
	return p
}

// writeCanonicalQuery writes the query sorted by key (then value), keys
// and values RFC 3986 encoded. An encoded query (encodedQuery: one the
// runner built) is sorted as it is, its pairs compared as they decode;
// another is decoded and written back.
func writeCanonicalQuery(c *chunked, raw string) {
	parts := encodedParts(raw, "query")
	sortEncodedParts(parts)
	for i, part := range parts {
		if i > 0 {
			c.b = append(c.b, '&')
		}
		c.write(part)
	}
}

// encodedParts are the pairs of raw (a query or form body), each written
// as wire.JoinPairs writes a pair: raw's own texts when it is encoded
// (encodedQuery), else its pairs as wire.ParsePairs reads them, encoded
// again.
func encodedParts(raw, in string) []string {
	if encodedQuery(raw, nil) {
		return strings.Split(raw, "&")
	}
	pairs, _ := wire.ParsePairs(raw, in)
	return encodePairs(pairs)
}

// encodePairs writes each of pairs as wire.JoinPairs writes a pair.
func encodePairs(pairs []wire.Pair) []string {
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = wire.PercentEncode(p.Key) + "=" + wire.PercentEncode(p.Value)
	}
	return parts
}

// sortEncodedParts sorts encoded pairs ("k=v", as encodedParts gives
// them) by key, then value, compared as they decode: as the decoded pairs
// sort by key, then value.
func sortEncodedParts(parts []string) {
	slices.SortStableFunc(parts, func(x, y string) int {
		xk, xv, _ := strings.Cut(x, "=")
		yk, yv, _ := strings.Cut(y, "=")
		if c := wire.ComparePercentEncoded(xk, yk); c != 0 {
			return c
		}
		return wire.ComparePercentEncoded(xv, yv)
	})
}

// signedHeaderNames are the headers SignRequestV3 signs: host,
// content-type and every x-acs-* header, lower-case and sorted.
func signedHeaderNames(req *http.Request) []string {
	names := append(make([]string, 0, len(req.Header)+1), "host")
	for k := range req.Header {
		lk, ok := lowerKey[k]
		if !ok && maySign(k) {
			lk = strings.ToLower(k)
		}
		if (lk == "content-type" || strings.HasPrefix(lk, "x-acs-")) && !contains(names, lk) {
			names = append(names, lk)
		}
	}
	sort.Strings(names)
	return names
}

// maySign reports whether the header key k may be signed
// (signedHeaderNames): all but an ASCII key that, lower-cased, is neither
// content-type nor begins with x-acs- (User-Agent), which need not be
// lower-cased to be left out.
func maySign(k string) bool {
	for i := 0; i < len(k); i++ {
		if k[i] >= utf8.RuneSelf {
			return true
		}
	}
	return strings.EqualFold(k, "content-type") || len(k) >= len("x-acs-") && strings.EqualFold(k[:len("x-acs-")], "x-acs-")
}

// appendCanonicalHeaders appends "name:value\n" for each of the signed
// header names, in the order given (several values trimmed, sorted and
// joined by commas).
func appendCanonicalHeaders(b []byte, req *http.Request, names []string) []byte {
	for _, k := range names {
		b = append(append(b, k...), ':')
		if k == "host" {
			b = append(append(b, strings.TrimSpace(hostOf(req))...), '\n')
			continue
		}
		switch vs := headerValues(req, k); len(vs) {
		case 0:
		case 1:
			b = append(b, strings.TrimSpace(vs[0])...)
		default:
			trimmed := make([]string, len(vs))
			for i, v := range vs {
				trimmed[i] = strings.TrimSpace(v)
			}
			sort.Strings(trimmed)
			b = append(b, strings.Join(trimmed, ",")...)
		}
		b = append(b, '\n')
	}
	return b
}

// headerValues are the values of the signed header named k (lower-case),
// but host (hostOf).
func headerValues(req *http.Request, k string) []string {
	if key, ok := canonicalKey[k]; ok {
		return req.Header[key]
	}
	return req.Header.Values(k)
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
	signV1(req, string(body), acct, date, nonce, nil)
}

// signV1 is SignRequestV1 with the body as text, its MAC from macs. It
// works on the pairs encoded (encodedParts), never decoding a query or
// body the runner built.
func signV1(req *http.Request, body string, acct Account, date time.Time, nonce string, macs *macCache) {
	parts := slices.DeleteFunc(encodedParts(req.URL.RawQuery, "query"), func(part string) bool {
		key, _, _ := strings.Cut(part, "=")
		return contains(v1Params, key) // encoded as it is: unreserved
	})
	parts = append(parts, // as encodePairs writes them (the keys, HMAC-SHA1 and 1.0 are unreserved)
		"AccessKeyId="+wire.PercentEncode(acct.AccessKeyID),
		"SignatureMethod=HMAC-SHA1",
		"SignatureVersion=1.0",
		"SignatureNonce="+wire.PercentEncode(nonce),
		"Timestamp="+wire.PercentEncode(date.UTC().Format(dateLayout)))
	signed := slices.Clone(parts)
	if isForm(req.Header) {
		signed = append(signed, encodedParts(body, "body")...)
	}
	sig := paramSig + "=" + wire.PercentEncode(v1PartsSignature(req.Method, signed, acct.AccessKeySecret, macs))
	req.URL.RawQuery = strings.Join(append(parts, sig), "&")
}

// v1Signature is the base64 HMAC-SHA1, under secret+"&", of the V1 string
// to sign over pairs (every query and form pair but Signature): what
// VerifySignature recomputes.
func v1Signature(method string, pairs []wire.Pair, secret string) string {
	return v1PartsSignature(method, encodePairs(pairs), secret, nil)
}

// v1PartsSignature is v1Signature over the pairs encoded (encodedParts),
// which it sorts: the string to sign, method&%2F& and the sorted pairs
// joined and encoded again, goes to the MAC (from macs) a chunk at a time.
func v1PartsSignature(method string, parts []string, secret string, macs *macCache) string {
	sortEncodedParts(parts)
	k := macKey{v1: true, secret: secret}
	mac := macs.get(k)
	defer macs.put(k, mac)
	c := newChunked(mac)
	defer c.release()
	c.b = append(append(c.b, method...), "&%2F&"...)
	for i, part := range parts {
		if i > 0 {
			c.b = append(c.b, "%26"...)
		}
		c.writeEncoded(part)
	}
	return base64.StdEncoding.EncodeToString(c.sum())
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

// isForm reports whether the header declares a form body (the media type
// the runner sets is not parsed).
func isForm(h http.Header) bool {
	ct := h.Get("Content-Type")
	if ct == formMediaType {
		return true
	}
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == formMediaType
}
