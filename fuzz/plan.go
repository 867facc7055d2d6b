package fuzz

import (
	"iter"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// PlanID names a case plan: the deterministic list of sequences one kind of
// check needs, derived from (run seed, operation, plan) only.
type PlanID string

// Case plans, in the order they run.
const (
	PlanValid       PlanID = "valid"
	PlanInvalid     PlanID = "invalid"
	PlanBoundary    PlanID = "boundary"
	PlanChaos       PlanID = "chaos"
	PlanDuplicate   PlanID = "duplicate"
	PlanRetry       PlanID = "retry"
	PlanBatch       PlanID = "batch"
	PlanConditional PlanID = "conditional"
	PlanSignature   PlanID = "signature"
	PlanRatePaced   PlanID = "rate-paced"
	PlanRateBurst   PlanID = "rate-burst"
	PlanQuota       PlanID = "quota"
)

// Roles tell apart the steps of the rate-limit burst plan that different
// checks judge.
const (
	RoleBurst        = "burst"
	RoleOtherAccount = "other-account"
	RoleAfterWindow  = "after-window"
)

// planner builds one plan's sequences, handing each to emit as it is
// drawn, and stops when emit returns false.
type planner struct {
	id PlanID
	// exclusive plans run apart from the ordinary ones, one sequence at
	// a time: bursts must not throttle ordinary traffic, and the quota
	// fills an account.
	exclusive bool
	build     func(b *builder, emit func(Sequence) bool)
}

// planners lists every plan in run order.
var planners = []planner{
	{id: PlanValid, build: buildValid},
	{id: PlanInvalid, build: buildInvalid},
	{id: PlanBoundary, build: buildBoundary},
	{id: PlanChaos, build: buildChaos},
	{id: PlanDuplicate, build: buildDuplicate},
	{id: PlanRetry, build: buildRetry},
	{id: PlanBatch, build: buildBatch},
	{id: PlanConditional, build: emitting(buildConditional)},
	{id: PlanSignature, build: emitting(buildSignature)},
	{id: PlanRatePaced, exclusive: true, build: emitting(buildRatePaced)},
	{id: PlanRateBurst, exclusive: true, build: emitting(buildRateBurst)},
	{id: PlanQuota, exclusive: true, build: emitting(buildQuota)},
}

// emitting turns a plan built whole (a few sequences) into one emitted.
func emitting(build func(b *builder) []Sequence) func(*builder, func(Sequence) bool) {
	return func(b *builder, emit func(Sequence) bool) {
		for _, seq := range build(b) {
			if !emit(seq) {
				return
			}
		}
	}
}

// Plans lists every plan ID in run order.
func Plans() []PlanID {
	ids := make([]PlanID, len(planners))
	for i, p := range planners {
		ids[i] = p.id
	}
	return ids
}

// Exclusive reports whether a plan's sequences must run alone, one at a
// time, after the ordinary traffic of their operation.
func (id PlanID) Exclusive() bool {
	for _, p := range planners {
		if p.id == id {
			return p.exclusive
		}
	}
	return false
}

// Config is what a run's plans are built from. The zero value of each
// field is noted.
type Config struct {
	// Seed is the run's seed.
	Seed int64
	// Examples is the number of generated cases per plan.
	Examples int
	// Accounts is how many accounts the target has (at least one).
	Accounts int
	// Signatures are the signature versions steps alternate between;
	// empty means V3.
	Signatures []wire.Signature
	// Nonce is mixed into generated unique names so that a rerun against a
	// long-lived target does not collide with an earlier run's; "" means
	// names depend on the seed alone.
	Nonce string
	// Declared are the target's declarations: the existing values placed
	// in the parameters of exists rules, the quota the quota plan fills.
	Declared specs.Declarations
	// Reserve gives the exclusive plans (rate limit, quota) accounts of
	// their own when the target has enough (Planner.Reserved), so that
	// they run beside the ordinary traffic; false shares the accounts, and
	// the exclusive plans must then run alone.
	Reserve bool
}

// Step is one request of a sequence and how it is sent.
type Step struct {
	Request wire.Request
	// Account indexes the target's accounts.
	Account int
	// Signature signs it; Tamper breaks the signing on purpose.
	Signature wire.Signature
	Tamper    wire.Tamper
	// Burst sends it without pacing (the rate-limit checks); Together
	// sends it at the same time as the Together steps right after it (a
	// burst that must land within one window, however slow the target).
	Burst, Together bool
	// Wait pauses before sending it.
	Wait time.Duration
	// Label names the case in words ("valid request", "breaks ram.UserName.max-length").
	Label string
	// Role tells apart the steps of a sequence that different checks judge.
	Role string
	// Breaks is the rule the request was built to break; nil for a
	// request built to keep every rule.
	Breaks *specs.Rule
	// Exercises is the rule the step is about when it is not the one
	// broken (the uniqueness rule on a duplicate create, the rate limit on
	// a burst); nil means Breaks, or the first rule the judge finds broken.
	Exercises *specs.Rule
	// Records says that the later steps of the sequence are judged as if
	// the target created what this step's request creates.
	Records bool
}

// Sequence is an ordered list of steps sent one after the other: one case,
// or a stateful scenario (create X, then create X again).
type Sequence struct {
	Steps []Step
}

// Planner is the stateful generator of one operation's case plans for a
// run: every plan's sequences, the candidates a finding is shrunk over,
// and the preparation that fits a generated request to the target
// (declared values, run-unique names). It is deterministic in its Config.
type Planner struct {
	model *specs.Model
	op    *specs.Operation
	cfg   Config

	// mu guards the caches: the boundary cases by seed (costly to draw,
	// drawn once for counting and sending) and the planned counts.
	mu       sync.Mutex
	boundary map[int64][]Case
	planned  map[PlanID]int
}

// NewPlanner returns the planner of op's cases under cfg.
func NewPlanner(model *specs.Model, op *specs.Operation, cfg Config) *Planner {
	if cfg.Accounts < 1 {
		cfg.Accounts = 1
	}
	if len(cfg.Signatures) == 0 {
		cfg.Signatures = []wire.Signature{wire.SignV3}
	}
	return &Planner{model: model, op: op, cfg: cfg}
}

// Sequences builds plan id's sequences; nil for an unknown plan or one
// the operation has nothing for (no rate limit, no uniqueness rule, no
// declared quota).
func (p *Planner) Sequences(id PlanID) []Sequence {
	return slices.Collect(p.Stream(id))
}

// Planned is how many requests plan id sends at most; the plans that grow
// with Config.Examples are counted without drawing them, the boundary plan
// from its cases (drawn once for counting and sending), the others by
// drawing them once.
func (p *Planner) Planned(id PlanID) int {
	p.mu.Lock()
	n, ok := p.planned[id]
	p.mu.Unlock()
	if ok {
		return n
	}
	n = p.count(id)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.planned == nil {
		p.planned = map[PlanID]int{}
	}
	p.planned[id] = n
	return n
}

// boundaryCases are PackedBoundary(op, seed), drawn once per planner.
func (p *Planner) boundaryCases(seed int64) []Case {
	p.mu.Lock()
	defer p.mu.Unlock()
	if cs, ok := p.boundary[seed]; ok {
		return cs
	}
	if p.boundary == nil {
		p.boundary = map[int64][]Case{}
	}
	cs := PackedBoundary(p.op, seed)
	p.boundary[seed] = cs
	return cs
}

// count is Planned, uncached.
func (p *Planner) count(id PlanID) int {
	n, stateful := p.cfg.Examples, statefulCount(p.cfg.Examples)
	unique := p.op.RuleOfKind(specs.RuleUnique) != nil
	switch {
	case id == PlanValid || id == PlanChaos:
		return n
	case id == PlanInvalid:
		return invalidCount(p.op, n)
	case (id == PlanDuplicate || id == PlanRetry) && !unique:
		return 0
	case id == PlanDuplicate:
		return 4 * stateful
	case id == PlanRetry:
		return 2 * stateful
	case id == PlanBatch && flatParam(p.op) == nil:
		return 0
	case id == PlanBatch:
		return 2 * stateful
	case id == PlanBoundary: // a step per case (buildBoundary), none prepared to count them
		return len(p.boundaryCases(p.streamSeed(string(id))))
	}
	k := 0
	for seq := range p.Stream(id) {
		k += len(seq.Steps)
	}
	return k
}

// Stream draws plan id's sequences one at a time, as they are consumed:
// the same sequences as Sequences, in the same order, without holding
// them all, whatever Config.Examples.
func (p *Planner) Stream(id PlanID) iter.Seq[Sequence] {
	return func(yield func(Sequence) bool) {
		for i, pl := range planners {
			if pl.id == id {
				pl.build(p.builder(string(id), i), yield)
				return
			}
		}
	}
}

// builder prepares the cases of one stream (a plan, or a finding's
// shrinking): its seed and its unique names derive from (run seed,
// operation, stream) and the run's nonce; offset is the plan's place in
// the run order.
func (p *Planner) builder(stream string, offset int) *builder {
	return &builder{
		Planner: p, seed: p.streamSeed(stream), offset: offset,
		names: NewNames(p.streamSeed(stream + "/names/" + p.cfg.Nonce)),
	}
}

// streamSeed is the seed of one of the operation's streams.
func (p *Planner) streamSeed(stream string) int64 {
	return DrawSeed(p.cfg.Seed, p.op.ID+"/"+stream, 0)
}

// builder builds the sequences of one stream.
type builder struct {
	*Planner
	names *Names
	// references counts the declared resources handed out.
	references atomic.Int64
	// seed is the stream's; draw i of it is DrawSeed(seed, kind, i).
	seed int64
	// offset is the plan's place in the run order.
	offset int
}

// nextReference is the index of the next declared resource to hand out.
func (b *builder) nextReference() int { return int(b.references.Add(1) - 1) }

// draw is the seed of the i-th draw of one kind of the stream.
func (b *builder) draw(kind string, i int) int64 { return DrawSeed(b.seed, kind, i) }

// step makes a step sending r from account acct; breaks is the rule the
// case breaks (nil for a valid request). The n-th step of a plan
// alternates the run's signature versions.
func (b *builder) step(n int, r wire.Request, acct int, breaks *specs.Rule, label string) Step {
	return Step{
		Request:   r,
		Account:   acct,
		Signature: b.cfg.Signatures[n%len(b.cfg.Signatures)],
		Breaks:    breaks,
		Label:     label,
	}
}

// one wraps a step in a sequence of its own.
func one(st Step) Sequence { return Sequence{Steps: []Step{st}} }

// formatXML is the response format every third request asks for when
// the operation documents it.
const formatXML = "XML"

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

// account is the account the n-th sequence of the plan starts from: the
// accounts in turn, each plan starting at its own offset so that plans
// running side by side spread over the accounts (a rate-limited
// operation's traffic is paced per account).
func (b *builder) account(n int) int { return b.Account(n + b.offset) }

// Accounts set aside when the exclusive plans have accounts of their own:
// the paced, burst and other-account ones first, the quota's last.
const (
	firstOrdinary = 3
	reservedCount = firstOrdinary + 1
)

// minReserved is how many accounts a target needs for the exclusive plans
// to get accounts of their own (Config.Reserve); minReservedPaced is that
// for an operation with a rate limit, whose ordinary traffic is paced per
// account: setting four accounts aside from fewer than twelve slows it
// down by more than its rate-limit windows take when they run after it
// (with five accounts, Bastionhost's ordinary traffic went over one
// account: 48 s instead of 14 s).
const (
	minReserved      = 5
	minReservedPaced = 12
)

// Reserved reports whether the exclusive plans have accounts of their own,
// so that they can run beside the ordinary traffic: the paced calls on the
// first account, the burst on the second with the third as the other
// account, the quota on the last; ordinary traffic on the rest.
func (p *Planner) Reserved() bool {
	need := minReserved
	if p.op.RateLimit != nil {
		need = minReservedPaced
	}
	return p.cfg.Reserve && p.cfg.Accounts >= need
}

// OrdinaryAccounts is how many accounts the ordinary sequences spread over.
func (p *Planner) OrdinaryAccounts() int {
	if p.Reserved() {
		return p.cfg.Accounts - reservedCount
	}
	return p.cfg.Accounts
}

// Account is the account the n-th ordinary sequence starts from: the
// accounts in turn, the reserved ones aside.
func (p *Planner) Account(n int) int {
	if !p.Reserved() {
		return n % p.cfg.Accounts
	}
	return firstOrdinary + n%p.OrdinaryAccounts()
}

// rateAccounts are the accounts of the rate-limit plans: the paced calls,
// the burst, and the other account's call right after it.
func (p *Planner) rateAccounts() (paced, burst, other int) {
	if p.Reserved() {
		return 0, 1, 2
	}
	return 0, 0, 1
}

// valid is the i-th valid request of the stream, prepared (in place: the
// request is drawn for this call alone).
func (b *builder) valid(i int) wire.Request {
	r, _ := example(Valid(b.op), b.draw("valid", i))
	return b.prepareOwn(r)
}

// keepsEveryRule reports whether the oracle finds r valid from acct on a
// target holding only its declarations.
func (b *builder) keepsEveryRule(r wire.Request, acct int) bool {
	v := oracle.Judge(b.op, r, oracle.DeclaredState(b.cfg.Declared, b.cfg.Accounts), oracle.Account(acct))
	return v.Accepts() && len(v.Broken) == 0
}

// stateKind reports whether a single generated request cannot break a
// rule of kind k alone (the stateful plans exercise it).
func stateKind(k specs.RuleKind) bool {
	switch k {
	case specs.RuleUnique, specs.RuleQuota, specs.RuleRateLimit:
		return true
	}
	return false
}

// Probe is the i-th valid request sent before any case to learn whether
// the target speaks the protocol at all: fitted to the target, with names
// of its own stream, from the accounts in turn, signed with the first
// signature version of the run.
func (p *Planner) Probe(i int) Step {
	b := p.builder("preflight", 0)
	return b.step(0, b.valid(i), p.Account(i), nil, "preflight: a valid request")
}
