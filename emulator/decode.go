package emulator

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// Decoding bounds.
const (
	// MaxBodyBytes is the largest request body accepted; a larger one gets
	// a 400 error.
	MaxBodyBytes = 1 << 20
	// maxPairs bounds the number of key=value pairs of a request.
	maxPairs = 10000
)

// pair is one decoded key=value, in the order it was sent.
type pair struct{ key, value string }

// request is an HTTP request decoded once: its raw body, its query and form
// pairs in order, and the parameters with the first occurrence of each key
// winning (query before body).
type request struct {
	http   *http.Request
	body   []byte
	query  []pair
	form   []pair
	params map[string]string
	// foldCase is FaultCaseInsensitivePatterns: character classes that
	// restrict case ignore it.
	foldCase bool
}

// param returns the value of the first occurrence of key, "" when absent.
// An empty value and an absent parameter read the same; see the package
// documentation.
func (r *request) param(key string) string { return r.params[key] }

// folded returns v as a case-restricted class check sees it: lower-cased
// under FaultCaseInsensitivePatterns, unchanged otherwise.
func (r *request) folded(v string) string {
	if r.foldCase {
		return strings.ToLower(v)
	}
	return v
}

// pairs returns the query pairs followed by the form pairs.
func (r *request) pairs() []pair {
	all := make([]pair, 0, len(r.query)+len(r.form))
	return append(append(all, r.query...), r.form...)
}

// decode reads and parses hr, within MaxBodyBytes and maxPairs.
func decode(w http.ResponseWriter, hr *http.Request) (*request, *apiError) {
	src := hr.Body
	if src == nil { // a server request always has one; an in-memory one may not
		src = http.NoBody
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, src, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errMalformed("the body exceeds 1 MiB")
		}
		return nil, errMalformed("the body could not be read")
	}
	req := &request{http: hr, body: body}
	if req.query, err = parsePairs(hr.URL.RawQuery); err != nil {
		return nil, errMalformed("the query " + err.Error())
	}
	if isForm(hr.Header.Get("Content-Type")) {
		if req.form, err = parsePairs(string(body)); err != nil {
			return nil, errMalformed("the form body " + err.Error())
		}
	}
	if len(req.query)+len(req.form) > maxPairs {
		return nil, errMalformed("too many parameters")
	}
	req.params = firstWins(req.pairs())
	return req, nil
}

// isForm reports whether a Content-Type names a URL-encoded form.
func isForm(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// parsePairs splits a URL-encoded string into its pairs, in order. Empty
// segments and empty keys are skipped.
func parsePairs(s string) ([]pair, error) {
	var out []pair
	for seg := range strings.SplitSeq(s, "&") {
		if seg == "" {
			continue
		}
		if len(out) == maxPairs {
			return nil, errors.New("has too many parameters")
		}
		k, v, _ := strings.Cut(seg, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, errors.New("has a malformed escape")
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return nil, errors.New("has a malformed escape")
		}
		if key != "" {
			out = append(out, pair{key, value})
		}
	}
	return out, nil
}

// firstWins maps each key to the value of its first occurrence.
func firstWins(pairs []pair) map[string]string {
	m := make(map[string]string, len(pairs))
	for _, p := range pairs {
		if _, seen := m[p.key]; !seen {
			m[p.key] = p.value
		}
	}
	return m
}
