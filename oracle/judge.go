package oracle

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Size policy for inputs the docs do not bound: beyond these a target may
// refuse with any 4xx in a well-formed envelope (the docs do not cover it).
const (
	// UndocumentedLength is the longest value, in characters, of a
	// parameter without a documented maximum that the docs are taken to allow.
	UndocumentedLength = 1024
	// UndocumentedBatch is the longest list without a documented maximum
	// that the docs are taken to allow.
	UndocumentedBatch = 100
)

// AnyError is the outcome "any 4xx with a well-formed error envelope".
var AnyError = specs.Outcome{}

// Verdict is what the docs allow a target to answer to one request.
type Verdict struct {
	// Broken are the rules the request breaks under every reading;
	// Ambiguous those it breaks under some reading only.
	Broken, Ambiguous []*specs.Rule
	// Outcomes are the allowed answers at the HTTP level. An Accept or a
	// Batch outcome allows HTTP 200 (then Elements says what each element
	// of a batch may get); an error outcome allows its (Status, Code),
	// Status 0 meaning any 4xx and Code "" any code.
	Outcomes []specs.Outcome
	// Why names, per allowed outcome, the IDs of the rules that allow it
	// (none for plain acceptance or undocumented input).
	Why map[specs.Outcome][]string
	// Undocumented marks input the docs do not cover (unknown or repeated
	// parameters, broken flattening, control characters, invalid UTF-8,
	// unbounded sizes beyond the size policy): any 4xx is then allowed
	// unless a documented rule is surely broken.
	Undocumented bool
	// Elements are the per-element expectations of a batch operation, in
	// list order, when the target answers HTTP 200.
	Elements []ElementVerdict
	// Undeclared names the parameters whose value must name a real
	// resource of the target (specs.Reference) that the target did not
	// declare (State.DeclareSourceUsers): the target may have it or not,
	// so the reference's rejection is allowed besides the rest, and Why
	// names the reference's ambiguity for it.
	Undeclared []string
}

// ElementVerdict is what one element of a batch may get inside a 200
// answer: created (an Accept outcome) or listed among the failures (a
// Batch outcome, Code "" meaning any ErrorCode).
type ElementVerdict struct {
	Index             int
	Broken, Ambiguous []*specs.Rule
	Outcomes          []specs.Outcome
}

// Judge returns what the docs allow a target to answer to request r from
// account, given the target's state st (nil: nothing known). It never
// changes st; call State.Record when the target accepts.
func Judge(op *specs.Operation, r wire.Request, st *State, account string) Verdict {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	top, elems := evaluateRules(op, r, st, account, sc)
	v := verdictOf(op, top, Undocumented(op, r), emptyOutcomes(op, r))
	st.references(op, r, account, &v)
	for _, a := range op.Ambiguities {
		for _, o := range a.Answers {
			v.add(o, a.ID) // e.g. an account full of users: the seed states no limit
		}
	}
	if elems.n > 0 {
		v.Elements = make([]ElementVerdict, 0, elems.n)
	}
	for i := range elems.n {
		v.Elements = append(v.Elements, elementVerdict(op, i, elems.row(i)))
	}
	return v
}

// scratch is what a judgement uses and drops, kept for the next one:
// the hits of one rule at a time and the cells of the elements' table.
type scratch struct {
	hits  []Hit
	cells []uint8
}

// scratchPool holds the scratch of judgements done.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// evaluateRules evaluates every rule of op on r: top is the worst
// evaluation of each rule (by rule index, Satisfied when not hit), elems
// each element's of the flattened list, in sc's cells.
func evaluateRules(op *specs.Operation, r wire.Request, st *State, account string, sc *scratch) (top []Eval, elems evalTable) {
	top = make([]Eval, len(op.Rules))
	elems = newEvalTable(listLen(op, r), len(op.Rules), sc)
	jo := judgedOf(op)
	hits := sc.hits[:0] // each rule's, in turn
	defer func() { sc.hits = hits }()
	for k, rule := range op.Rules {
		jr := &jo.rules[k]
		if stateful(rule.Kind) {
			hits = st.evaluate(hits[:0], op, jr, r, account)
		} else {
			hits = appendEvaluations(hits[:0], op, jr, r)
		}
		for _, h := range hits {
			top[k] = worse(top[k], h.Eval)
			if h.Element >= 0 && h.Element < elems.n {
				elems.worsen(h.Element, k, h.Eval)
			}
		}
	}
	return top, elems
}

