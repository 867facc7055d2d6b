package oracle

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Scopes of state rules.
const (
	ScopeAccount  = "account"
	ScopeInstance = "instance"
)

// State is what the oracle knows of a target: the names taken per scope
// (account or instance), the users created per account, the declared user
// quota per operation and the instances each account has. The zero value
// is not usable; NewState makes one. Its methods are safe for concurrent use.
type State struct {
	mu        sync.Mutex
	taken     map[string]bool // stateKey(op, param, scope key, value)
	created   map[string]int  // op ID + account
	quota     map[string]int  // op ID -> declared quota
	instances map[string]map[string]bool
	declared  map[string]bool // resource + account + value
	// every is what DeclaredState declared for each of its accounts,
	// shared by them; nil when nothing was.
	every *everyAccount
}

// everyAccount is what every one of the accounts Account(0) to
// Account(n-1) has: declared once, not once per account.
type everyAccount struct {
	n         int
	instances map[string]bool
	resources map[string]bool // resource + value
}

// covers reports whether account is one of Account(0) to Account(n-1).
func (e *everyAccount) covers(account string) bool {
	if e == nil {
		return false
	}
	digits, ok := strings.CutPrefix(account, "account-")
	i, err := strconv.Atoi(digits)
	return ok && err == nil && i >= 0 && i < e.n && strconv.Itoa(i) == digits
}

// hasInstances reports whether account has instances declared for every account.
func (e *everyAccount) hasInstances(account string) bool {
	return e != nil && len(e.instances) > 0 && e.covers(account)
}

// NewState returns the state of a target nothing is known of: no names
// taken, quotas unknown, no instances declared.
func NewState() *State {
	return &State{} // each map is made when first written (put)
}

// put sets m[k] to v, making m on first use: a state judged once and
// dropped (one a sequence) mostly writes none of its maps.
func put[V any](m *map[string]V, k string, v V) {
	if *m == nil {
		*m = map[string]V{}
	}
	(*m)[k] = v
}

// Resources a reference (specs.Reference) may name, as the specs call them.
const (
	// ResourceRAMUser is a RAM user, named by its UserId (Bastionhost's
	// SourceUserId with Source Ram).
	ResourceRAMUser = "ram-user"
	// ResourceDirectoryUser is a user of an AD or LDAP directory, named by
	// its DN (Bastionhost's SourceUserId with Source AD or LDAP).
	ResourceDirectoryUser = "directory-user"
	// ResourceRegion is a region ID (Bastionhost's RegionId: the
	// instance's region).
	ResourceRegion = "region"
	// ResourceOrganization is an organization of the account (eds-user's
	// Users.N.OrgId).
	ResourceOrganization = "organization"
)

// DeclareSourceUsers records that account has the RAM users whose UserIds
// are ids: a SourceUserId naming one of them (with Source Ram) must be
// accepted. Without a declaration every SourceUserId is an undeclared
// reference, which the target may accept or reject.
func (s *State) DeclareSourceUsers(account string, ids ...string) {
	s.DeclareResources(ResourceRAMUser, account, ids...)
}

// DeclareResources records that account has the resources of kind
// resource (a specs.Reference's Resource) named by ids.
func (s *State) DeclareResources(resource, account string, ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		put(&s.declared, string(resourceKey(nil, resource, account, id)), true)
	}
}

// references adds to v, for every sent value that must name a resource
// (specs.Reference) the account did not declare, the reference's
// rejections: the target may not have it. A declared value adds nothing:
// it must be judged like any valid value. A reference whose conditions
// surely do not hold does not apply.
func (s *State) references(op *specs.Operation, r wire.Request, account string, v *Verdict) {
	if s == nil {
		s = NewState()
	}
	for _, p := range judgedOf(op).referring {
		for _, ref := range p.References {
			n := s.undeclared(op, p, ref, r, account)
			if n == 0 {
				continue
			}
			if !slices.Contains(v.Undeclared, p.Path) {
				v.Undeclared = append(v.Undeclared, p.Path)
			}
			for _, out := range ref.Broken {
				v.addTimes(out, ref.Ambiguity, n) // once per undeclared value
			}
		}
	}
}

