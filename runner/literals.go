package runner

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"sort"
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
	// first are the forms by their first byte, for contains, in a set of
	// more than fewForms forms (nil in a smaller one).
	first *[256][]string
	once  sync.Once
	r     *strings.Replacer
}

// newLiterals is the set of every form of values (empty ones left out),
// longest first so that a secret containing another is masked whole.
func newLiterals(values []string) literalSet {
	set := literalSet{&literals{}}
	seen := map[string]bool{}
	for _, v := range values {
		for _, form := range literalForms(v) {
			if form != "" && !seen[form] {
				seen[form] = true
				set.forms = append(set.forms, form)
			}
		}
	}
	sort.SliceStable(set.forms, func(i, j int) bool { return len(set.forms[i]) > len(set.forms[j]) })
	if len(set.forms) > fewForms {
		set.first = new([256][]string)
		for _, f := range set.forms {
			set.first[f[0]] = append(set.first[f[0]], f)
		}
	}
	return set
}

// fewForms is how many forms contains looks for one by one; a larger set
// (the secrets of many accounts) is searched in one pass by first byte.
const fewForms = 8

// replacer is the one-pass replacer of every form, built on first use.
func (set literalSet) replacer() *strings.Replacer {
	set.once.Do(func() {
		args := make([]string, 0, 2*len(set.forms))
		for _, f := range set.forms {
			args = append(args, f, Redacted)
		}
		set.r = strings.NewReplacer(args...)
	})
	return set.r
}

// contains reports whether some form occurs in s.
func (set literalSet) contains(s string) bool {
	if set.first == nil {
		for _, f := range set.forms {
			if strings.Contains(s, f) {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(s); i++ {
		for _, f := range set.first[s[i]] {
			if strings.HasPrefix(s[i:], f) {
				return true
			}
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
	var x bytes.Buffer
	xml.EscapeText(&x, []byte(v))
	xmlQuot := strings.NewReplacer("&#34;", "&quot;", "&#39;", "&apos;").Replace(x.String())
	return []string{v, wire.PercentEncode(v), url.QueryEscape(v), jsonText(v, false), jsonText(v, true), x.String(), xmlQuot}
}

// Replace masks every literal in s in one pass, leaving the masks already
// in s (Redacted, SignaturePlaceholder) whole whatever the secrets are.
func (set literalSet) Replace(s string) string {
	if len(set.forms) == 0 || s == "" || !set.contains(s) {
		return s
	}
	r := set.replacer()
	var b strings.Builder
	for s != "" {
		i, mark := nextMark(s)
		b.WriteString(r.Replace(s[:i]))
		b.WriteString(mark)
		s = s[i+len(mark):]
	}
	return b.String()
}
