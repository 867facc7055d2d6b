package fuzz

import (
	"time"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// buildBatch: mixed batches of the flattened list. Even cases create a
// batch, then send one mixing new elements with an existing one; odd cases
// send a batch that repeats one of its own elements (an ambiguity the
// oracle knows).
func buildBatch(b *builder, emit func(Sequence) bool) {
	list := flatParam(b.op)
	if list == nil {
		return
	}
	for i := 0; i < b.stateful(); i++ {
		a := b.account(i)
		fresh := b.valid(i)
		if i%2 == 1 {
			elems := fresh.Lists[list.Name]
			fresh.Lists[list.Name] = capList(list, append(elems, elems[0]))
			if !emit(one(b.step(i, fresh, a, nil, "a batch repeating one of its elements"))) {
				return
			}
			continue
		}
		before := b.valid(i)
		first := b.step(2*i, before, a, nil, "a batch of new elements")
		first.Records = true
		mixed := fresh.Clone()
		old := before.Clone().Lists[list.Name][0]
		mixed.Lists[list.Name] = capList(list, append([]map[string]string{old}, fresh.Lists[list.Name]...))
		then := b.step(2*i+1, mixed, a, nil, "a batch mixing an existing element with new ones")
		if !emit(Sequence{Steps: []Step{first, then}}) {
			return
		}
	}
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
func buildConditional(b *builder) []Sequence {
	var steps []Step
	for _, rule := range b.op.Rules {
		if rule.Kind != specs.RuleConditionalRequired {
			continue
		}
		for v := 0; v < conditionalVariants; v++ {
			c, ok := b.invalidFor(rule, v)
			if !ok {
				continue
			}
			without := b.prepareCase(c)
			steps = append(steps, b.step(len(steps), without, b.account(len(steps)), rule,
				"condition of "+rule.ID+" holds, "+rule.Param+" absent"))
			if with, ok := b.withParam(rule.Param, without, v); ok {
				s := b.step(len(steps), with, b.account(len(steps)), rule,
					"condition of "+rule.ID+" holds, "+rule.Param+" sent")
				steps = append(steps, s)
			}
		}
	}
	seqs := make([]Sequence, len(steps))
	for i, st := range steps {
		seqs[i] = one(st)
	}
	return seqs
}

// invalidFor is the v-th case breaking rule alone; false when the
// generators cannot build one.
func (b *builder) invalidFor(rule *specs.Rule, v int) (Case, bool) {
	if !Breakable(rule) {
		return Case{}, false
	}
	c, ok := example(InvalidFor(b.op, rule), b.draw("invalid/"+rule.ID, v))
	return c, ok && usable(c)
}

// searchValid bounds the valid requests searched for a parameter's value.
const searchValid = 200

// withParam returns r with a valid value at path, taken from the first
// valid request that has one.
func (b *builder) withParam(path string, r wire.Request, variant int) (wire.Request, bool) {
	top, field := specs.SplitPath(path)
	for k := 0; k < searchValid; k++ {
		v, _ := example(Valid(b.op), b.draw("with-param", variant*searchValid+k))
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
// pacing), each allowed to be accepted or throttled.
func (b *builder) rateSteps(n, acct int) []Step {
	steps := make([]Step, 0, n)
	for i := 0; i < n; i++ {
		s := b.step(i, b.valid(i), acct, nil, "burst call")
		s.Burst, s.Together, s.Role = true, true, RoleBurst
		s.Exercises = b.op.RateLimitRule()
		steps = append(steps, s)
	}
	return steps
}

// rateCall is a valid call from acct, after wait, that must be accepted.
func (b *builder) rateCall(n, acct int, wait time.Duration, role, label string) Step {
	s := b.step(n, b.valid(n), acct, nil, label)
	s.Burst, s.Wait, s.Role = true, wait, role
	s.Exercises = b.op.RateLimitRule()
	return s
}

// buildRatePaced: one call more than the limit, just under the documented
// rate (SafeInterval: over a window), from the paced account, none of
// which may be throttled; on a shared account the first waits for earlier
// traffic to leave the window.
func buildRatePaced(b *builder) []Sequence {
	rl := b.op.RateLimit
	if rl == nil {
		return nil
	}
	gap := rl.SafeInterval()
	paced, _, _ := b.rateAccounts()
	steps := make([]Step, 0, rl.Calls+1)
	for i := 0; i <= rl.Calls; i++ {
		steps = append(steps, b.rateCall(i, paced, gap, "", "call paced just under the documented rate"))
	}
	if !b.Reserved() {
		steps[0].Wait = settle(rl)
	}
	return []Sequence{{Steps: steps}}
}

// buildRateBurst: three times the limit as fast as possible from one
// account (rate-limit-enforced), at once a call from another account
// (rate-limit-per-account), then past the window a call from the first
// (rate-limit-recovers). On shared accounts it follows the paced plan,
// whose calls may still count in the window: that only lowers what the
// burst may get accepted.
func buildRateBurst(b *builder) []Sequence {
	rl := b.op.RateLimit
	if rl == nil {
		return nil
	}
	_, burst, other := b.rateAccounts()
	steps := b.rateSteps(3*rl.Calls, burst)
	if b.cfg.Accounts > 1 {
		steps = append(steps, b.rateCall(len(steps), other, 0, RoleOtherAccount, "another account's call right after the burst"))
	}
	steps = append(steps, b.rateCall(len(steps), burst, settle(rl), RoleAfterWindow, "a call one window after the burst"))
	return []Sequence{{Steps: steps}}
}

// buildQuota: the declared quota plus one creates on the last account;
// the account may hold users already, so each may be accepted or refused
// with the quota error (judgeQuota checks the order and the count).
func buildQuota(b *builder) []Sequence {
	quota := b.cfg.Declared.Limits[specs.RuleQuota]
	if quota <= 0 || b.op.RuleOfKind(specs.RuleQuota) == nil {
		return nil
	}
	acct := b.cfg.Accounts - 1
	steps := make([]Step, 0, quota+1)
	for i := 0; i <= quota; i++ {
		s := b.step(i, b.valid(i), acct, nil, "create towards the quota")
		s.Exercises = b.op.RuleOfKind(specs.RuleQuota)
		steps = append(steps, s)
	}
	return []Sequence{{Steps: steps}}
}