// undeclared counts the values of p in r that ref applies to (its
// conditions may hold) and that account did not declare.
func (s *State) undeclared(op *specs.Operation, p *specs.Param, ref *specs.Reference, r wire.Request, account string) int {
	n := 0
	for o := range occurrences(p.Path, r) {
		if o.Present && o.Value != "" && refConditions(op, ref, r, o.Element) != isFalse && !s.isDeclared(ref.Resource, account, o.Value) {
			n++
		}
	}
	return n
}

// isDeclared reports whether account declared the resource id.
func (s *State) isDeclared(resource, account, id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	var buf [96]byte // the keys, built without allocating for most
	if s.declared[string(resourceKey(buf[:0], resource, account, id))] {
		return true
	}
	return s.every.covers(account) && s.every.resources[string(resourceKey(buf[:0], resource, id))]
}

// resourceKey appends to buf the key of a declared resource: its parts
// joined by NUL bytes.
func resourceKey(buf []byte, parts ...string) []byte {
	for i, p := range parts {
		if i > 0 {
			buf = append(buf, 0)
		}
		buf = append(buf, p...)
	}
	return buf
}

// refConditions evaluates a reference's conditions like a conditional
// rule's (element fields read from element el).
func refConditions(op *specs.Operation, ref *specs.Reference, r wire.Request, el int) truth {
	all := isTrue
	for _, c := range ref.When {
		if t, _ := condition(op, c, r, el); t < all {
			all = t
		}
	}
	return all
}

// allParams lists every parameter of op at any depth that has a Path a
// request can carry: top-level parameters and the fields of list elements.
func allParams(op *specs.Operation) []*specs.Param {
	var out []*specs.Param
	for _, p := range op.Params {
		out = append(out, p)
		if p.Items != nil {
			out = append(out, p.Items.Fields...)
		}
	}
	return out
}

// DeclareQuota records that account-scoped quota rules of operation op
// (an ID such as "ram") allow n users per account; 0 means unknown.
func (s *State) DeclareQuota(op string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	put(&s.quota, op, n)
}

// DeclareInstance records that account has the instance id. Once an
// account has a declared instance, any other instance is unknown to it.
func (s *State) DeclareInstance(account, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := s.instances[account]
	put(&ids, id, true)
	put(&s.instances, account, ids)
}

// Record notes that the target accepted r from account and created every
// user in it: each element of a batch, or the one user of a single create.
func (s *State) Record(op *specs.Operation, r wire.Request, account string) {
	s.RecordElements(op, r, account, nil)
}

// RecordElements notes that the target created the users of r at the given
// element indexes (a partial batch); nil means every user of r.
func (s *State) RecordElements(op *specs.Operation, r wire.Request, account string, elements []int) {
	if elements != nil && len(elements) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	keep := func(el int) bool { return elements == nil || el == topLevel || slices.Contains(elements, el) }
	users := map[int]bool{}
	for _, rule := range op.Rules {
		if rule.Kind != specs.RuleUnique {
			continue
		}
		for o := range occurrences(rule.Param, r) {
			if o.Present && keep(o.Element) {
				put(&s.taken, valueKey(op, rule, r, o, account), true)
				users[o.Element] = true
			}
		}
	}
	n := len(users)
	if n == 0 {
		n = 1 // an operation without unique names still created one user
	}
	key := createdKey(op, account)
	put(&s.created, key, s.created[key]+n)
}

// createdKey is the key of s.created counting account's users in op.
func createdKey(op *specs.Operation, account string) string { return op.ID + "\x00" + account }

// Created returns how many users the target created for account in op.
func (s *State) Created(op *specs.Operation, account string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.created[createdKey(op, account)]
}

