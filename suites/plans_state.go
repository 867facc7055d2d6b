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
		st, a := b.state(true), i%b.accounts()
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
			without := b.prepare(g.Request, rule.Param)
			steps = append(steps, b.step(len(steps), without, len(steps)%b.accounts(), b.state(true), rule,
				"condition of "+rule.ID+" holds, "+rule.Param+" absent"))
			if with, ok := b.withParam(rule.Param, without, v); ok {
				s := b.step(len(steps), with, len(steps)%b.accounts(), b.state(true), rule,
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
	top, field := oracle.SplitPath(path)
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

// rateSteps are n valid requests from account acct sent as a burst (no
// pacing), each allowed to be accepted or throttled; the first waits for
// the window to settle.
func (b *builder) rateSteps(n, acct int, role string) []step {
	rl := b.op.RateLimit
	steps := make([]step, 0, n)
	for i := 0; i < n; i++ {
		r := b.validRequest(i)
		s := b.step(i, r, acct, b.state(true), nil, "burst call")
		s.Burst = true
		s.Expect.Rule = rateRule(b.op)
		s.Expect.Verdict = orThrottled(s.Expect.Verdict, rl)
		steps = append(steps, s)
	}
	if n > 0 {
		steps[0].Wait = settle(rl)
	}
	return steps
}

// orThrottled adds the documented throttled answers to a verdict.
func orThrottled(v oracle.Verdict, rl *specs.RateLimit) oracle.Verdict {
	out := v
	out.Outcomes = append([]specs.Outcome(nil), v.Outcomes...)
	out.Why = map[specs.Outcome][]string{}
	for o, why := range v.Why {
		out.Why[o] = why
	}
	for _, code := range rl.Codes {
		o := specs.Outcome{Status: rl.Status, Code: code}
		out.Outcomes = append(out.Outcomes, o)
		out.Why[o] = []string{"rate limit"}
	}
	return out
}

// lastCall is a valid call from acct after wait that must be accepted.
func (b *builder) lastCall(acct int, wait time.Duration, label string) step {
	s := b.step(0, b.validRequest(0), acct, b.state(true), nil, label)
	s.Burst, s.Wait = true, wait
	s.Expect.Rule = rateRule(b.op)
	return s
}

// buildRateBurst: three times the limit, as fast as possible, from one account.
func buildRateBurst(b *builder) []sequence {
	return []sequence{{Steps: b.rateSteps(3*b.op.RateLimit.Calls, 0, "burst")}}
}

// buildRatePaced: the limit's number of calls at half the documented rate
// (two windows), none of which may be throttled.
func buildRatePaced(b *builder) []sequence {
	rl := b.op.RateLimit
	gap := 2 * rl.Per / time.Duration(rl.Calls)
	steps := make([]step, 0, rl.Calls)
	for i := 0; i < rl.Calls; i++ {
		s := b.step(i, b.validRequest(i), 0, b.state(true), nil, "call paced at half the documented rate")
		s.Burst, s.Wait = true, gap
		s.Expect.Rule = rateRule(b.op)
		steps = append(steps, s)
	}
	steps[0].Wait = settle(rl)
	return []sequence{{Steps: steps}}
}

// buildRateRecover: a burst, then, past the window, a call that succeeds.
func buildRateRecover(b *builder) []sequence {
	rl := b.op.RateLimit
	steps := b.rateSteps(2*rl.Calls+1, 0, "burst")
	steps = append(steps, b.lastCall(0, settle(rl), "a call one window after the burst"))
	return []sequence{{Steps: steps}}
}

// buildRateAccounts: one account's burst, then at once another account's
// call, which succeeds.
func buildRateAccounts(b *builder) []sequence {
	steps := b.rateSteps(2*b.op.RateLimit.Calls+1, 0, "burst")
	steps = append(steps, b.lastCall(1, 0, "another account's call right after the burst"))
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
		r := b.validRequest(i)
		steps = append(steps, b.step(i, r, acct, b.state(false), ruleOf(b.op, specs.RuleQuota), "create towards the quota"))
	}
	return []sequence{{Steps: steps}}
}
