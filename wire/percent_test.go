package wire

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// percentReference is PercentEncode written byte by byte.
func percentReference(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func TestPercentEncodeEveryByte(t *testing.T) {
	t.Parallel()
	for c := 0; c < 256; c++ {
		s := "a" + string([]byte{byte(c)}) + "b"
		if got, want := PercentEncode(s), percentReference(s); got != want {
			t.Errorf("PercentEncode(%q) = %q, want %q", s, got, want)
		}
		if got, want := string(AppendPercentEncoded([]byte("x"), s)), "x"+percentReference(s); got != want {
			t.Errorf("AppendPercentEncoded(x, %q) = %q, want %q", s, got, want)
		}
	}
}

func TestJoinPairsEncodesEachKeyAndValue(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		var pairs []Pair
		var want []string
		for _, kv := range rapid.SliceOfN(rapid.SliceOfN(rapid.String(), 2, 2), 0, 6).Draw(t, "pairs") {
			pairs = append(pairs, Pair{Key: kv[0], Value: kv[1]})
			want = append(want, percentReference(kv[0])+"="+percentReference(kv[1]))
		}
		if got := JoinPairs(pairs); got != strings.Join(want, "&") {
			t.Fatalf("JoinPairs = %q, want %q", got, strings.Join(want, "&"))
		}
	})
}

// TestIsPercentEncoded: what PercentEncode writes is percent-encoded; a
// text decoding differently or written otherwise (lower-case hex, an
// escaped unreserved byte, '+', a cut escape) is not.
func TestIsPercentEncoded(t *testing.T) {
	for _, s := range []string{"", "abc", "a b", "100%", "中文", "a+b=c&d", "\x00\xff", "~-_."} {
		if e := PercentEncode(s); !IsPercentEncoded(e) {
			t.Errorf("PercentEncode(%q) = %q: not percent-encoded", s, e)
		}
	}
	for _, s := range []string{"a b", "%2a", "%41", "+", "%2", "%", "%G0", "a=b", "<"} {
		if IsPercentEncoded(s) {
			t.Errorf("%q: percent-encoded", s)
		}
	}
}

// TestComparePercentEncoded: two encoded texts compare as the texts they
// decode to (an escape can sort before or after an unreserved byte).
func TestComparePercentEncoded(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.StringOf(rapid.SampledFrom([]rune("a~_.- \x7f\x00é*%A"))).Draw(t, "a")
		b := rapid.StringOf(rapid.SampledFrom([]rune("a~_.- \x7f\x00é*%A"))).Draw(t, "b")
		if got, want := ComparePercentEncoded(PercentEncode(a), PercentEncode(b)), strings.Compare(a, b); got != want {
			t.Fatalf("ComparePercentEncoded(%q, %q) = %d, want %d", PercentEncode(a), PercentEncode(b), got, want)
		}
	})
}
