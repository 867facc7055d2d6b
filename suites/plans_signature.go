package suites

import (
	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// tampers are the signature faults a signature-checking target must reject.
var tampers = []wire.Tamper{
	wire.TamperUnsigned,
	wire.TamperWrongSignature,
	wire.TamperExpiredTimestamp,
	wire.TamperUnknownAccessKey,
	wire.TamperReusedNonce,
}

// buildSignature: for each signing version of the run and each fault, a
// valid request sent with that fault; a reused nonce follows a first,
// correct request with that nonce.
func buildSignature(b *builder) []sequence {
	var seqs []sequence
	n := 0
	for _, sig := range b.opts.Signatures {
		if sig == wire.SignNone {
			continue
		}
		for _, t := range tampers {
			r := b.validRequest(n)
			a := b.account(n)
			bad := b.step(n, r, a, b.state(), nil, "valid request, "+string(sig)+" signature fault: "+string(t))
			bad.Signature, bad.Tamper = sig, t
			bad.Expect = expectation{Verdict: gatewayVerdict(b.model), Rule: bad.Expect.Rule}
			seq := sequence{Steps: []step{bad}}
			if t == wire.TamperReusedNonce {
				first := b.step(n, b.validRequest(n), a, b.state(), nil, "valid request whose nonce is reused next")
				first.Signature = sig
				seq.Steps = []step{first, bad}
			}
			seqs = append(seqs, seq)
			n++
		}
	}
	return seqs
}

// gatewayVerdict allows the gateway's client errors (4xx) a badly signed
// request may get, throttling aside.
func gatewayVerdict(m *specs.Model) oracle.Verdict {
	throttle := map[string]bool{}
	for _, op := range m.Operations {
		if op.RateLimit != nil {
			for _, c := range op.RateLimit.Codes {
				throttle[c] = true
			}
		}
	}
	v := oracle.Verdict{Why: map[specs.Outcome][]string{}}
	for _, e := range m.GatewayErrors {
		if e.Status < 400 || e.Status > 499 || throttle[e.Code] || !concrete(e.Code) {
			continue
		}
		o := specs.Outcome{Status: e.Status, Code: e.Code}
		v.Outcomes = append(v.Outcomes, o)
	}
	return v
}

// concrete reports whether a code is a code, not a template ("Missing<Name>").
func concrete(code string) bool {
	for _, r := range code {
		if r == '<' {
			return false
		}
	}
	return true
}