// valueKey is the identity of a value within the scope of a unique rule.
func valueKey(op *specs.Operation, rule *specs.Rule, r wire.Request, o occurrence, account string) string {
	return op.ID + "\x00" + rule.Param + "\x00" + scopeKey(op, rule.Scope, r, account) + "\x00" + o.Value
}

// scopeKey names the scope a state rule counts in: the account, or the
// instance the request names (the parameter of the operation's exists rule).
func scopeKey(op *specs.Operation, scope string, r wire.Request, account string) string {
	if scope == ScopeInstance {
		for _, rule := range op.Rules {
			if rule.Kind == specs.RuleExists {
				return "instance:" + r.Params[rule.Param]
			}
		}
	}
	return "account:" + account
}

// evaluate judges a state rule against the state; nil State means nothing
// is known (as NewState); it appends the hits of the judged rule jr to dst.
func (s *State) evaluate(dst []Hit, op *specs.Operation, jr *judgedRule, r wire.Request, account string) []Hit {
	if s == nil {
		s = NewState()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch jr.rule.Kind {
	case specs.RuleUnique:
		return s.unique(dst, op, jr, r, account)
	case specs.RuleQuota:
		return append(dst, one(s.quotaLeft(op, account)))
	case specs.RuleExists:
		return append(dst, one(s.exists(jr.rule, r, account)))
	}
	return append(dst, one(Satisfied)) // rate limits are judged over time, not per request
}

// unique: each sent value is not yet taken in the rule's scope.
func (s *State) unique(dst []Hit, op *specs.Operation, jr *judgedRule, r wire.Request, account string) []Hit {
	return appendHits(dst, jr, r, func(o occurrence) Eval {
		return evalBool(!(o.Present && o.Value != "" && len(s.taken) > 0 && s.taken[valueKey(op, jr.rule, r, o, account)]))
	})
}

// quotaLeft: fewer users created than the declared quota; an undeclared
// quota (or pre-existing users the suite cannot see) makes it ambiguous.
func (s *State) quotaLeft(op *specs.Operation, account string) Eval {
	q := s.quota[op.ID]
	if q <= 0 {
		return Ambiguous
	}
	return evalBool(s.created[createdKey(op, account)] < q)
}

// exists: the named instance is one the account declared; with none
// declared the target's instances are unknown.
func (s *State) exists(rule *specs.Rule, r wire.Request, account string) Eval {
	v, ok := r.Params[rule.Param]
	known, every := s.instances[account], s.every.hasInstances(account)
	switch {
	case !ok || v == "":
		return Satisfied // the required rule judges absence
	case len(known) == 0 && !every:
		return Ambiguous
	}
	return evalBool(known[v] || every && s.every.instances[v])
}

// stateful reports whether a rule kind depends on the target's state.
func stateful(k specs.RuleKind) bool {
	switch k {
	case specs.RuleUnique, specs.RuleQuota, specs.RuleExists, specs.RuleRateLimit:
		return true
	}
	return false
}

// Account is the state's name for the i-th account of a target.
func Account(i int) string { return "account-" + strconv.Itoa(i) }

// DeclaredState is a fresh state holding a target's declared existing
// values (its instances) and resources for each of its accounts. The declared quota is
// left out: how many users an account holds depends on which creates went
// first, so a quota error stays allowed everywhere but where a check
// counts the creates itself.
func DeclaredState(d specs.Declarations, accounts int) *State {
	st := NewState()
	if accounts <= 0 {
		return st
	}
	every := &everyAccount{n: accounts}
	for _, v := range d.Values[specs.RuleExists] {
		put(&every.instances, v, true)
	}
	for kind, ids := range d.Resources {
		for _, id := range ids {
			put(&every.resources, string(resourceKey(nil, kind, id)), true)
		}
	}
	st.every = every
	return st
}

// ReferenceApplies reports whether a reference may apply to r's top-level
// value (its conditions do not surely fail): a generator fitting r to the
// target then puts a declared resource there.
func ReferenceApplies(op *specs.Operation, ref *specs.Reference, r wire.Request) bool {
	return refConditions(op, ref, r, topLevel) != isFalse
}
