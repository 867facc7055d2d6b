package runner

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"regexp"
	"sort"
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
	sigs := newLiterals(signaturesOf(ex))
	scrub := func(s string) string { return scrubText(secrets, sigs.Replace(s)) }
	request := scrub
	if keepSignature {
		request = func(s string) string { return maskUserinfo(secrets.Replace(s)) }
	} else {
		ex = maskSignature(ex, Redacted)
	}
	ex.URL = request(ex.URL)
	ex.Body = request(ex.Body)
	ex.Header = replaceHeader(ex.Header, request)
	ex.Err = scrub(ex.Err)
	ex.RespHeader = replaceHeader(ex.RespHeader, scrub)
	if ex.RespBody != nil {
		ex.RespBody = []byte(scrub(string(ex.RespBody)))
	}
	return ex
}

// scrubText masks the literals, any quoted signature and URL user
// information in s.
func scrubText(lit literalSet, s string) string {
	s = lit.Replace(s)
	if strings.Contains(s, "Signature") {
		s = signatureText.ReplaceAllStringFunc(s, maskMatch)
	}
	return maskUserinfo(s)
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

// signaturesOf are the signature values ex's request carries: the V1
// Signature query parameter (as sent and decoded) and the V3 Authorization
// Signature part.
func signaturesOf(ex Exchange) []string {
	var out []string
	if _, query, ok := strings.Cut(ex.URL, "?"); ok {
		pairs, _ := wire.ParsePairs(query, "query")
		for _, p := range pairs {
			if p.Key == paramSig && p.Value != "" && p.Value != Redacted && p.Value != SignaturePlaceholder {
				out = append(out, p.Value)
			}
		}
	}
	if _, sig, ok := strings.Cut(ex.Header.Get(headerAuth), "Signature="); ok {
		if sig, _, _ = strings.Cut(sig, ","); sig != "" && sig != Redacted && sig != SignaturePlaceholder {
			out = append(out, sig)
		}
	}
	return out
}

// maskSignature masks the signature, wherever it travels, with mask: the
// Signature query parameter (V1) and the Signature part of the
// Authorization header (V3). Redact and Curl both use it.
func maskSignature(ex Exchange, mask string) Exchange {
	ex.URL = maskURL(ex.URL, mask)
	ex.Header = maskAuthorization(ex.Header, mask)
	return ex
}

// maskAuthorization masks the Signature part of the Authorization header,
// copying h when there is one.
func maskAuthorization(h http.Header, mask string) http.Header {
	auth := h.Get(headerAuth)
	if auth == "" {
		return h
	}
	h = h.Clone()
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

// maskURL masks the Signature parameter of rawURL's query with mask, the
// other pairs written back as they were sent (masks unencoded).
func maskURL(rawURL, mask string) string {
	base, query, ok := strings.Cut(rawURL, "?")
	if !ok {
		return rawURL
	}
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
	return base + "?" + b.String()
}

// literalSet masks the texts of known secret values.
type literalSet struct {
	forms []string
	r     *strings.Replacer
}

// newLiterals is the set of every form of values (empty ones left out),
// longest first so that a secret containing another is masked whole.
func newLiterals(values []string) literalSet {
	var set literalSet
	seen := map[string]bool{}
	for _, v := range values {
		for _, form := range literalForms(v) {
			if form != "" && !seen[form] {
				seen[form] = true
				set.forms = append(set.forms, form)
			}
		}
	}
	sort.SliceStable(set.forms, func(i, j int) bool { return len(set.forms[i]) > len(set.forms[j]) })
	args := make([]string, 0, 2*len(set.forms))
	for _, f := range set.forms {
		args = append(args, f, Redacted)
	}
	set.r = strings.NewReplacer(args...)
	return set
}

// literalForms are the texts a secret value may be written as: as it is,
// percent-encoded (RFC 3986 and form style), JSON-escaped (with and
// without HTML escaping) and XML-escaped.
func literalForms(v string) []string {
	if v == "" {
		return nil
	}
	var x bytes.Buffer
	xml.EscapeText(&x, []byte(v))
	xmlQuot := strings.NewReplacer("&#34;", "&quot;", "&#39;", "&apos;").Replace(x.String())
	return []string{v, wire.PercentEncode(v), url.QueryEscape(v), jsonText(v, false), jsonText(v, true), x.String(), xmlQuot}
}

// Replace masks every literal in s in one pass, leaving the masks already
// in s (Redacted, SignaturePlaceholder) whole whatever the secrets are.
func (set literalSet) Replace(s string) string {
	if len(set.forms) == 0 || s == "" {
		return s
	}
	var b strings.Builder
	for s != "" {
		i, mark := nextMark(s)
		b.WriteString(set.r.Replace(s[:i]))
		b.WriteString(mark)
		s = s[i+len(mark):]
	}
	return b.String()
}

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
