package suites

import (
	"fmt"
	"sort"

	"github.com/acsconform/acsconform/results"
)

// deliver files a sequence's verdicts in sequence order, so that which
// findings are kept never depends on scheduling.
func (e *engine) deliver(jb job, verdicts []judged, exchanges int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := jb.plan
	p.pending[jb.idx] = verdicts
	p.exchanges += exchanges
	for {
		vs, ok := p.pending[p.next]
		if !ok {
			break
		}
		delete(p.pending, p.next)
		seq := &p.seqs[p.next]
		p.next++
		for _, v := range vs {
			e.file(v.check.tallies[p.id], v, seq)
		}
	}
	if p.next == len(p.seqs) {
		e.planDone(jb.run, p)
	}
}

// file adds the verdict v on seq to a tally, keeping at most MaxFindings.
func (e *engine) file(t *tally, v judged, seq *sequence) {
	if len(t.findings) == 0 && len(v.j.findings) > 0 {
		t.origin = seq
	}
	t.exchanges += v.j.exchanges
	t.elapsed += v.elapsed
	t.findings, t.dropped = keep(t.findings, v.j.findings, e.opts.MaxFindings, t.dropped)
	t.warnings, _ = keep(t.warnings, v.j.warnings, e.opts.MaxFindings, 0)
	t.timeline = appendTimeline(t.timeline, v.j.timeline)
	for _, id := range v.j.ids {
		u := e.ids[id]
		if u == nil {
			u = &idUse{ops: map[string]bool{}}
			e.ids[id] = u
		}
		u.count++
		u.ops[v.j.op.ID] = true
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

// planDone reports progress for each check whose last plan it was.
func (e *engine) planDone(r *opRun, p *planRun) {
	for _, cr := range r.checks {
		if cr.tallies[p.id] == nil {
			continue
		}
		if cr.left--; cr.left == 0 {
			e.checkDone(r, cr)
		}
	}
}

// checkDone writes a progress line for a finished (or skipped) check.
func (e *engine) checkDone(r *opRun, cr *checkRun) {
	e.done++
	c := e.checkResult(cr)
	width := len(itoa(e.total))
	line := fmt.Sprintf("[%*d/%d] %s/%s %s", width, e.done, e.total, r.op.ID, c.Check, c.Status)
	if c.Status == results.Skipped {
		line += ": " + c.SkipReason
	} else {
		line += fmt.Sprintf(" (%d exchanges, %d findings, %d warnings)", c.Exchanges, len(c.Findings)+c.Dropped, len(c.Warnings))
	}
	e.progressf("%s\n", line)
}

// progressf writes one progress line; the caller holds e.mu.
func (e *engine) progressf(format string, args ...any) {
	if e.opts.Progress != nil {
		fmt.Fprintf(e.opts.Progress, format, args...)
	}
}

// repeatedIDs returns the RequestIds seen more than once, in order.
func (e *engine) repeatedIDs() []string {
	var ids []string
	for id, u := range e.ids {
		if u.count > 1 {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}
