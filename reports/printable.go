package reports

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/acsconform/acsconform/results"
)

// printable returns s with every character that XML 1.0 forbids or a
// terminal would act on written as a Go escape: control characters other
// than tab and newline, U+FFFE, U+FFFF, and bytes that are not UTF-8.
// A string that needs no escaping is returned as is.
func printable(s string) string {
	if isPrintable(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, width := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && width == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+width])
		}
		i += width
	}
	return b.String()
}

// isPrintable reports whether printable(s) would return s unchanged.
func isPrintable(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < 0x7f || c == '\t' || c == '\n' {
			i++ // printable ASCII, the common case
			continue
		}
		r, width := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && width == 1) || unsafeRune(r) {
			return false
		}
		i += width
	}
	return true
}

// unsafeRune reports whether r must be escaped: a control character other
// than tab and newline, or one of the two non-characters XML 1.0 excludes.
func unsafeRune(r rune) bool {
	if r == '\t' || r == '\n' {
		return false
	}
	return unicode.IsControl(r) || r == 0xFFFE || r == 0xFFFF
}

// shardLabel says which part of a campaign r is: "2/4" for one shard,
// "4 shards merged" for a merged report, "" for a whole run.
func shardLabel(r *results.Result) string {
	if r.Merged > 0 {
		return fmt.Sprintf("%d shards merged", r.Merged)
	}
	return r.Shard
}
