package runner

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/acsconform/acsconform/wire"
)

// Redacted stands in for every secret value in an Exchange.
const Redacted = "<redacted>"

// The redaction policy. Secrets are the accounts' AccessKeySecrets, the
// signatures of the requests, and values a user supplies as secret (the
// secret parameters passed to 'acsconform send'); they are masked wherever
// they appear and whatever their length. Generated test data, passwords
// included, is not secret: a reproducer needs it.
var (
	// signatureText is a signature as text carries it: the V1 query
	// parameter or the V3 Authorization part ("Signature=value"), a JSON
	// member ("Signature":"value") and an XML element
	// (<Signature>value</Signature>), also when a target echoes it back
	// escaped inside a JSON string.
	signatureText = regexp.MustCompile(`(Signature=)[^,\s&"'\\<]+` +
		`|(Signature\\?"\s*:\s*\\?")[^"\\]+` +
		`|(<Signature>)[^<]+`)
	// userinfoText is the user information of a URL written in text.
	userinfoText = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]*://)[^/?#@\s"'<>]+@`)
)

// Redact returns a copy of ex with every secret masked: the signature it
// was sent with (the V1 Signature query parameter, the Signature part of
// the V3 Authorization header, and that value wherever a target echoes it,
// in JSON, XML, form or header text), the user information of any URL, and
// every literal occurrence of secrets (AccessKeySecrets, user-supplied
// secret values) of any length, as written plain, percent-encoded,
// form-encoded, JSON- or XML-escaped, in the URL, headers, body, response
// and error. Send applies it to every exchange; it is exported for
// exchanges recorded elsewhere.
func Redact(ex Exchange, secrets ...string) Exchange {
	return redact(ex, false, newLiterals(secrets))
}

// redact is Redact with the secrets' literals built (once per client: the
// hot path builds only the signature's); keepSignature leaves the
// request's own signature in place (SendOptions.Reveal) while still
// masking it in the response.
func redact(ex Exchange, keepSignature bool, secrets literalSet) Exchange {
	q := readQuery(ex.URL)
	sigs := newLiterals(signaturesOf(ex.Header, q))
	scrub := func(s string) string { return scrubText(secrets, sigs.Replace(s)) }
	request := scrub
	if keepSignature {
		request = func(s string) string { return maskUserinfo(secrets.Replace(s)) }
	} else {
		ex = maskSignature(ex, q, Redacted)
	}
	ex.URL = request(ex.URL)
	ex.Body = request(ex.Body)
	ex.Header = replaceHeader(ex.Header, request)
	ex.Err = scrub(ex.Err)
	ex.RespHeader = replaceHeader(ex.RespHeader, scrub)
	if ex.RespBody != nil {
		body := string(ex.RespBody)
		if scrubbed := scrub(body); scrubbed != body {
			ex.RespBody = []byte(scrubbed)
		}
	}
	return ex
}

// scrubText masks the literals, any quoted signature and URL user
// information in s.
func scrubText(lit literalSet, s string) string {
	s = lit.Replace(s)
	if quotesSignature(s) {
		s = signatureText.ReplaceAllStringFunc(s, maskMatch)
	}
	return maskUserinfo(s)
}

// quotesSignature reports whether s holds a text signatureText can match:
// "Signature=" before a value, "Signature" and a quote (escaped or not),
// or "<Signature>" before a value. Most texts do not (a V1 query names
// SignatureNonce and the like, and its own Signature is masked already),
// and the regular expression is skipped.
func quotesSignature(s string) bool {
	for from := 0; ; {
		i := strings.Index(s[from:], "Signature")
		if i < 0 {
			return false
		}
		if signatureAt(s, from+i) {
			return true
		}
		from += i + len("Signature")
	}
}