// evalTable holds, for each of n list elements, its evaluation of each
// rule (by rule index, Satisfied when not hit), a byte a cell, in one
// allocation.
type evalTable struct {
	n, rules int
	cells    []uint8
}

// newEvalTable is a table of n elements' evaluations of rules, all
// Satisfied, in sc's cells.
func newEvalTable(n, rules int, sc *scratch) evalTable {
	if cap(sc.cells) < n*rules {
		sc.cells = make([]uint8, n*rules)
	}
	cells := sc.cells[:n*rules]
	clear(cells)
	return evalTable{n: n, rules: rules, cells: cells}
}

// row is element i's evaluations, by rule index.
func (t evalTable) row(i int) []uint8 { return t.cells[i*t.rules : (i+1)*t.rules] }

// worsen makes element i's evaluation of rule k at least e.
func (t evalTable) worsen(i, k int, e Eval) {
	c := &t.cells[i*t.rules+k]
	*c = uint8(worse(Eval(*c), e))
}

// JudgeTraffic is Judge for a request decoded from traffic the tool did
// not generate: what wire.Decode could not place as the spec describes
// (problems: a parameter in the wrong place, broken percent-encoding, too
// many pairs) makes the request undocumented, like Raw pairs do.
func JudgeTraffic(op *specs.Operation, r wire.Request, problems []wire.Problem, st *State, account string) Verdict {
	v := Judge(op, r, st, account)
	if len(problems) > 0 && !v.Undocumented {
		v.Undocumented = true
		if len(v.Broken) == 0 {
			v.add(AnyError, "")
		}
	}
	return v
}

// listLen is the length of the operation's flattened list in r (0 if none).
func listLen(op *specs.Operation, r wire.Request) int {
	n := 0
	for _, p := range op.Params {
		if p.Style == specs.StyleFlat && len(r.Lists[p.Name]) > n {
			n = len(r.Lists[p.Name])
		}
	}
	return n
}

// sorted splits evaluations (by rule index; nil: none) into broken and
// ambiguous rules, in model order.
func sorted[E Eval | uint8](op *specs.Operation, evals []E) (broken, ambiguous []*specs.Rule) {
	for k, rule := range op.Rules {
		if k >= len(evals) {
			break
		}
		switch Eval(evals[k]) {
		case Broken:
			broken = append(broken, rule)
		case Ambiguous:
			ambiguous = append(ambiguous, rule)
		}
	}
	return broken, ambiguous
}

// verdictOf combines the rule evaluations of a request. HTTP 200 is allowed
// when every surely broken rule allows it (Accept, or a Batch failure);
// errors are the union of the broken and ambiguous rules' error outcomes,
// since the docs never say which of two broken rules wins.
func verdictOf(op *specs.Operation, evals []Eval, undocumented bool, extra map[*specs.Rule][]specs.Outcome) Verdict {
	v := Verdict{Undocumented: undocumented, Why: map[specs.Outcome][]string{}, Outcomes: make([]specs.Outcome, 0, fewOutcomes)}
	v.Broken, v.Ambiguous = sorted(op, evals)
	ok200, accept := true, true
	for _, rule := range v.Broken {
		ok200 = ok200 && allows200(rule.Broken)
		accept = accept && HasAccept(rule.Broken)
	}
	if ok200 && accept {
		v.add(specs.Outcome{Accept: true}, "")
	}
	for _, rules := range [2][]*specs.Rule{v.Broken, v.Ambiguous} {
		for _, rule := range rules {
			v.addErrors(rule, extra[rule], ok200)
		}
	}
	if undocumented && len(v.Broken) == 0 {
		v.add(AnyError, "")
	}
	return v
}

