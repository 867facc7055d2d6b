package fuzz

import (
	"github.com/acsconform/acsconform/wire"
)

// buildSignature: for each signing version of the run and each fault, a
// valid request sent with that fault; a reused nonce follows a first,
// correct request with that nonce.
func buildSignature(b *builder) []Sequence {
	var seqs []Sequence
	n := 0
	for _, sig := range b.cfg.Signatures {
		if sig == wire.SignNone {
			continue
		}
		for _, t := range wire.Tampers {
			r := b.valid(n)
			a := b.account(n)
			bad := b.step(n, r, a, nil, "valid request, "+string(sig)+" signature fault: "+string(t))
			bad.Signature, bad.Tamper = sig, t
			seq := Sequence{Steps: []Step{bad}}
			if t == wire.TamperReusedNonce {
				first := b.step(n, b.valid(n), a, nil, "valid request whose nonce is reused next")
				first.Signature = sig
				seq.Steps = []Step{first, bad}
			}
			seqs = append(seqs, seq)
			n++
		}
	}
	return seqs
}