// signatureAt reports whether the "Signature" at s[i:] may begin a match
// of signatureText: followed by "=" and a value character, by a quote
// (escaped or not), or inside "<Signature>" followed by a value.
func signatureAt(s string, i int) bool {
	after := s[i+len("Signature"):]
	switch {
	case strings.HasPrefix(after, `"`), strings.HasPrefix(after, `\"`):
		return true
	case strings.HasPrefix(after, "="):
		return len(after) > 1 && !strings.ContainsRune(",\t\n\f\r &\"'\\<", rune(after[1]))
	case strings.HasPrefix(after, ">"):
		return i > 0 && s[i-1] == '<' && len(after) > 1 && after[1] != '<'
	}
	return false
}

// maskUserinfo masks the user information of every URL in s (a text
// without "://" and "@" has none: the regular expression is skipped).
func maskUserinfo(s string) string {
	if !strings.Contains(s, "@") || !strings.Contains(s, "://") {
		return s
	}
	return userinfoText.ReplaceAllString(s, "${1}"+Redacted+"@")
}

// maskMatch keeps the prefix of a signatureText match ("Signature=",
// "Signature":") and masks the value after it; a value already masked
// stays as it is.
func maskMatch(m string) string {
	sub := signatureText.FindStringSubmatch(m)
	for _, prefix := range sub[1:] {
		if prefix != "" {
			if v := m[len(prefix):]; v == SignaturePlaceholder || strings.HasPrefix(v, Redacted) {
				return m
			}
			return prefix + Redacted
		}
	}
	return m
}

// sentQuery is the query of an exchange's URL, read once for
// signaturesOf and maskURL.
type sentQuery struct {
	url, base, query string
	// has is set when the URL has a query ("?"); plain when it is plain
	// (plainQuery), and then sigs are its Signature pairs, decoded.
	has, plain bool
	sigs       []wire.Pair
}

// readQuery reads the query of rawURL.
func readQuery(rawURL string) sentQuery {
	q := sentQuery{url: rawURL}
	q.base, q.query, q.has = strings.Cut(rawURL, "?")
	if q.plain = q.has && plainQuery(q.query); q.plain {
		q.sigs = plainSignatures(q.query)
	}
	return q
}

// signaturesOf are the signature values a request carries: the V1
// Signature query parameter of q (as sent and decoded) and the V3
// Authorization Signature part of h.
func signaturesOf(h http.Header, q sentQuery) []string {
	var out []string
	if q.has {
		pairs := q.sigs
		if !q.plain {
			pairs, _ = wire.ParsePairs(q.query, "query")
		}
		for _, p := range pairs {
			if p.Key == paramSig && p.Value != "" && p.Value != Redacted && p.Value != SignaturePlaceholder {
				out = append(out, p.Value)
			}
		}
	}
	if _, sig, ok := strings.Cut(h.Get(headerAuth), "Signature="); ok {
		if sig, _, _ = strings.Cut(sig, ","); sig != "" && sig != Redacted && sig != SignaturePlaceholder {
			out = append(out, sig)
		}
	}
	return out
}

// maskSignature masks the signature, wherever it travels, with mask: the
// Signature query parameter (V1) of ex's URL, read as q, and the
// Signature part of the Authorization header (V3). Redact and Curl both
// use it.
func maskSignature(ex Exchange, q sentQuery, mask string) Exchange {
	ex.URL = maskURL(q, mask)
	ex.Header = maskAuthorization(ex.Header, mask)
	return ex
}

// maskAuthorization masks the Signature part of the Authorization header,
// copying h when there is one: a copy of the map, sharing the other
// headers' values (nothing writes to them in place: replaceHeader
// copies h before it masks one).
func maskAuthorization(h http.Header, mask string) http.Header {
	auth := h.Get(headerAuth)
	if auth == "" {
		return h
	}
	h = maps.Clone(h)
	before, sig, ok := strings.Cut(auth, "Signature=")
	if ok {
		_, rest, more := strings.Cut(sig, ",")
		auth = before + "Signature=" + mask
		if more {
			auth += "," + rest
		}
	}
	h.Set(headerAuth, auth)
	return h
}

