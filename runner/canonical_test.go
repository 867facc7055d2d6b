package runner

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/wire"
)

// TestCanonicalQueryPlainAsDecoded: an encoded query, sorted as it is, gives
// what decoding it, sorting the pairs and encoding them again gives.
func TestCanonicalQueryPlainAsDecoded(t *testing.T) {
	text := rapid.StringOf(rapid.SampledFrom([]rune("aB~_.- \x7f*%é")))
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "n")
		pairs := make([]wire.Pair, n)
		for i := range pairs {
			pairs[i] = wire.Pair{Key: text.Draw(t, "key"), Value: text.Draw(t, "value"), In: "query"}
		}
		raw := wire.JoinPairs(pairs)
		decoded, _ := wire.ParsePairs(raw, "query")
		sortPairs(decoded)
		if got, want := string(appendCanonicalQuery(nil, raw)), wire.JoinPairs(decoded); got != want {
			t.Fatalf("canonical query of %q = %q, want %q", raw, got, want)
		}
	})
}
