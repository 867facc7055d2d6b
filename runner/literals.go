package runner

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/acsconform/acsconform/wire"
)

// literalSet masks the texts of known secret values. Most texts hold none
// of them: contains finds that out in one pass over the text, and the
// replacer is built only when a text does.
type literalSet struct {
	*literals
}

// literals is a literalSet's shared state.
type literals struct {
	forms []string
	// index finds the forms of a set of more than fewForms forms in one
	// pass (nil in a smaller set, and when grams does).
	index *formIndex
	// grams finds them when none is shorter than minGramForm bytes,
	// looking at one text position in several (nil otherwise).
	grams *gramIndex
	once  sync.Once
	r     *strings.Replacer
}

// newLiterals is the set of every form of values (empty ones left out),
// longest first so that a secret containing another is masked whole.
func newLiterals(values []string) literalSet {
	set := literalSet{&literals{}}
	for _, v := range values {
		set.forms = append(set.forms, literalForms(v)...) // none empty
	}
	// Longest first; forms of one length in any order (two cannot start
	// at one place), here sorted so that repeats are next to each other.
	slices.SortFunc(set.forms, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b))
	})
	set.forms = slices.Compact(set.forms)
	switch {
	case len(set.forms) <= fewForms:
	case len(set.forms[len(set.forms)-1]) >= minGramForm:
		set.grams = newGramIndex(set.forms)
	default:
		set.index = newFormIndex(set.forms)
	}
	return set
}

// minGramForm is the shortest form length for which a gramIndex looks at
// fewer positions than a formIndex (one in two, or fewer).
const minGramForm = 5

// gramIndex finds whether any of many forms, none shorter than
// minGramForm bytes, occurs in a text. With m the length of the shortest
// form, an occurrence of a form at p holds the m-3 four-byte grams that
// start at p..p+m-4, one of which starts at a multiple of stride = m-3: so
// looking up only the grams at multiples of stride (among the grams at
// offsets 0..m-4 of every form) finds every occurrence.
type gramIndex struct {
	stride int
	// bits is a bit set of the quadKey of every indexed gram.
	bits [1 << 16 / 64]uint64
	// at are the forms and offsets of the indexed grams by quadKey.
	at map[uint16][]gramAt
}

// gramAt is a form holding an indexed gram at offset off.
type gramAt struct {
	form string
	off  int
}

// newGramIndex indexes forms, sorted longest first, the last at least
// minGramForm bytes long.
func newGramIndex(forms []string) *gramIndex {
	shortest := len(forms[len(forms)-1])
	x := &gramIndex{stride: shortest - 3, at: map[uint16][]gramAt{}}
	for _, f := range forms {
		for off := 0; off+4 <= shortest; off++ {
			k := quadKey(f[off:])
			setBit(&x.bits, k)
			x.at[k] = append(x.at[k], gramAt{form: f, off: off})
		}
	}
	return x
}

// contains reports whether some indexed form occurs in s.
func (x *gramIndex) contains(s string) bool {
	for i := 0; i+4 <= len(s); i += x.stride {
		k := quadKey(s[i:])
		if !hasBit(&x.bits, k) {
			continue
		}
		for _, g := range x.at[k] {
			if p := i - g.off; p >= 0 && strings.HasPrefix(s[p:], g.form) {
				return true
			}
		}
	}
	return false
}

// formIndex finds whether any of many forms occurs in a text in one pass:
// a text position is looked at closer only when its first bytes may begin
// some form (its first two for a form of two or three bytes, a hash of its
// first four for a longer one, as secrets are).
type formIndex struct {
	// single are the forms of one byte.
	single [256]bool
	// pairs is a bit set of the first two bytes of the forms of two or
	// three bytes; quads one of a hash of the first four of the longer.
	pairs, quads [1 << 16 / 64]uint64
	// short is set when pairs holds some form.
	short bool
	// first are the forms of more than one byte by their first byte.
	first [256][]string
}

// newFormIndex indexes forms (none empty).
func newFormIndex(forms []string) *formIndex {
	x := &formIndex{}
	for _, f := range forms {
		switch {
		case len(f) == 1:
			x.single[f[0]] = true
			continue
		case len(f) < 4:
			setBit(&x.pairs, pairKey(f))
			x.short = true
		default:
			setBit(&x.quads, quadKey(f))
		}
		x.first[f[0]] = append(x.first[f[0]], f)
	}
	return x
}

