package reports

import (
	"testing"

	"gotest.tools/v3/assert"
)

func TestPrintable(t *testing.T) {
	cases := []struct {
		reason, in, want string
	}{
		{"plain text is kept", "UserName=a&b <c>", "UserName=a&b <c>"},
		{"tab and newline are kept", "a\tb\nc", "a\tb\nc"},
		{"unicode is kept, U+FFFD included", "用户名称 \uFFFD ✓", "用户名称 \uFFFD ✓"},
		{"C0 controls, CR and DEL are escaped", "\x00\x1b[0m\r\x7f", `\x00\x1b[0m\x0d\x7f`},
		{"C1 controls are escaped", "a\u0085b", `a\u0085b`},
		{"the non-characters XML 1.0 forbids are escaped", "\uFFFE\uFFFF", `\ufffe\uffff`},
		{"bytes that are not UTF-8 are escaped one by one", "a\xff\xfeb", `a\xff\xfeb`},
		{"a lone continuation byte is escaped", "\x80", `\x80`},
	}
	for _, c := range cases {
		assert.Equal(t, printable(c.in), c.want, c.reason)
		assert.Assert(t, isPrintable(printable(c.in)), "printable output must be printable: %s", c.reason)
	}
}

func TestIndented(t *testing.T) {
	cases := []struct {
		reason, in, want string
	}{
		{"one line is kept", "HTTP 500", "HTTP 500"},
		{"continuation lines line up with the first", "HTTP 500\n{}", "HTTP 500\n            {}"},
		{"trailing newlines are dropped", "HTTP 502\n\n", "HTTP 502"},
		{"blank lines stay empty, without trailing spaces", "a\n\nb", "a\n\n            b"},
		{"a value of newlines is blank", "\n\n", ""},
	}
	for _, c := range cases {
		assert.Equal(t, indented(c.in), c.want, c.reason)
	}
}
