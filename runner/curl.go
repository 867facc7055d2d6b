package runner

import (
	"net/http"
	"sort"
	"strings"
)

// SignaturePlaceholder stands for the signature in a Curl command: the
// user computes it (the date and nonce in the command are the ones signed).
const SignaturePlaceholder = "<SIGNATURE>"

// Curl is a shell command that sends ex's request again with curl: method,
// URL, headers (sorted) and body, every word single-quoted. The signature
// is SignaturePlaceholder and secrets stay Redacted (an Exchange from Send
// is redacted already): as it stands it reproduces against a target that
// does not check signatures; against one that does, 'acsconform send'
// signs the same request afresh.
func Curl(ex Exchange) string {
	return CurlSigned(maskSignature(ex, readQuery(ex.URL), SignaturePlaceholder))
}

// CurlSigned is Curl with the request exactly as ex holds it, signature
// included: for an exchange sent with SendOptions.Reveal it reproduces
// when pasted within the gateway's 15-minute window (its nonce is used
// once already, so a target that remembers nonces refuses a second paste).
func CurlSigned(ex Exchange) string {
	method := ex.Method
	if method == "" {
		method = http.MethodPost
	}
	words := []string{"curl", "-sS", "-X", shellQuote(method), shellQuote(ex.URL)}
	names := make([]string, 0, len(ex.Header))
	for k := range ex.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range ex.Header[k] {
			words = append(words, "-H", shellQuote(k+": "+v))
		}
	}
	if ex.Body != "" {
		words = append(words, "--data-raw", shellQuote(ex.Body))
	}
	return strings.Join(words, " ")
}

// shellQuote is s as one POSIX shell word: single-quoted, with each
// single quote of s written as
//
//	'\''
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
