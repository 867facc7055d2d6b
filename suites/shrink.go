package suites

import (
	"context"
	"fmt"
	"runtime"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// shrinkPlans are the plans whose findings are shrunk: their cases are
// single requests drawn from one generator (candidates), or boundary
// packs split into their values.
var shrinkPlans = map[fuzz.PlanID]bool{fuzz.PlanValid: true, fuzz.PlanInvalid: true, fuzz.PlanBoundary: true}

// shrinkOp replaces the first finding of each of r's checks, when a
// generated single request of a shrinkPlans plan produced it, by a minimal
// request failing the same check on the same rule. It runs once the
// operation's ordinary traffic is judged, within the operation's share of
// Options.ShrinkBudget, the checks in registry order: which findings are
// shrunk, and how, never depends on scheduling.
func (e *engine) shrinkOp(ctx context.Context, r *opRun) {
	if !e.opts.Shrink || ctx.Err() != nil {
		return
	}
	left := e.opts.ShrinkBudget / len(e.ops)
	for _, cr := range r.checks {
		if left <= 0 || ctx.Err() != nil {
			return
		}
		e.mu.Lock() // the exclusive plans may be filing into other tallies
		t := firstGenerated(cr)
		e.mu.Unlock()
		if t != nil {
			left -= e.shrinkFinding(ctx, r, cr, t, min(left, e.opts.ShrinkAttempts))
		}
	}
}

// firstGenerated is the tally holding a check's first kept finding when
// that finding came from a case of a shrinkPlans plan (whose plans are
// done by then); nil otherwise. The caller holds e.mu.
func firstGenerated(cr *checkRun) *tally {
	if cr.skip != "" {
		return nil
	}
	for _, id := range cr.check.plans {
		t := cr.tallies[id]
		if t == nil || len(t.findings) == 0 {
			continue
		}
		if shrinkPlans[id] && t.origin != nil && len(t.origin.Steps) == 1 {
			return t
		}
		return nil
	}
	return nil
}

// shrinkFinding shrinks t's first finding with at most limit requests and
// returns how many it sent. The finding is replaced only by a strictly
// smaller reproducer.
func (e *engine) shrinkFinding(ctx context.Context, r *opRun, cr *checkRun, t *tally, limit int) int {
	s := &shrinker{e: e, run: r, cr: cr, orig: &t.origin.Steps[0], want: t.findings[0], limit: limit, parent: ctx, seen: map[string]bool{}}
	s.cands = r.planner.Candidates(t.plan, s.orig.Expect.Rule, s.orig.Label, "shrink/"+cr.check.ID)
	if s.cands == nil {
		return 0
	}
	s.shrink()
	from := sizeOf(r.op, s.orig.Step)
	e.mu.Lock()
	defer e.mu.Unlock()
	if !s.found || !s.minSize.less(from) {
		e.progressf("%s/%s: no smaller failing request in %d requests\n", r.op.ID, cr.check.ID, s.sent)
		return s.sent
	}
	t.findings[0] = shrunkFinding(t.findings[0], s.min, fmt.Sprintf("from %s to %s in %d requests", from, s.minSize, s.sent))
	e.progressf("%s/%s: first finding shrunk %s\n", r.op.ID, cr.check.ID, t.findings[0].Shrunk)
	return s.sent
}

// shrunkFinding is f with the reproducer (expectation, answer, curl
// command, request and response) of the minimal failing request min, and
// the note saying how it was shrunk; the check, operation, rule, seed and
// replay command stay.
func shrunkFinding(f, min results.Finding, note string) results.Finding {
	f.Expected, f.Actual = min.Expected, min.Actual
	f.Curl, f.Send, f.Request, f.Response = min.Curl, min.Send, min.Request, min.Response
	f.Exchanges = min.Exchanges
	f.Shrunk = note
	return f
}

// shrinker is the failing predicate of one finding's shrinking: it sends a
// candidate as the original step was sent (signature, format) and judges
// it with the same check.
type shrinker struct {
	e   *engine
	run *opRun
	cr  *checkRun
	// cands are the candidates and how they are prepared.
	cands *fuzz.Candidates
	orig  *step
	want  results.Finding
	// limit bounds the requests sent; sent counts them.
	limit, sent int
	// parent is the run's context; ctx is it bounded by Options.ShrinkTime
	// from the first candidate on (Shrink may wait for another operation's
	// shrinking first), cancel ends it.
	parent context.Context
	ctx    context.Context
	cancel context.CancelFunc
	// min is the finding of the last failing candidate (rapid's smallest),
	// minSize the size of its request; found is false while none failed.
	min     results.Finding
	minSize size
	found   bool
	// seen are the verdicts on the candidates sent, by key.
	seen map[string]bool
}

// key identifies a candidate by the request it becomes, names aside: it is
// prepared with names of its own, so that candidates differing only in
// the generated names (which prepare replaces) are sent once.
func (s *shrinker) key(c fuzz.Case) string {
	enc := wire.Encode(s.run.op, s.cands.Canonical(c))
	return c.Label + "\x00" + enc.QueryString() + "\x00" + enc.BodyString()
}

// shrink runs fuzz.Shrink over the candidates with fails in a goroutine of its own,
// which the first draw past the request limit or the time bound ends
// (runtime.Goexit, as testing.T.FailNow ends a test): rapid's remaining
// minimization passes would only draw candidates never sent. The result
// is s.min, the last failing candidate.
func (s *shrinker) shrink() {
	defer s.stop()
	bounded := rapid.Custom(func(t *rapid.T) fuzz.Case {
		if s.spent() {
			runtime.Goexit()
		}
		return s.cands.Generator().Draw(t, "case")
	})
	done := make(chan struct{})
	go func() {
		defer close(done)
		fuzz.Shrink(bounded, s.fails, fuzz.ShrinkOptions{Seed: s.cands.Seed(), Checks: s.limit, Time: s.e.opts.ShrinkTime})
	}()
	<-done
}

// spent reports whether the request limit or the time bound is reached.
func (s *shrinker) spent() bool {
	return s.sent >= s.limit || s.ctx != nil && s.ctx.Err() != nil
}

// fails sends the candidate g and reports whether it yields a finding of
// the same check and rule. It sends nothing once the request limit or the
// time bound is reached, and a candidate cut by the time bound never counts.
func (s *shrinker) fails(g fuzz.Case) bool {
	if s.ctx == nil {
		s.ctx, s.cancel = context.WithTimeout(s.parent, s.e.opts.ShrinkTime)
	}
	if g.Request.Params == nil || s.spent() {
		return false
	}
	key := s.key(g)
	if failed, ok := s.seen[key]; ok {
		return failed // rapid replays each smaller failing candidate, and draws some requests twice
	}
	s.seen[key] = false
	seq := sequence{Steps: []step{s.step(g)}}
	s.sent++
	exs := s.e.send(s.ctx, s.run.op, &seq)
	if s.ctx.Err() != nil || len(exs) == 0 {
		return false
	}
	j := s.e.judging(s.cr.check, s.run.op, &seq, exs)
	s.cr.check.judge(j, &seq, exs)
	for _, f := range j.findings {
		if f.Rule == s.want.Rule {
			s.min, s.minSize, s.found = f, sizeOf(s.run.op, seq.Steps[0].Step), true
			s.seen[key] = true
			return true
		}
	}
	return false
}

// step is the candidate g prepared as the plans prepare their cases (the
// declared values, fresh unique names), in the original step's format
// and signature, from the accounts in turn (paced traffic spreads, and no
// account fills its quota).
func (s *shrinker) step(g fuzz.Case) step {
	r := s.cands.Prepare(g)
	r.Format = s.orig.Request.Format
	fs := fuzz.Step{
		Request: r, Account: s.run.planner.Account(s.orig.Account + s.sent),
		Signature: s.orig.Signature, Breaks: g.Rule, Label: g.Label,
	}
	return s.e.expect(s.run.op, fuzz.Sequence{Steps: []fuzz.Step{fs}}).Steps[0]
}

// stop ends the time bound's context.
func (s *shrinker) stop() {
	if s.cancel != nil {
		s.cancel()
	}
}

// size is how big a step is: the boundary values it sends together (a
// pack of them, fuzz.PackedBoundary; one otherwise), then its request on
// the wire, its parameters and their encoded bytes (query and body,
// common parameters left out).
type size struct{ values, params, bytes int }

// sizeOf measures st's request encoded for op.
func sizeOf(op *specs.Operation, st fuzz.Step) size {
	enc := wire.Encode(op, st.Request)
	return size{fuzz.PackedValues(st.Label), len(enc.Query) + len(enc.Body), len(enc.QueryString()) + len(enc.BodyString())}
}

// less orders sizes by values, parameters, then bytes.
func (a size) less(b size) bool {
	if a.values != b.values {
		return a.values < b.values
	}
	return a.params < b.params || a.params == b.params && a.bytes < b.bytes
}

// String is "3 parameters (58 bytes)", or for a pack "a pack of 13
// boundary values, 15 parameters (930 bytes)".
func (a size) String() string {
	s := fmt.Sprintf("%d parameters (%d bytes)", a.params, a.bytes)
	if a.params == 1 {
		s = fmt.Sprintf("1 parameter (%d bytes)", a.bytes)
	}
	if a.values > 1 {
		s = fmt.Sprintf("a pack of %d boundary values, %s", a.values, s)
	}
	return s
}
