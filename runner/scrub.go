package runner

import (
	"strings"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Scrubber removes known secrets from any text: the accounts'
// AccessKeySecrets and user-supplied secret values of any length, plain,
// percent-encoded, JSON- or XML-escaped, any signature the text quotes
// (Signature=..., "Signature":"...", <Signature>...</Signature>) and the
// user information of any URL. Send redacts each exchange by the same
// policy; a Scrubber is for text built later from several exchanges and
// requests (a finding, a label). Generated test data, passwords included,
// is not secret and stays.
type Scrubber struct {
	lits literalSet
}

// NewScrubber returns a scrubber of the given secret values.
func NewScrubber(secrets ...string) *Scrubber {
	return &Scrubber{lits: newLiterals(secrets)}
}

// Scrub masks every known secret in text, and any signature or URL user
// information it quotes.
func (s *Scrubber) Scrub(text string) string {
	return scrubText(s.lits, text)
}

// SecretValues are the values r carries for the parameters op's spec marks
// secret (passwords), at top level, in list elements and in raw pairs:
// secrets when a user supplied them (traffic the proxy observes, 'send'),
// test data when the generators drew them.
func SecretValues(op *specs.Operation, r wire.Request) []string {
	secret := map[string]bool{}
	var walk func(ps []*specs.Param)
	walk = func(ps []*specs.Param) {
		for _, p := range ps {
			if p == nil {
				continue
			}
			if p.Secret {
				secret[strings.ToLower(p.Name)] = true
			}
			walk(p.Fields)
			walk([]*specs.Param{p.Items})
		}
	}
	walk(op.Params)
	isSecret := func(key string) bool { return secret[strings.ToLower(key[strings.LastIndex(key, ".")+1:])] }
	var out []string
	for k, v := range r.Params {
		if isSecret(k) {
			out = append(out, v)
		}
	}
	for _, list := range r.Lists {
		for _, el := range list {
			for k, v := range el {
				if isSecret(k) {
					out = append(out, v)
				}
			}
		}
	}
	for _, p := range r.Raw {
		if isSecret(p.Key) {
			out = append(out, p.Value)
		}
	}
	return out
}
