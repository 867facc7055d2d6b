package runner

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
