package suites

import (
	"slices"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Traffic is one request acsconform did not generate, decoded from the
// wire (wire.DecodeHTTP), and the answer it got: what a validating proxy
// sees. JudgeTraffic judges it.
type Traffic struct {
	// Op is the operation the request calls; Request and Problems are
	// what wire.Decode made of it.
	Op       *specs.Operation
	Request  wire.Request
	Problems []wire.Problem
	// Account names the caller in the oracle's state (its AccessKeyId, say).
	Account string
	// Exchange is the request as sent and the answer, already redacted
	// (runner.Redact).
	Exchange runner.Exchange
	// Gateway is what the gateway may do with the request's signature.
	Gateway Gateway
}

// Gateway says what a gateway may answer to a request because of its
// signature, before the operation sees it.
type Gateway int

// What the gateway may do.
const (
	// GatewayPasses: the signature is good (or the target checks none):
	// only the operation's documented answers are allowed.
	GatewayPasses Gateway = iota
	// GatewayMayRefuse: the signature could not be verified (an unknown
	// AccessKeyId): the gateway's documented errors are allowed too.
	GatewayMayRefuse
	// GatewayRefuses: the signature is known bad: the request must get one
	// of the gateway's documented errors.
	GatewayRefuses
)

// TrafficOptions tune JudgeTraffic. The zero value judges with nothing
// known of the target (Model must be set).
type TrafficOptions struct {
	// Model is the loaded specs (for the gateway's errors).
	Model *specs.Model
	// State is what the target holds (names taken, declared instances);
	// JudgeTraffic records in it what an accepted request created. nil
	// means nothing is known, and nothing is recorded.
	State *oracle.State
	// UnknownPrior says the target may hold names State never saw (a
	// long-lived target): a unique rule's conflict is then allowed too.
	UnknownPrior bool
	// Strict makes warnings (answers allowed under one reading of
	// ambiguous docs) findings.
	Strict bool
	// Scrub removes secrets from the findings' text; nil means the
	// secret parameter values of the request only (runner.Scrubber).
	Scrub func(string) string
	// Seed and Command fill the findings' Seed and Command ("" and 0: none).
	Seed    int64
	Command string
}

// TrafficVerdict is one check's verdict on one observed exchange.
type TrafficVerdict struct {
	// Check is the check ID, as in a run ("error-code-documented").
	Check string
	// Findings and Warnings are what it found (warnings are findings
	// under TrafficOptions.Strict).
	Findings, Warnings []results.Finding
}

// TrafficChecks are the IDs of the checks JudgeTraffic applies, in report
// order: every check of single generated requests (valid, invalid,
// boundary and chaos cases), whose judges need no sequence.
func TrafficChecks() []string {
	var ids []string
	for _, c := range trafficChecks() {
		ids = append(ids, c.ID)
	}
	return ids
}

// trafficChecks are the registry's checks judging single requests.
func trafficChecks() []*Check {
	var out []*Check
	for i := range registry {
		c := &registry[i]
		for _, p := range c.plans {
			if slices.Contains(ordinaryPlans, p) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// JudgeTraffic judges one observed exchange with the judges the checks of
// a run use, against what the docs allow for its request (the oracle's
// verdict given the state, the operation's throttling, and the gateway's
// errors as Traffic.Gateway says), and returns one verdict per check that
// applies to the operation (TrafficChecks, in order). When the target
// accepted, what the request created is recorded in the state. The
// run-wide RequestId uniqueness is not judged.
func JudgeTraffic(t Traffic, o TrafficOptions) []TrafficVerdict {
	st := step{Step: fuzz.Step{Request: t.Request, Label: "observed request"}, Expect: trafficExpectation(t, o)}
	seq := &sequence{Steps: []step{st}}
	scrub := o.Scrub
	if scrub == nil {
		scrub = runner.NewScrubber(runner.SecretValues(t.Op, t.Request)...).Scrub
	}
	var out []TrafficVerdict
	for _, c := range trafficChecks() {
		if c.applies != nil && !c.applies(t.Op) {
			continue
		}
		j := scoped(judgeScope{check: c.ID, op: t.Op, replay: func() string { return o.Command }, seed: o.Seed, strict: o.Strict, scrub: scrub})
		c.judge(j, seq, []runner.Exchange{t.Exchange})
		out = append(out, TrafficVerdict{Check: c.ID, Findings: j.findings, Warnings: j.warnings})
	}
	if o.State != nil && t.Exchange.Status == 200 && t.Gateway != GatewayRefuses {
		recordCreated(t, st.Expect, o.State)
	}
	return out
}

// trafficExpectation is what the docs allow as the answer to t.
func trafficExpectation(t Traffic, o TrafficOptions) expectation {
	v := oracle.JudgeTraffic(t.Op, t.Request, t.Problems, o.State, t.Account)
	if o.UnknownPrior {
		v = orTaken(v, t.Op)
	}
	e := expectation{Verdict: v, Valid: v.Accepts() && len(v.Broken) == 0 && !v.Undocumented}
	if len(v.Broken) > 0 {
		e.Rule = v.Broken[0]
	}
	e.KeyField, e.Keys = batchKeys(t.Op, t.Request)
	switch t.Gateway {
	case GatewayRefuses:
		e.Verdict, e.Valid, e.Rule = gatewayVerdict(o.Model), false, nil
	case GatewayMayRefuse:
		g := gatewayVerdict(o.Model)
		e.Verdict.Outcomes = append(slices.Clip(e.Verdict.Outcomes), g.Outcomes...)
	}
	if t.Op.RateLimit != nil {
		e.Verdict = orThrottled(e.Verdict, t.Op)
	}
	return e
}

// orTaken adds the conflicts of op's unique rules to a verdict: a name
// the state never saw may be taken already.
func orTaken(v oracle.Verdict, op *specs.Operation) oracle.Verdict {
	out := v
	out.Outcomes = slices.Clone(v.Outcomes)
	out.Why = map[specs.Outcome][]string{}
	for k, why := range v.Why {
		out.Why[k] = why
	}
	out.Elements = slices.Clone(v.Elements)
	for _, rule := range op.Rules {
		if rule.Kind != specs.RuleUnique {
			continue
		}
		for _, oc := range rule.Broken {
			if !oc.Batch {
				out.Outcomes = append(out.Outcomes, oc)
				out.Why[oc] = append(out.Why[oc], rule.ID)
				continue
			}
			for i := range out.Elements {
				out.Elements[i].Outcomes = append(slices.Clip(out.Elements[i].Outcomes), oc)
			}
		}
	}
	return out
}

// recordCreated notes in st the users an accepted request created: the
// elements of a batch the answer lists as created, or the one user.
func recordCreated(t Traffic, e expectation, st *oracle.State) {
	if len(e.Keys) == 0 {
		st.Record(t.Op, t.Request, t.Account)
		return
	}
	doc, err := decodeBody(&t.Exchange, formatOf(t.Request.Format))
	if err != nil {
		return
	}
	created, _ := splitBatch(doc.Value, e.KeyField)
	elements := []int{}
	for i, k := range e.Keys {
		if len(created[k]) > 0 {
			created[k] = created[k][1:]
			elements = append(elements, i)
		}
	}
	st.RecordElements(t.Op, t.Request, t.Account, elements)
}
