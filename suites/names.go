package suites

import (
	"hash/fnv"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/acsconform/acsconform/specs"
)

// namer makes values of unique parameters (user names) unique to a run:
// each is derived from the case's key and the run's nonce, so the same
// seed and nonce give the same names whatever the scheduling, and a
// rerun with another nonce against a long-lived target does not collide.
type namer struct {
	nonce string
}

// tagLen is the length of the unique tag: 36^9 values.
const tagLen = 9

// unique returns a value for p unique to key: the generated value with a
// tag appended (cut to fit), or the tag alone, whichever the parameter's
// documented length and patterns accept; the generated value if neither.
func (n *namer) unique(p *specs.Param, generated, key string) string {
	tag := n.tag(key)
	room := utf8.RuneCountInString(generated) + len(tag)
	if p.MaxLength != nil {
		room = *p.MaxLength
	}
	for _, v := range []string{cut(generated, room-len(tag)) + tag, pad(tag, p)} {
		if fits(p, v) {
			return v
		}
	}
	return generated
}

// tag is a short lower-case alphanumeric word unique to key and the nonce,
// starting with a letter.
func (n *namer) tag(key string) string {
	h := fnv.New64a()
	h.Write([]byte(n.nonce + "\x00" + key))
	s := strconv.FormatUint(h.Sum64(), 36)
	for len(s) < tagLen {
		s = "0" + s
	}
	return "z" + s[len(s)-tagLen+1:]
}

// cut keeps at most n characters of s (none when n <= 0).
func cut(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// pad lengthens a tag with zeros to the parameter's minimum length.
func pad(tag string, p *specs.Param) string {
	if p.MinLength != nil && len(tag) < *p.MinLength {
		return tag + strings.Repeat("0", *p.MinLength-len(tag))
	}
	return tag
}

// fits reports whether v satisfies p's documented length and patterns
// under every reading.
func fits(p *specs.Param, v string) bool {
	n := utf8.RuneCountInString(v)
	switch {
	case p.MinLength != nil && n < *p.MinLength, p.MaxLength != nil && n > *p.MaxLength:
		return false
	case p.Pattern != nil && !p.Pattern.MatchString(v):
		return false
	case p.StrictPattern != nil && !p.StrictPattern.MatchString(v):
		return false
	}
	return true
}
