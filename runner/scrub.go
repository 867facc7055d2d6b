package runner

import (
	"sort"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Scrubber removes known secret values from any text: the accounts'
// AccessKeySecrets and the values of the spec's secret parameters in the
// requests a text is about, plain, percent-encoded or JSON-escaped, and any
// signature the text quotes. Send redacts each exchange with the same
// rules; a Scrubber is for text built later from several exchanges and
// requests (a finding, a label).
type Scrubber struct {
	lits literalSet
}

// NewScrubber returns a scrubber of the given secret values.
func NewScrubber(secrets ...string) *Scrubber {
	s := &Scrubber{}
	s.add(secrets)
	return s
}

// With returns a scrubber that also removes the secret parameter values of
// op's requests.
func (s *Scrubber) With(op *specs.Operation, requests ...wire.Request) *Scrubber {
	c := &Scrubber{lits: append(literalSet(nil), s.lits...)}
	names := secretNames(op)
	for _, r := range requests {
		c.add(requestSecrets(names, r))
	}
	return c
}

// Scrub masks every known secret in text, and any signature it quotes.
func (s *Scrubber) Scrub(text string) string {
	return signatureText.ReplaceAllString(s.lits.Replace(text), "${1}"+Redacted)
}

// add records more secret values, in every form they may be written in,
// longest first so that a secret containing another is masked whole.
func (s *Scrubber) add(values []string) {
	for _, v := range values {
		s.lits = append(s.lits, literalForms(v)...)
	}
	sort.SliceStable(s.lits, func(i, j int) bool { return len(s.lits[i]) > len(s.lits[j]) })
}

// requestSecrets are the values r carries for the secret parameters names,
// at top level, in list elements, and in raw pairs naming them.
func requestSecrets(names []string, r wire.Request) []string {
	var out []string
	for k, v := range r.Params {
		if secretKey(names, k) {
			out = append(out, v)
		}
	}
	for _, list := range r.Lists {
		for _, el := range list {
			for k, v := range el {
				if secretKey(names, k) {
					out = append(out, v)
				}
			}
		}
	}
	for _, p := range r.Raw {
		if secretKey(names, p.Key) {
			out = append(out, p.Value)
		}
	}
	return out
}