// addErrors adds the outcomes a broken or ambiguous rule allows, its own
// then extra, but acceptance, and batch failures unless ok200.
func (v *Verdict) addErrors(rule *specs.Rule, extra []specs.Outcome, ok200 bool) {
	for _, outcomes := range [2][]specs.Outcome{rule.Broken, extra} {
		for _, o := range outcomes {
			if o.Accept || o.Batch && !ok200 {
				continue
			}
			v.add(o, rule.ID)
		}
	}
}

// fewOutcomes is room for the outcomes most verdicts allow (one to four),
// made at once rather than grown one by one.
const fewOutcomes = 4

// emptyOutcomes returns, per required rule with Empty outcomes whose
// parameter r sends with an empty value, those outcomes: readings under
// which an empty value breaks another rule rather than being absent.
func emptyOutcomes(op *specs.Operation, r wire.Request) map[*specs.Rule][]specs.Outcome {
	var extra map[*specs.Rule][]specs.Outcome // made for the first, most often none
	for _, rule := range op.Rules {
		if len(rule.Empty) == 0 {
			continue
		}
		for o := range occurrences(rule.Param, r) {
			if o.Present && o.Value == "" {
				if extra == nil {
					extra = map[*specs.Rule][]specs.Outcome{}
				}
				extra[rule] = rule.Empty
			}
		}
	}
	return extra
}

// elementVerdict is the expectation of one batch element inside a 200 answer.
func elementVerdict(op *specs.Operation, i int, evals []uint8) ElementVerdict {
	ev := ElementVerdict{Index: i}
	ev.Broken, ev.Ambiguous = sorted(op, evals)
	if len(ev.Broken) == 0 && len(ev.Ambiguous) == 0 {
		ev.Outcomes = acceptOnly[:1:1]
		return ev
	}
	accept := true
	for _, rule := range ev.Broken {
		accept = accept && HasAccept(rule.Broken)
	}
	if accept {
		ev.Outcomes = append(ev.Outcomes, specs.Outcome{Accept: true})
	}
	for _, rules := range [][]*specs.Rule{ev.Broken, ev.Ambiguous} {
		for _, rule := range rules {
			for _, o := range rule.Broken {
				if o.Batch && !slices.Contains(ev.Outcomes, o) {
					ev.Outcomes = append(ev.Outcomes, o)
				}
			}
		}
	}
	if len(ev.Outcomes) == 0 {
		ev.Outcomes = append(ev.Outcomes, specs.Outcome{Batch: true}) // broken with no batch reading: any failure
	}
	return ev
}

// acceptOnly is the outcomes of an element that breaks no rule, shared
// by every such element: read only, and full, so that an append copies.
var acceptOnly = []specs.Outcome{{Accept: true}}

// add appends an allowed outcome once, noting the rule that allows it.
func (v *Verdict) add(o specs.Outcome, rule string) { v.addTimes(o, rule, 1) }

// addTimes is add called n times.
func (v *Verdict) addTimes(o specs.Outcome, rule string, n int) {
	why, seen := v.Why[o]
	if !seen {
		v.Outcomes = append(v.Outcomes, o)
	}
	if rule != "" {
		why = slices.Grow(why, n)
		for range n {
			why = append(why, rule)
		}
	}
	v.Why[o] = why
}

// allows200 reports whether outcomes include an HTTP 200 answer.
func allows200(outcomes []specs.Outcome) bool {
	return HasAccept(outcomes) || HasBatch(outcomes)
}

// HasAccept reports whether outcomes include plain acceptance.
func HasAccept(outcomes []specs.Outcome) bool {
	for _, o := range outcomes {
		if o.Accept {
			return true
		}
	}
	return false
}

// HasBatch reports whether outcomes include a per-element batch failure
// (the rest of the batch then is still created).
func HasBatch(outcomes []specs.Outcome) bool {
	for _, o := range outcomes {
		if o.Batch {
			return true
		}
	}
	return false
}

// Allows reports whether an answer with this HTTP status and error Code
// (ignored for 200) is one the docs allow.
func (v Verdict) Allows(status int, code string) bool {
	for _, o := range v.Outcomes {
		if outcomeAllows(o, status, code) {
			return true
		}
	}
	return false
}

