package suites

import (
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/acsconform/acsconform/fuzz"
)

// Shard selects a deterministic part of a run's cases, so that N machines
// can share one campaign: shard K of N ("K/N", 1 ≤ K ≤ N) gets the case
// sequences whose hash (fuzz.DrawSeed of the run's seed, the operation,
// the plan and the sequence's index) falls to it. The N shards of one seed
// are disjoint and their union is the unsharded run. A sequence is never
// split (a stateful scenario stays whole), and an operation's exclusive
// plans (the rate-limit burst and paced plans, the quota plan) go to one
// shard together, as one unit. The zero value is the whole run.
type Shard struct {
	// Index is K, from 1; Count is N. Count 0 (or 1) means unsharded.
	Index, Count int
}

// ParseShard reads "K/N" with 1 ≤ K ≤ N; "" is the zero Shard.
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{}, nil
	}
	k, n, ok := strings.Cut(s, "/")
	index, errK := strconv.Atoi(k)
	count, errN := strconv.Atoi(n)
	if !ok || errK != nil || errN != nil {
		return Shard{}, fmt.Errorf("shard %q: want K/N, e.g. 2/4", s)
	}
	sh := Shard{Index: index, Count: count}
	return sh, sh.validate()
}

// validate checks 1 ≤ Index ≤ Count, or the zero Shard.
func (s Shard) validate() error {
	if s == (Shard{}) {
		return nil
	}
	if s.Count < 1 || s.Index < 1 || s.Index > s.Count {
		return errors.New("shard " + strconv.Itoa(s.Index) + "/" + strconv.Itoa(s.Count) + ": want K/N with 1 ≤ K ≤ N")
	}
	return nil
}

// String is "K/N", or "" for the whole run.
func (s Shard) String() string {
	if s.Count == 0 {
		return ""
	}
	return strconv.Itoa(s.Index) + "/" + strconv.Itoa(s.Count)
}

// Has reports whether the i-th sequence of plan for operation op, in a
// run of that seed, belongs to the shard.
func (s Shard) Has(seed int64, op string, plan fuzz.PlanID, i int) bool {
	if s.Count <= 1 {
		return true
	}
	stream := "shard/" + op + "/" + string(plan)
	if plan.Exclusive() {
		stream, i = "shard/"+op+"/exclusive", 0
	}
	return int(fuzz.DrawSeed(seed, stream, i)%int64(s.Count)) == s.Index-1
}

// shardStream draws plan p's sequences for the run's shard: the plan's
// stream with the other shards' sequences left out (and counted). An
// exclusive plan of another shard is not drawn at all.
func (e *engine) shardStream(r *opRun, p *planRun) iter.Seq[fuzz.Sequence] {
	all := r.planner.Stream(p.id)
	sh := e.opts.Shard
	if sh.Count <= 1 {
		return all
	}
	if p.exclusive && !sh.Has(e.opts.Seed, r.op.ID, p.id, 0) {
		return func(func(fuzz.Sequence) bool) {
			if r.planner.Planned(p.id) > 0 {
				p.outOfShard.Add(1)
			}
		}
	}
	return func(yield func(fuzz.Sequence) bool) {
		i := 0
		for seq := range all {
			in := sh.Has(e.opts.Seed, r.op.ID, p.id, i)
			i++
			if !in {
				p.outOfShard.Add(1)
				continue
			}
			if !yield(seq) {
				return
			}
		}
	}
}

// plannedIn is about how many requests plan p sends in the run's shard
// (for the budget and the progress line): all or none of an exclusive
// plan, an Nth of another.
func (e *engine) plannedIn(r *opRun, p *planRun) int {
	n, sh := r.planner.Planned(p.id), e.opts.Shard
	switch {
	case sh.Count <= 1:
		return n
	case p.exclusive && !sh.Has(e.opts.Seed, r.op.ID, p.id, 0):
		return 0
	case p.exclusive:
		return n
	}
	return (n + sh.Count - 1) / sh.Count
}

// shardFlag is the --shard flag of the run's replay lines ("" unsharded).
func (e *engine) shardFlag() string {
	if e.opts.Shard.Count == 0 {
		return ""
	}
	return " --shard " + e.opts.Shard.String()
}

// noCase is why a check judged no exchange though none of its sequences
// went unsent: its cases all fell to other shards, or none was built.
func (e *engine) noCase(r *opRun, cr *checkRun) string {
	for _, p := range r.plans {
		if cr.tallies[p.id] != nil && p.outOfShard.Load() > 0 {
			return "no case of this check in shard " + e.opts.Shard.String()
		}
	}
	return "the generators built no case for it"
}