// maskURL masks the Signature parameter of the query q with mask, the
// other pairs written back as they were sent (masks unencoded).
func maskURL(q sentQuery, mask string) string {
	switch {
	case !q.has:
		return q.url
	case !q.plain:
		return q.base + "?" + maskQuery(q.query, mask)
	case len(q.sigs) == 0:
		return q.url
	}
	parts := strings.Split(q.query, "&")
	for i, part := range parts {
		if strings.HasPrefix(part, paramSig+"=") {
			parts[i] = paramSig + "=" + mask
		}
	}
	return q.base + "?" + strings.Join(parts, "&")
}

// maskQuery is query with the Signature parameter masked, its pairs
// written back as wire.ParsePairs reads them.
func maskQuery(query, mask string) string {
	pairs, _ := wire.ParsePairs(query, "query")
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(wire.PercentEncode(p.Key) + "=")
		switch {
		case p.Key == paramSig:
			b.WriteString(mask)
		case p.Value == Redacted || p.Value == SignaturePlaceholder:
			b.WriteString(p.Value) // masked before: kept readable
		default:
			b.WriteString(wire.PercentEncode(p.Value))
		}
	}
	return b.String()
}

// plainQuery reports whether maskQuery would give query back as it is
// but for the Signature's value: an encoded query (encodedQuery) with no
// value a mask (maskQuery writes masks unencoded). A query the runner
// built is plain: neither maskURL nor signaturesOf need to decode it but
// for its Signature pairs (plainSignatures, which readQuery reads).
func plainQuery(query string) bool {
	return encodedQuery(query, func(v string) bool { return v != encodedMasks[0] && v != encodedMasks[1] })
}

// encodedQuery reports whether query is at most wire.MaxPairs pairs, each
// a key, "=" and a value, both written as wire.PercentEncode writes them
// (decoding and encoding it again gives it back), and every value
// accepted by valueOK (nil: any).
func encodedQuery(query string, valueOK func(string) bool) bool {
	for n := 1; n <= wire.MaxPairs; n++ {
		part, rest, more := strings.Cut(query, "&")
		k, v, ok := strings.Cut(part, "=")
		if !ok || !wire.IsPercentEncoded(k) || !wire.IsPercentEncoded(v) || valueOK != nil && !valueOK(v) {
			return false
		}
		if !more {
			return true
		}
		query = rest
	}
	return false
}

// plainSignatures are the Signature pairs of a plain query, decoded
// (none when the query names no Signature, as a V3 request's does not).
func plainSignatures(query string) []wire.Pair {
	var out []wire.Pair
	for rest, more := query, true; more; {
		var part string
		part, rest, more = strings.Cut(rest, "&")
		if v, ok := strings.CutPrefix(part, paramSig+"="); ok {
			value, _ := url.QueryUnescape(v) // percent-encoded: plainQuery
			out = append(out, wire.Pair{Key: paramSig, Value: value, In: "query"})
		}
	}
	return out
}

// encodedMasks are the masks percent-encoded, as a plain query would
// carry them.
var encodedMasks = [2]string{wire.PercentEncode(Redacted), wire.PercentEncode(SignaturePlaceholder)}

// nextMark finds the first mask in s: its index and text; len(s) and ""
// when there is none.
func nextMark(s string) (int, string) {
	at, mark := len(s), ""
	for _, m := range []string{Redacted, SignaturePlaceholder} {
		if i := strings.Index(s, m); i >= 0 && i < at {
			at, mark = i, m
		}
	}
	return at, mark
}

// jsonText is v as it appears inside a JSON string, with <, > and &
// escaped or not.
func jsonText(v string, escapeHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	enc.Encode(v)
	return strings.TrimSuffix(strings.TrimSuffix(b.String(), "\n"), `"`)[1:]
}

// replaceHeader applies mask to h's values, copying h only when
// something changes.
func replaceHeader(h http.Header, mask func(string) string) http.Header {
	out, copied := h, false
	for k, vs := range h {
		for i, v := range vs {
			if masked := mask(v); masked != v {
				if !copied {
					out, copied = h.Clone(), true
				}
				out[k][i] = masked
			}
		}
	}
	return out
}
