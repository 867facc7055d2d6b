package suites

import (
	"fmt"
	"slices"

	"github.com/acsconform/acsconform/results"
)

// deliver files a sequence's verdicts in sequence order, so that which
// findings are kept never depends on scheduling; only the sequences
// judged ahead of an earlier one wait, at most the workers' worth.
func (e *engine) deliver(jb job, seq *sequence, verdicts []judged, exchanges int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := jb.plan
	p.pending[jb.idx] = pendingSeq{seq: seq, verdicts: verdicts}
	p.exchanges += exchanges
	e.sent += int64(exchanges)
	for {
		ps, ok := p.pending[p.next]
		if !ok {
			break
		}
		delete(p.pending, p.next)
		p.next++
		for _, v := range ps.verdicts {
			e.file(v.check.tallies[p.id], v, ps.seq)
		}
	}
	e.planMaybeDone(jb.run, p)
}

// drawn records that plan p has drawn every sequence it has.
func (e *engine) drawn(r *opRun, p *planRun) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p.finished = true
	e.planMaybeDone(r, p)
}

// cut records that plan p stopped before drawing all its sequences (the
// run stopped, the operation was given up), unless it had finished.
func (e *engine) cut(r *opRun, p *planRun) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !p.finished {
		p.cut, p.finished = true, true
		e.planMaybeDone(r, p)
	}
}

// cutAll cuts every plan of r not finished.
func (e *engine) cutAll(r *opRun) {
	for _, p := range r.plans {
		if !p.exclusive || r.refused != "" {
			e.cut(r, p)
		}
	}
}

// planMaybeDone reports a plan done once it has drawn everything and every
// sequence drawn is filed; the caller holds e.mu.
func (e *engine) planMaybeDone(r *opRun, p *planRun) {
	if p.finished && !p.done && p.next == p.produced {
		p.done = true
		e.planDone(r, p)
	}
}

// file adds the verdict v on seq to a tally, keeping at most MaxFindings.
func (e *engine) file(t *tally, v judged, seq *sequence) {
	if len(t.findings) == 0 && len(v.j.findings) > 0 {
		t.origin = seq
	}
	t.exchanges += v.j.exchanges
	t.conclusive += v.j.conclusive
	t.sequences++
	t.unheld += v.j.unheldSeqs
	if t.firstUnanswered == "" {
		t.firstUnanswered = v.j.firstUnanswered
	}
	if t.unheldReason == "" {
		t.unheldReason = v.j.unheldReason
	}
	t.causes = addCauses(t.causes, v.j.findings)
	t.elapsed += v.elapsed
	t.findings, t.dropped = keep(t.findings, v.j.findings, e.opts.MaxFindings, t.dropped)
	t.warnings, _ = keep(t.warnings, v.j.warnings, e.opts.MaxFindings, 0)
	t.full.findings.Store(len(t.findings) >= e.opts.MaxFindings)
	t.full.warnings.Store(len(t.warnings) >= e.opts.MaxFindings)
	t.timeline = appendTimeline(t.timeline, v.j.timeline)
	for _, id := range v.j.ids {
		e.ids.add(v.j.op.ID, id)
	}
}

// keep appends add to kept up to max, counting the rest in dropped.
func keep(kept, add []results.Finding, max, dropped int) ([]results.Finding, int) {
	room := max - len(kept)
	if room < 0 {
		room = 0
	}
	if len(add) > room {
		dropped += len(add) - room
		add = add[:room]
	}
	return append(kept, add...), dropped
}

// planDone reports progress for each check whose last plan it was, but
// for the checks whose verdict waits for the end of their operation or of
// the run (runWide).
func (e *engine) planDone(r *opRun, p *planRun) {
	for _, cr := range r.checks {
		if cr.tallies[p.id] == nil {
			continue
		}
		if cr.left--; cr.left == 0 && !runWide(cr.check.ID) {
			e.checkDone(r, cr)
		}
	}
}

// runWide reports whether a check's verdict takes findings only the end of
// its operation (no-server-error: a target that stopped answering) or of
// the run (request-id: RequestIds repeated across operations) can show.
func runWide(check string) bool { return check == noServerErrorCheck || check == requestIDCheck }

// opDone reports every check of r not reported yet (cut short, or waiting
// for the end of the operation), request-id aside: it waits for the run.
func (e *engine) opDone(r *opRun) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, cr := range r.checks {
		if !cr.reported && cr.check.ID != requestIDCheck {
			e.checkDone(r, cr)
		}
	}
}

// runDone reports the checks left once every operation is done.
func (e *engine) runDone() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.finished = true
	for _, r := range e.ops {
		for _, cr := range r.checks {
			if !cr.reported {
				e.checkDone(r, cr)
			}
		}
	}
}

// checkDone writes the progress line of a finished (or skipped) check:
// the verdict the result will carry. The caller holds e.mu.
func (e *engine) checkDone(r *opRun, cr *checkRun) {
	cr.reported = true
	e.done++
	c := e.checkResult(r, cr)
	width := len(itoa(e.total))
	line := fmt.Sprintf("[%*d/%d] %s/%s %s", width, e.done, e.total, r.op.ID, c.Check, c.Status)
	switch c.Status {
	case results.Skipped:
		line += ": " + c.SkipReason
	case results.Errored:
		line += ": " + c.ErrorReason
	default:
		line += fmt.Sprintf(" (%d exchanges, %d findings, %d warnings)", c.Exchanges, len(c.Findings)+c.Dropped, len(c.Warnings))
	}
	e.progressf("%s\n", line)
}

// progressf writes one progress line, or holds it while the start line
// is not out yet (announce); the caller holds e.mu.
func (e *engine) progressf(format string, args ...any) {
	switch {
	case e.opts.Progress == nil:
	case !e.announced:
		e.held = append(e.held, fmt.Sprintf(format, args...))
	default:
		fmt.Fprintf(e.opts.Progress, format, args...)
	}
}

// maxCauses bounds the root causes kept per check; the findings of any
// further cause count under the last one, "other causes".
const maxCauses = 50

// addCauses counts findings under their root causes.
func addCauses(causes []results.Cause, findings []results.Finding) []results.Cause {
	for _, f := range findings {
		i := slices.IndexFunc(causes, func(c results.Cause) bool { return c.Key == f.Cause })
		switch {
		case i >= 0:
			causes[i].Findings++
		case len(causes) < maxCauses:
			causes = append(causes, results.Cause{Key: f.Cause, Rule: f.Rule, Findings: 1})
		default:
			causes[len(causes)-1].Key, causes[len(causes)-1].Rule = "other causes", ""
			causes[len(causes)-1].Findings++
		}
	}
	return causes
}