// contains reports whether some indexed form occurs in s.
func (x *formIndex) contains(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if x.single[c] {
			return true
		}
		if i+1 == len(s) {
			break
		}
		if (i+4 > len(s) || !hasBit(&x.quads, quadKey(s[i:]))) && (!x.short || !hasBit(&x.pairs, pairKey(s[i:]))) {
			continue
		}
		for _, f := range x.first[c] {
			if strings.HasPrefix(s[i:], f) {
				return true
			}
		}
	}
	return false
}

// pairKey is the first two bytes of s.
func pairKey(s string) uint16 { return uint16(s[0])<<8 | uint16(s[1]) }

// quadKey is a 16-bit hash of the first four bytes of s.
func quadKey(s string) uint16 {
	v := uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
	return uint16(v * 0x9e3779b1 >> 16)
}

// setBit sets bit k of set.
func setBit(set *[1 << 16 / 64]uint64, k uint16) { set[k>>6] |= 1 << (k & 63) }

// hasBit reports whether bit k of set is set.
func hasBit(set *[1 << 16 / 64]uint64, k uint16) bool { return set[k>>6]&(1<<(k&63)) != 0 }

// fewForms is how many forms contains looks for one by one; a larger set
// (the secrets of many accounts) is searched in one pass by first byte.
const fewForms = 8

// replacer is the one-pass replacer of every form, built on first use.
func (set literalSet) replacer() *strings.Replacer {
	set.once.Do(func() { set.r = maskingReplacer(set.forms) })
	return set.r
}

// maskingReplacer replaces each of forms by Redacted, the earlier form
// first where two start at the same place.
func maskingReplacer(forms []string) *strings.Replacer {
	args := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		args = append(args, f, Redacted)
	}
	return strings.NewReplacer(args...)
}

// contains reports whether some form occurs in s.
func (set literalSet) contains(s string) bool {
	if set.grams != nil {
		return set.grams.contains(s)
	}
	if set.index != nil {
		return set.index.contains(s)
	}
	for _, f := range set.forms {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
}

// literalForms are the texts a secret value may be written as: as it is,
// percent-encoded (RFC 3986 and form style), JSON-escaped (with and
// without HTML escaping) and XML-escaped. A value of unreserved characters
// only (hex and most signatures) is written the same in all of them.
func literalForms(v string) []string {
	if v == "" {
		return nil
	}
	if wire.PercentEncode(v) == v {
		return []string{v}
	}
	if escapeFree(v) { // a V1 signature (base64): only its URL forms differ
		return []string{v, wire.PercentEncode(v), url.QueryEscape(v)}
	}
	return escapedForms(v)
}

// escapedForms are literalForms computed in full: every form, equal ones
// repeated.
func escapedForms(v string) []string {
	var x bytes.Buffer
	xml.EscapeText(&x, []byte(v))
	xmlQuot := strings.NewReplacer("&#34;", "&quot;", "&#39;", "&apos;").Replace(x.String())
	plain := jsonText(v, false)
	html := plain // HTML escaping changes only <, > and &
	if strings.ContainsAny(v, "<>&") {
		html = jsonText(v, true)
	}
	return []string{v, wire.PercentEncode(v), url.QueryEscape(v), plain, html, x.String(), xmlQuot}
}

// escapeFree reports whether JSON and XML write v as it is: printable
// ASCII without the quotes, the backslash, <, > and &.
func escapeFree(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c > 0x7e || strings.IndexByte("\"'\\<>&", c) >= 0 {
			return false
		}
	}
	return true
}

// Replace masks every literal in s in one pass, leaving the masks already
// in s (Redacted, SignaturePlaceholder) whole whatever the secrets are.
func (set literalSet) Replace(s string) string {
	if len(set.forms) == 0 || s == "" || !set.contains(s) {
		return s
	}
	return replaceOutsideMarks(set.replacer(), s)
}

// replaceOutsideMarks applies r to s between the masks already in it
// (Redacted, SignaturePlaceholder), which it leaves whole.
func replaceOutsideMarks(r *strings.Replacer, s string) string {
	var b strings.Builder
	for s != "" {
		i, mark := nextMark(s)
		b.WriteString(r.Replace(s[:i]))
		b.WriteString(mark)
		s = s[i+len(mark):]
	}
	return b.String()
}
