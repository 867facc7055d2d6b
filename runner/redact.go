package runner

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Redacted stands in for every secret value in an Exchange.
const Redacted = "<redacted>"

// minLiteral is the shortest secret value searched for as text in the rest
// of an exchange (the response body, errors): shorter ones would match
// unrelated text.
const minLiteral = 4

// signatureText is a signature as text carries it: the V1 query parameter
// or the V3 Authorization part, "Signature=value", also when a target
// echoes it back inside JSON, XML or a form.
var signatureText = regexp.MustCompile(`(Signature=)(<[A-Za-z]+>|[^,\s&"'\\<]+)`)

// Redact returns a copy of ex with every secret masked: the Signature
// query parameter and the Signature part of the Authorization header, the
// value of every parameter the operation's spec marks Secret (Password,
// Users.N.Password, under any index or spelling of the key), and any
// literal occurrence of those values or of secrets (AccessKeySecrets) in
// the URL, headers, body, response and error. Send applies it to every
// exchange; it is exported for exchanges recorded elsewhere. op may be nil
// (then only the signature and secrets are masked).
func Redact(op *specs.Operation, ex Exchange, secrets ...string) Exchange {
	names := secretNames(op)
	isSecret := func(key string) bool { return key == paramSig || secretKey(names, key) }
	var sent []wire.Pair
	ex.Header = maskAuthorization(ex.Header, Redacted)
	ex.URL, sent = maskURL(ex.URL, isSecret, Redacted)
	if isForm(ex.Header) {
		var body []wire.Pair
		ex.Body, body = maskQuery(ex.Body, "body", isSecret, Redacted)
		sent = append(sent, body...)
	}
	lit := literals(sent, names, secrets)
	ex.URL = lit.Replace(ex.URL)
	ex.Body = lit.Replace(ex.Body)
	ex.Err = lit.Replace(ex.Err)
	ex.Header = replaceHeader(ex.Header, lit)
	ex.RespHeader = replaceHeader(ex.RespHeader, lit)
	if ex.RespBody != nil {
		ex.RespBody = []byte(lit.Replace(string(ex.RespBody)))
	}
	return ex
}

// maskSignature masks the signature, wherever it travels, with mask: the
// Signature query parameter (V1) and the Signature part of the
// Authorization header (V3). Redact and Curl both use it.
func maskSignature(ex Exchange, mask string) Exchange {
	ex.URL, _ = maskURL(ex.URL, func(k string) bool { return k == paramSig }, mask)
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
	h.Set(headerAuth, signatureText.ReplaceAllString(auth, "${1}"+mask))
	return h
}

// maskURL masks the query of rawURL as maskQuery does.
func maskURL(rawURL string, isSecret func(string) bool, mask string) (string, []wire.Pair) {
	base, query, ok := strings.Cut(rawURL, "?")
	if !ok {
		return rawURL, nil
	}
	masked, pairs := maskQuery(query, "query", isSecret, mask)
	return base + "?" + masked, pairs
}

// maskQuery rewrites a query or form text with the value of every key for
// which isSecret holds replaced by mask (masks are written as they are,
// unencoded, here and in a text masked before). It
// also returns the pairs as they were, for the literal search.
func maskQuery(raw, in string, isSecret func(string) bool, mask string) (string, []wire.Pair) {
	pairs, _ := wire.ParsePairs(raw, in)
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(wire.PercentEncode(p.Key) + "=")
		switch {
		case isSecret(p.Key):
			b.WriteString(mask)
		case p.Value == Redacted || p.Value == SignaturePlaceholder:
			b.WriteString(p.Value) // masked before: kept readable
		default:
			b.WriteString(wire.PercentEncode(p.Value))
		}
	}
	return b.String(), pairs
}

// secretNames are the names of every parameter of op marked Secret, at
// any depth.
func secretNames(op *specs.Operation) []string {
	if op == nil {
		return nil
	}
	var names []string
	var walk func(ps []*specs.Param)
	walk = func(ps []*specs.Param) {
		for _, p := range ps {
			if p == nil {
				continue
			}
			if p.Secret {
				names = append(names, p.Name)
			}
			walk(p.Fields)
			walk([]*specs.Param{p.Items})
		}
	}
	walk(op.Params)
	return names
}

// secretKey reports whether any dot-separated part of key names a secret
// parameter, case aside: Password, Users.3.Password, Users.x.password.
func secretKey(names []string, key string) bool {
	for _, part := range strings.Split(key, ".") {
		for _, n := range names {
			if strings.EqualFold(part, n) {
				return true
			}
		}
	}
	return false
}

// literals are the secrets and the values of secret parameters sent, as
// text, percent-encoded and JSON-escaped, to mask wherever else they
// appear. A secret parameter's value that is short or that is part of a
// non-secret value sent (the same text as an EndUserId) is left out, so a
// target's legitimate echo of the non-secret value is not defaced.
func literals(sent []wire.Pair, names []string, secrets []string) literalSet {
	var plain []string
	for _, p := range sent {
		if !secretKey(names, p.Key) && p.Key != paramSig {
			plain = append(plain, p.Value)
		}
	}
	values := append([]string(nil), secrets...)
	for _, p := range sent {
		if secretKey(names, p.Key) && !containedIn(p.Value, plain) {
			values = append(values, p.Value)
		}
	}
	var set literalSet
	for _, v := range values {
		for _, form := range literalForms(v) {
			if !contains(set, form) {
				set = append(set, form)
			}
		}
	}
	return set
}

// literalForms are the texts a secret value may be written as: as it is,
// percent-encoded and JSON-escaped; none for a value too short to search.
func literalForms(v string) []string {
	if len(v) < minLiteral {
		return nil
	}
	return []string{v, wire.PercentEncode(v), jsonText(v, false), jsonText(v, true)}
}

// literalSet is the texts Redact masks anywhere.
type literalSet []string

// Replace masks every literal in s; s itself when there is none.
func (set literalSet) Replace(s string) string {
	for _, lit := range set {
		if strings.Contains(s, lit) {
			s = strings.ReplaceAll(s, lit, Redacted)
		}
	}
	return s
}

func containedIn(v string, values []string) bool {
	for _, s := range values {
		if strings.Contains(s, v) {
			return true
		}
	}
	return false
}

// jsonText is v as it appears inside a JSON string, with <, > and &
// escaped or not.
func jsonText(v string, escapeHTML bool) string {
	if plainJSON(v) {
		return v
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	enc.Encode(v)
	return strings.TrimSuffix(strings.TrimSuffix(b.String(), "\n"), `"`)[1:]
}

// replaceHeader masks the literals in h's values, copying h only when
// something is masked.
func replaceHeader(h http.Header, lit literalSet) http.Header {
	out, copied := h, false
	for k, vs := range h {
		for i, v := range vs {
			if masked := lit.Replace(v); masked != v {
				if !copied {
					out, copied = h.Clone(), true
				}
				out[k][i] = masked
			}
		}
	}
	return out
}

// plainJSON reports whether v is written unchanged inside a JSON string:
// printable ASCII without quote, backslash or HTML-escaped characters.
func plainJSON(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}
