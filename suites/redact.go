package suites

import (
	"regexp"
	"sort"
	"strings"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// redacted replaces a secret value in anything a finding carries.
const redacted = "<redacted>"

// minSecret is the shortest value scrubbed from text: shorter ones would
// mangle ordinary words and numbers, and say nothing of a password.
const minSecret = 4

// scrubber removes every known secret value from text: the accounts'
// AccessKeySecrets and the values of the spec's secret parameters
// (passwords) in the requests a finding is about. The runner already
// redacts exchanges; this is the second lock, for answers that echo a
// secret back and for labels built from requests.
type scrubber struct {
	values []string
}

// newScrubber returns a scrubber of the given values, longest first so that
// a secret containing another is removed whole.
func newScrubber(values ...string) *scrubber {
	s := &scrubber{}
	s.add(values...)
	return s
}

// add records more secret values.
func (s *scrubber) add(values ...string) {
	for _, v := range values {
		if len(v) >= minSecret {
			s.values = append(s.values, v)
		}
	}
	sort.Slice(s.values, func(i, j int) bool { return len(s.values[i]) > len(s.values[j]) })
}

// with returns a scrubber that also removes the secret values of seq's requests.
func (s *scrubber) with(op *specs.Operation, seq *sequence) *scrubber {
	c := &scrubber{values: append([]string(nil), s.values...)}
	for i := range seq.Steps {
		c.add(secretValues(op, seq.Steps[i].Request)...)
	}
	return c
}

// echoedSignature is a signature as a target may echo it back: the V1
// query parameter or the V3 Authorization part, "Signature=value".
var echoedSignature = regexp.MustCompile(`(Signature=)[^,\s&"'\\<]+`)

// scrub replaces every secret value in text, and any signature it quotes.
func (s *scrubber) scrub(text string) string {
	for _, v := range s.values {
		if strings.Contains(text, v) {
			text = strings.ReplaceAll(text, v, redacted)
		}
	}
	return echoedSignature.ReplaceAllString(text, "${1}"+redacted)
}

// secretValues are the values r carries for parameters the spec marks secret,
// at top level, in list elements, and in raw pairs naming them.
func secretValues(op *specs.Operation, r wire.Request) []string {
	secret := secretNames(op)
	var out []string
	for k, v := range r.Params {
		if secret[k] {
			out = append(out, v)
		}
	}
	for _, list := range r.Lists {
		for _, el := range list {
			for k, v := range el {
				if secret[k] {
					out = append(out, v)
				}
			}
		}
	}
	for _, p := range r.Raw {
		if secret[p.Key[strings.LastIndex(p.Key, ".")+1:]] {
			out = append(out, p.Value)
		}
	}
	return out
}

// secretNames are the wire names of op's secret parameters and fields.
func secretNames(op *specs.Operation) map[string]bool {
	names := map[string]bool{}
	var walk func(ps []*specs.Param)
	walk = func(ps []*specs.Param) {
		for _, p := range ps {
			if p.Secret {
				names[p.Name] = true
			}
			walk(p.Fields)
			if p.Items != nil {
				walk([]*specs.Param{p.Items})
			}
		}
	}
	walk(op.Params)
	return names
}
