package suites

import (
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// planID names a case plan: a deterministic list of sequences derived from
// (seed, operation, plan) only.
type planID string

// Case plans, in the order they run.
const (
	planValid       planID = "valid"
	planInvalid     planID = "invalid"
	planBoundary    planID = "boundary"
	planChaos       planID = "chaos"
	planDuplicate   planID = "duplicate"
	planRetry       planID = "retry"
	planBatch       planID = "batch"
	planConditional planID = "conditional"
	planSignature   planID = "signature"
	planRatePaced   planID = "rate-paced"
	planRateBurst   planID = "rate-burst"
	planQuota       planID = "quota"
)

// planner builds one plan's sequences.
type planner struct {
	id planID
	// exclusive plans run alone, after the ordinary ones, one sequence at
	// a time: bursts must not throttle ordinary traffic, and the quota
	// fills an account.
	exclusive bool
	build     func(b *builder) []sequence
}

// planners lists every plan in run order.
var planners = []planner{
	{id: planValid, build: buildValid},
	{id: planInvalid, build: buildInvalid},
	{id: planBoundary, build: buildBoundary},
	{id: planChaos, build: buildChaos},
	{id: planDuplicate, build: buildDuplicate},
	{id: planRetry, build: buildRetry},
	{id: planBatch, build: buildBatch},
	{id: planConditional, build: buildConditional},
	{id: planSignature, build: buildSignature},
	{id: planRatePaced, exclusive: true, build: buildRatePaced},
	{id: planRateBurst, exclusive: true, build: buildRateBurst},
	{id: planQuota, exclusive: true, build: buildQuota},
}

// builder holds what a plan needs to build its sequences.
type builder struct {
	op     *specs.Operation
	model  *specs.Model
	target *runner.Target
	opts   *Options
	src    source
	// names makes user names unique to the plan (and the run's nonce).
	names *fuzz.Names
	plan  planID
	// seed is derived from (run seed, operation, plan).
	seed int64
	// offset is the plan's place in the run order.
	offset int
}

// deriveSeed mixes the run seed with the operation and plan names.
func deriveSeed(seed int64, op string, plan planID) int64 {
	h := fnv.New64a()
	h.Write([]byte(op + "\x00" + string(plan)))
	return seed ^ int64(h.Sum64()>>1)
}

// account is the oracle's name for the i-th account of the target.
func account(i int) string { return "account-" + strconv.Itoa(i) }

// state is a fresh oracle state with the instance the target declares (for
// every account). The user quota is left unknown to it: how many users an
// account holds depends on which creates went first, so a quota error is
// allowed everywhere but the quota check, which counts them itself.
func (b *builder) state() *oracle.State {
	st := oracle.NewState()
	if b.target.BastionhostInstance != "" {
		for i := range b.target.Accounts {
			st.DeclareInstance(account(i), b.target.BastionhostInstance)
		}
	}
	return st
}

// step makes a step sending r from account acct, judged by the oracle
// against st; rule is the rule the case breaks (nil for a valid request).
// The n-th step of a plan alternates the run's signature versions.
func (b *builder) step(n int, r wire.Request, acct int, st *oracle.State, rule *specs.Rule, label string) step {
	v := oracle.Judge(b.op, r, st, account(acct))
	e := expectation{Rule: rule, Verdict: v, Valid: rule == nil && v.Accepts() && len(v.Broken) == 0}
	if e.Rule == nil && len(v.Broken) > 0 {
		e.Rule = v.Broken[0]
	}
	e.KeyField, e.Keys = batchKeys(b.op, r)
	return step{
		Request:   r,
		Account:   acct,
		Signature: b.opts.Signatures[n%len(b.opts.Signatures)],
		Expect:    e,
		Label:     label,
	}
}

// single wraps each step in its own sequence.
func single(steps ...step) []sequence {
	out := make([]sequence, len(steps))
	for i, st := range steps {
		out[i] = sequence{Steps: []step{st}}
	}
	return out
}

// format alternates the requested format over the documented ones: every
// third request asks for XML when the operation documents it.
func (b *builder) format(i int, r wire.Request) wire.Request {
	if i%3 == 2 && b.documents(formatXML) {
		r.Format = formatXML
	}
	return r
}

// documents reports whether the operation documents a response format.
func (b *builder) documents(format string) bool {
	if b.op.Response == nil {
		return false
	}
	for _, f := range b.op.Response.Formats {
		if strings.EqualFold(f, format) {
			return true
		}
	}
	return false
}

// accounts is how many accounts the target has.
func (b *builder) accounts() int { return len(b.target.Accounts) }

// account is the account the n-th sequence of the plan starts from: the
// accounts in turn, each plan starting at its own offset so that plans
// running side by side spread over the accounts (a rate-limited
// operation's traffic is paced per account).
func (b *builder) account(n int) int { return (n + b.offset) % b.accounts() }

// validRequest is the i-th valid request, prepared.
func (b *builder) validRequest(i int) wire.Request {
	return b.prepare(b.src.valid(b.op, b.seed, i))
}

// prepare makes a generated request fit the target: the declared instance
// in the parameter of each exists rule, and names unique to the run in the
// parameters of unique rules, except in protect (the parameters the case
// sets on purpose, left as generated).
func (b *builder) prepare(r wire.Request, protect ...string) wire.Request {
	r = r.Clone()
	kept := map[string]bool{}
	for _, p := range protect {
		kept[p] = true
	}
	for _, rule := range b.op.Rules {
		if rule.Kind == specs.RuleExists && !kept[rule.Param] && b.target.BastionhostInstance != "" {
			if _, ok := r.Params[rule.Param]; ok {
				r.Params[rule.Param] = b.target.BastionhostInstance
			}
		}
	}
	if !b.keepsNames(protect) {
		r = b.names.Apply(b.op, r)
	}
	return r
}

// keepsNames reports whether protect holds a parameter of a unique or
// batch-unique rule: then prepare leaves every name as generated.
func (b *builder) keepsNames(protect []string) bool {
	for _, rule := range b.op.Rules {
		if (rule.Kind == specs.RuleUnique || rule.Kind == specs.RuleBatchUnique) && slices.Contains(protect, rule.Param) {
			return true
		}
	}
	return false
}

// prepareCase prepares a generated case. A case that sets a unique field
// in some elements of a list only (a boundary value in the first user)
// keeps those values as generated; the other elements are copies of the
// valid request the case came from and get run-unique names, so that cases
// sent side by side do not take each other's names. A case breaking a rule
// keeps its names (a batch duplicate stays a duplicate).
func (b *builder) prepareCase(g generated) wire.Request {
	r := b.prepare(g.Request, g.Protect...)
	if g.Rule != nil || !b.keepsNames(g.Protect) {
		return r
	}
	renamed := b.names.Apply(b.op, r)
	for _, path := range g.Protect {
		top, field := specs.SplitPath(path)
		if field == "" {
			if v, ok := r.Params[top]; ok {
				renamed.Params[top] = v
			}
			continue
		}
		set, some := g.Elements[path]
		for i, el := range r.Lists[top] {
			if v, ok := el[field]; ok && (!some || slices.Contains(set, i)) {
				renamed.Lists[top][i][field] = v
			}
		}
	}
	return renamed
}

// batchKeys names the element field that identifies a batch element (the
// unique rule's field of the flattened list) and the values r gives it.
func batchKeys(op *specs.Operation, r wire.Request) (field string, keys []string) {
	for _, rule := range op.Rules {
		if rule.Kind != specs.RuleUnique {
			continue
		}
		top, f := specs.SplitPath(rule.Param)
		if f == "" {
			continue
		}
		for _, el := range r.Lists[top] {
			keys = append(keys, el[f])
		}
		return f, keys
	}
	return "", nil
}

// stateKinds are the rule kinds a single generated request cannot break
// alone (the stateful plans exercise them).
func stateKind(k specs.RuleKind) bool {
	switch k {
	case specs.RuleUnique, specs.RuleQuota, specs.RuleRateLimit:
		return true
	}
	return false
}
