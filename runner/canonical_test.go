package runner

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/wire"
)

// TestCanonicalQueryPlainAsDecoded: an encoded query, sorted as it is, gives
// what decoding it, sorting the pairs and encoding them again gives, also
// when it spans several of the hash's chunks.
func TestCanonicalQueryPlainAsDecoded(t *testing.T) {
	text := rapid.StringOf(rapid.SampledFrom([]rune("aB~_.- \x7f*%é")))
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "n")
		pairs := make([]wire.Pair, n)
		for i := range pairs {
			pairs[i] = wire.Pair{Key: text.Draw(t, "key"), Value: text.Draw(t, "value"), In: "query"}
		}
		pairs[0].Value += strings.Repeat("x%", rapid.IntRange(0, 3*hashChunk).Draw(t, "long")) // several chunks
		raw := wire.JoinPairs(pairs)
		decoded, _ := wire.ParsePairs(raw, "query")
		sortPairs(decoded)
		c := newChunked(sha256.New())
		defer c.release()
		writeCanonicalQuery(&c, raw)
		want := wire.JoinPairs(decoded)
		if got, sum := c.sum(), sha256.Sum256([]byte(want)); string(got) != string(sum[:]) {
			t.Fatalf("canonical query of %q: not %q", raw, want)
		}
	})
}

// sortPairs sorts decoded pairs by key, then value: the canonical order
// of both signatures.
func sortPairs(pairs []wire.Pair) {
	sort.SliceStable(pairs, func(i, j int) bool {
		if pairs[i].Key != pairs[j].Key {
			return pairs[i].Key < pairs[j].Key
		}
		return pairs[i].Value < pairs[j].Value
	})
}

// referenceSignV1 is SignRequestV1 as it was before it worked on encoded
// pairs: every query and form pair decoded, sorted, encoded again and
// the whole string to sign built before the MAC.
func referenceSignV1(req *http.Request, body string, acct Account, date time.Time, nonce string) string {
	pairs, _ := wire.ParsePairs(req.URL.RawQuery, "query")
	pairs = withoutKeys(pairs, v1Params)
	pairs = append(pairs,
		wire.Pair{Key: "AccessKeyId", Value: acct.AccessKeyID}, wire.Pair{Key: "SignatureMethod", Value: "HMAC-SHA1"},
		wire.Pair{Key: "SignatureVersion", Value: "1.0"}, wire.Pair{Key: "SignatureNonce", Value: nonce},
		wire.Pair{Key: "Timestamp", Value: date.UTC().Format(dateLayout)})
	signed := append([]wire.Pair(nil), pairs...)
	if isForm(req.Header) {
		form, _ := wire.ParsePairs(body, "body")
		signed = append(signed, form...)
	}
	sortPairs(signed)
	mac := hmac.New(sha1.New, []byte(acct.AccessKeySecret+"&"))
	mac.Write([]byte(req.Method + "&%2F&" + wire.PercentEncode(wire.JoinPairs(signed))))
	pairs = append(pairs, wire.Pair{Key: paramSig, Value: base64.StdEncoding.EncodeToString(mac.Sum(nil))})
	return wire.JoinPairs(pairs)
}

// TestSignV1AsDecoded: SignRequestV1 writes the query the reference
// writes, for queries and bodies the runner builds (encoded, sorted as
// they are) and any other (decoded first): escapes in either case, '+',
// broken escapes, empty parts, keys without "=", repeated keys, the
// parameters signing owns already present, a body that is not a form,
// strings to sign of several chunks.
func TestSignV1AsDecoded(t *testing.T) {
	piece := rapid.SampledFrom([]string{"a", "B", "~", "%20", "%2a", "%2A", "+", "%", "%zz", "=", "&", "é", "Timestamp=1",
		"Signature=x", "AccessKeyId", "Users.1.X", "Users.10.X", "%3D", strings.Repeat("a%20", hashChunk/2)})
	text := rapid.Custom(func(t *rapid.T) string { return strings.Join(rapid.SliceOfN(piece, 0, 12).Draw(t, "pieces"), "") })
	rapid.Check(t, func(t *rapid.T) {
		query, body := text.Draw(t, "query"), text.Draw(t, "body")
		if rapid.Bool().Draw(t, "encoded") { // as the runner builds them
			q, _ := wire.ParsePairs(query, "query")
			b, _ := wire.ParsePairs(body, "body")
			query, body = wire.JoinPairs(q), wire.JoinPairs(b)
		}
		req, err := http.NewRequest(http.MethodPost, "http://h/", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.URL.RawQuery = query
		if rapid.Bool().Draw(t, "form") {
			req.Header.Set("Content-Type", formMediaType)
		}
		date := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		want := referenceSignV1(req, body, testAccounts[0], date, "n 1")
		SignRequestV1(req, []byte(body), testAccounts[0], date, "n 1")
		if req.URL.RawQuery != want {
			t.Fatalf("query %q, body %q:\n got %s\nwant %s", query, body, req.URL.RawQuery, want)
		}
	})
}

// payloadHash, which hashes a chunk at a time, is the SHA-256 of the whole
// body, at sizes around the chunk's.
func TestPayloadHash(t *testing.T) {
	for _, n := range []int{0, 1, hashChunk - 1, hashChunk, hashChunk + 1, 3*hashChunk + 7} {
		body := strings.Repeat("ab&=%", n/5+1)[:n]
		sum := sha256.Sum256([]byte(body))
		if got := payloadHash(body); got != hex.EncodeToString(sum[:]) {
			t.Errorf("payloadHash of %d bytes = %s, want %x", n, got, sum)
		}
	}
}

// TestSignedHeaderNamesAsLowered: the headers signed are those whose key,
// lower-cased, is content-type or begins with x-acs-, whatever the key's
// case and characters (a long s folds to s but does not lower-case to it).
func TestSignedHeaderNamesAsLowered(t *testing.T) {
	prefix := rapid.SampledFrom([]string{"", "x-acs-", "X-Acs-", "X-ACS", "x-ac\u017f-", "Content-Type", "content-type", "CONTENT-TYP"})
	key := rapid.Custom(func(t *rapid.T) string {
		return prefix.Draw(t, "prefix") + rapid.StringOf(rapid.SampledFrom([]rune("xX-aAsSeE\u017f"))).Draw(t, "rest")
	})
	rapid.Check(t, func(t *rapid.T) {
		req := httptest.NewRequest(http.MethodPost, "/", nil)
		want := []string{"host"}
		for _, k := range rapid.SliceOfN(key, 0, 4).Draw(t, "keys") {
			req.Header[k] = []string{"v"}
			if lk := strings.ToLower(k); (lk == "content-type" || strings.HasPrefix(lk, "x-acs-")) && !slices.Contains(want, lk) {
				want = append(want, lk)
			}
		}
		sort.Strings(want)
		if got := signedHeaderNames(req); !slices.Equal(got, want) {
			t.Fatalf("signed headers of %q: %q, want %q", slices.Collect(maps.Keys(req.Header)), got, want)
		}
	})
}