// outcomeAllows matches one answer against one outcome.
func outcomeAllows(o specs.Outcome, status int, code string) bool {
	if status == 200 {
		return o.Accept || o.Batch
	}
	if o.Accept || o.Batch {
		return false
	}
	statusOK := o.Status == status || o.Status == 0 && status >= 400 && status < 500
	return statusOK && (o.Code == "" || o.Code == code)
}

// Allows reports whether the element may end as it did: created, or failed
// with ErrorCode code.
func (e ElementVerdict) Allows(created bool, code string) bool {
	for _, o := range e.Outcomes {
		if created && o.Accept || !created && o.Batch && (o.Code == "" || o.Code == code) {
			return true
		}
	}
	return false
}

// Accepts reports whether the docs allow the target to accept the request.
func (v Verdict) Accepts() bool { return v.Allows(200, "") }

// String explains the expectation in words, e.g.
// "HTTP 400 InvalidParameter.UserName.Length (rule ram.UserName.max-length)".
func (v Verdict) String() string {
	parts := make([]string, 0, len(v.Outcomes))
	for _, o := range v.Outcomes {
		s := Describe(o)
		if rules := v.Why[o]; len(rules) > 0 {
			s += " (rule " + strings.Join(rules, ", ") + ")"
		}
		parts = append(parts, s)
	}
	out := strings.Join(parts, " or ")
	if len(v.Undeclared) > 0 {
		out += " [undeclared reference: " + strings.Join(v.Undeclared, ", ") + "]"
	}
	return out
}

// Describe words one outcome.
func Describe(o specs.Outcome) string {
	switch {
	case o.Accept:
		return "HTTP 200"
	case o.Batch && o.Code == "":
		return "HTTP 200 with the user among the failures"
	case o.Batch:
		return "HTTP 200 with the user among the failures, ErrorCode " + o.Code
	case o.Status == 0 && o.Code == "":
		return "any HTTP 4xx with a well-formed error envelope"
	case o.Status == 0:
		return "any HTTP 4xx " + o.Code
	case o.Code == "":
		return fmt.Sprintf("HTTP %d with a well-formed error envelope", o.Status)
	}
	return fmt.Sprintf("HTTP %d %s", o.Status, o.Code)
}

// Undocumented reports whether r holds input the docs do not cover: Raw
// pairs, parameters or fields the operation does not have, values with
// control characters or invalid UTF-8, or sizes beyond the size policy
// where the docs set no bound.
func Undocumented(op *specs.Operation, r wire.Request) bool {
	if len(r.Raw) > 0 {
		return true
	}
	for name, v := range r.Params {
		p, ok := op.Param(name)
		if !ok || p.Style == specs.StyleFlat || oddValue(p, v) {
			return true
		}
	}
	for name, list := range r.Lists {
		p, ok := op.Param(name)
		if !ok || p.Style != specs.StyleFlat || p.MaxItems == nil && len(list) > UndocumentedBatch {
			return true
		}
		for _, el := range list {
			if oddElement(p, el) {
				return true
			}
		}
	}
	return false
}

// oddElement reports whether a list element has an unknown field or an odd value.
func oddElement(p *specs.Param, el map[string]string) bool {
	for name, v := range el {
		f, ok := p.ElementField(name)
		if !ok || oddValue(f, v) {
			return true
		}
	}
	return false
}

// oddValue reports whether a value holds invalid UTF-8 or control
// characters, or is longer than the size policy with no documented maximum.
func oddValue(p *specs.Param, v string) bool {
	if printableASCII(v) { // then valid, without control characters, a rune a byte
		return p.MaxLength == nil && len(v) > UndocumentedLength
	}
	if !utf8.ValidString(v) || strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return true
	}
	return p.MaxLength == nil && utf8.RuneCountInString(v) > UndocumentedLength
}

// printableASCII reports whether v holds only printable ASCII characters
// (a space to a tilde), the common case oddValue checks at a glance.
func printableASCII(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < ' ' || v[i] > '~' {
			return false
		}
	}
	return true
}
