package suites

import (
	"time"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// buildBatch: mixed batches of the flattened list. Even cases create a
// batch, then send one mixing new elements with an existing one; odd cases
// send a batch that repeats one of its own elements (an ambiguity the
// oracle knows).
func buildBatch(b *builder) []sequence {
	list := flatParam(b.op)
	if list == nil {
		return nil
	}
	seqs := make([]sequence, 0, b.stateful())
	for i := 0; i < b.stateful(); i++ {
		st, a := b.state(), b.account(i)
		fresh := b.validRequest(i)
		if i%2 == 1 {
			elems := fresh.Lists[list.Name]
			fresh.Lists[list.Name] = capList(list, append(elems, elems[0]))
			seqs = append(seqs, single(b.step(i, fresh, a, st, nil, "a batch repeating one of its elements"))...)
			continue
		}
		before := b.validRequest(i)
		first := b.step(2*i, before, a, st, nil, "a batch of new elements")
		st.Record(b.op, before, account(a))
		mixed := fresh.Clone()
		old := before.Clone().Lists[list.Name][0]
		mixed.Lists[list.Name] = capList(list, append([]map[string]string{old}, fresh.Lists[list.Name]...))
		then := b.step(2*i+1, mixed, a, st, nil, "a batch mixing an existing element with new ones")
		seqs = append(seqs, sequence{Steps: []step{first, then}})
	}
	return seqs
}

// flatParam is op's flattened list parameter, nil when it has none.
func flatParam(op *specs.Operation) *specs.Param {
	for _, p := range op.Params {
		if p.Style == specs.StyleFlat {
			return p
		}
	}
	return nil
}

// capList keeps at most the list's documented number of items.
func capList(p *specs.Param, list []map[string]string) []map[string]string {
	if p.MaxItems != nil && len(list) > *p.MaxItems {
		return list[:*p.MaxItems]
	}
	return list
}

// conditionalVariants is how many requests test each side of each
// conditional rule.
const conditionalVariants = 2

// buildConditional: for each conditional rule, requests where the
// condition holds without the parameter (rejected) and with it (accepted).
func buildConditional(b *builder) []sequence {
	var steps []step
	for _, rule := range b.op.Rules {
		if rule.Kind != specs.RuleConditionalRequired {
			continue
		}
		for v := 0; v < conditionalVariants; v++ {
			g, ok := b.src.invalidFor(b.op, rule, b.seed+int64(v))
			if !ok {
				continue
			}
			without := b.prepareCase(g)
			steps = append(steps, b.step(len(steps), without, b.account(len(steps)), b.state(), rule,
				"condition of "+rule.ID+" holds, "+rule.Param+" absent"))
			if with, ok := b.withParam(rule.Param, without, v); ok {
				s := b.step(len(steps), with, b.account(len(steps)), b.state(), rule,
					"condition of "+rule.ID+" holds, "+rule.Param+" sent")
				steps = append(steps, s)
			}
		}
	}
	return single(steps...)
}

// searchValid bounds the valid requests searched for a parameter's value.
const searchValid = 200

// withParam returns r with a valid value at path, taken from the first
// valid request that has one.
func (b *builder) withParam(path string, r wire.Request, variant int) (wire.Request, bool) {
	top, field := specs.SplitPath(path)
	for k := 0; k < searchValid; k++ {
		v := b.src.valid(b.op, b.seed+int64(variant), k)
		if field == "" {
			if val, ok := v.Params[top]; ok && val != "" {
				c := r.Clone()
				c.Params[top] = val
				return c, true
			}
			continue
		}
		for _, el := range v.Lists[top] {
			if val, ok := el[field]; ok && val != "" {
				c := r.Clone()
				for _, e := range c.Lists[top] {
					if e[field] == "" {
						e[field] = val
					}
				}
				return c, true
			}
		}
	}
	return r, false
}

// settle is how long past a window the rate-limit plans wait before
// starting, so that earlier calls have left every reading's window.
func settle(rl *specs.RateLimit) time.Duration { return rl.Per + rl.Per/5 }

// Roles of the steps of the rate-limit burst plan.
const (
	roleBurst        = "burst"
	roleOtherAccount = "other-account"
	roleAfterWindow  = "after-window"
)

// rateSteps are n valid requests from account acct sent as a burst (no
// pacing), each allowed to be accepted or throttled.
func (b *builder) rateSteps(n, acct int) []step {
	steps := make([]step, 0, n)
	for i := 0; i < n; i++ {
		s := b.step(i, b.validRequest(i), acct, b.state(), nil, "burst call")
		s.Burst, s.Together, s.Role = true, true, roleBurst
		s.Expect.Rule = rateRule(b.op)
		s.Expect.Verdict = orThrottled(s.Expect.Verdict, b.op)
		steps = append(steps, s)
	}
	return steps
}

// orThrottled adds op's documented throttled answers to a verdict.
func orThrottled(v oracle.Verdict, op *specs.Operation) oracle.Verdict {
	out := v
	out.Outcomes = append([]specs.Outcome(nil), v.Outcomes...)
	out.Why = map[specs.Outcome][]string{}
	for o, why := range v.Why {
		out.Why[o] = why
	}
	for _, o := range oracle.ThrottleOutcomes(op) {
		out.Outcomes = append(out.Outcomes, o)
		out.Why[o] = []string{rateRule(op).ID}
	}
	return out
}

// rateCall is a valid call from acct, after wait, that must be accepted.
func (b *builder) rateCall(n, acct int, wait time.Duration, role, label string) step {
	s := b.step(n, b.validRequest(n), acct, b.state(), nil, label)
	s.Burst, s.Wait, s.Role = true, wait, role
	s.Expect.Rule = rateRule(b.op)
	return s
}

// buildRatePaced: the limit's number of calls at half the documented rate
// (two windows) from the first account, none of which may be throttled;
// the first waits for earlier traffic to leave the window.
func buildRatePaced(b *builder) []sequence {
	rl := b.op.RateLimit
	gap := 2 * rl.Per / time.Duration(rl.Calls)
	steps := make([]step, 0, rl.Calls)
	for i := 0; i < rl.Calls; i++ {
		steps = append(steps, b.rateCall(i, 0, gap, "", "call paced at half the documented rate"))
	}
	steps[0].Wait = settle(rl)
	return []sequence{{Steps: steps}}
}

// buildRateBurst: three times the limit as fast as possible from the first
// account (rate-limit-enforced), at once a call from the second account
// (rate-limit-per-account), then past the window a call from the first
// (rate-limit-recovers). It follows the paced plan, whose calls may still
// count in the window: that only lowers what the burst may get accepted.
func buildRateBurst(b *builder) []sequence {
	rl := b.op.RateLimit
	steps := b.rateSteps(3*rl.Calls, 0)
	if b.accounts() > 1 {
		steps = append(steps, b.rateCall(len(steps), 1, 0, roleOtherAccount, "another account's call right after the burst"))
	}
	steps = append(steps, b.rateCall(len(steps), 0, settle(rl), roleAfterWindow, "a call one window after the burst"))
	return []sequence{{Steps: steps}}
}

// buildQuota: the declared quota plus one creates on the last account;
// the account may hold users already, so each may be accepted or refused
// with the quota error (judgeQuota checks the order and the count).
func buildQuota(b *builder) []sequence {
	quota := b.target.RAMUserQuota
	acct := b.accounts() - 1
	steps := make([]step, 0, quota+1)
	for i := 0; i <= quota; i++ {
		steps = append(steps, b.step(i, b.validRequest(i), acct, b.state(), ruleOf(b.op, specs.RuleQuota), "create towards the quota"))
	}
	return []sequence{{Steps: steps}}
}
