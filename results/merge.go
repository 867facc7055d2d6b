package results

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// MergeMaxFindings is how many findings, and how many warnings, a merged
// check keeps: a run's default (the rest are counted in Dropped).
const MergeMaxFindings = 20

// mergeMaxCauses bounds the root causes of a merged check, as a run bounds
// them; the findings of any further cause count under the last one,
// "other causes".
const mergeMaxCauses = 50

// Merge joins the results of the N shards of one sharded campaign
// (Result.Shard "1/N" … "N/N", each exactly once, in any order) into the
// result of the whole campaign. The parts must come from the same tool,
// target, seed, number of examples and command line (but for its --shard
// flag); otherwise Merge returns an error naming the first difference.
//
// Per operation and check, in the first shard's order: exchanges and
// durations are summed; findings are concatenated in shard order and kept
// up to MergeMaxFindings (the rest, and every shard's Dropped, counted in
// Dropped), warnings likewise (kept up to MergeMaxFindings); root causes are
// merged by key; a rate-limit timeline is the shard's that has it. Each
// kept finding is numbered anew (OPERATION/CHECK/N); its Command, the
// shard's replay line, is kept. The status is:
//
//   - failed when some shard failed it (a finding anywhere);
//   - else errored when some shard errored it (ErrorReason: each such
//     shard's reason, "shard K/N: reason", joined by "; ");
//   - else skipped when every shard skipped it (SkipReason: their
//     distinct reasons, joined by "; ");
//   - else passed (some shard passed it, the others passed it or had no
//     case of it).
//
// A shard judges alone the exchanges it sent, so a check errored in one
// shard for too few conclusive answers is errored merged, where the
// unsharded run, counting all its answers together, might pass it.
// Rule results are summed per rule: failed when some finding names the
// rule, skipped when no exchange exercised it, passed when some shard
// passed it (an exchange exercising it was answered), else errored:
// exactly the unsharded verdict. Stopped joins the shards' ("shard K/N:
// why"); Started is the earliest start and Duration runs to the latest
// end. The merged result has Shard "" and Merged N.
func Merge(parts ...*Result) (*Result, error) {
	if len(parts) == 0 {
		return nil, errors.New("no report to merge")
	}
	ordered, count, err := shardOrder(parts)
	if err != nil {
		return nil, err
	}
	first := ordered[0]
	command := unsharded(first.Command, first.Shard)
	for _, p := range ordered[1:] {
		if err := sameCampaign(first, p, command); err != nil {
			return nil, err
		}
	}
	out := &Result{Tool: first.Tool, Target: first.Target, Seed: first.Seed, Examples: first.Examples,
		PacedExamples: first.PacedExamples, Command: command, Merged: count}
	var stopped []string
	var end time.Time
	for i, p := range ordered {
		if p.Stopped != "" {
			stopped = append(stopped, "shard "+p.Shard+": "+p.Stopped)
		}
		if i == 0 || p.Started.Before(out.Started) {
			out.Started = p.Started
		}
		if e := p.Started.Add(p.Duration); e.After(end) {
			end = e
		}
	}
	out.Stopped = strings.Join(stopped, "; ")
	out.Duration = end.Sub(out.Started)
	for _, opID := range operationIDs(ordered) {
		out.Operations = append(out.Operations, mergeOperation(opID, ordered))
	}
	return out, nil
}

// shardOrder sorts the parts by shard index and checks that they are the
// shards 1…N of one N, each once.
func shardOrder(parts []*Result) ([]*Result, int, error) {
	type indexed struct {
		r    *Result
		k, n int
	}
	var all []indexed
	for i, p := range parts {
		if p == nil {
			return nil, 0, fmt.Errorf("report %d is empty", i+1)
		}
		k, n, err := parseShard(p.Shard)
		if err != nil {
			return nil, 0, fmt.Errorf("report %d: %v", i+1, err)
		}
		all = append(all, indexed{p, k, n})
	}
	n := all[0].n
	seen := map[int]bool{}
	for _, x := range all {
		if x.n != n {
			return nil, 0, fmt.Errorf("shards of different campaigns: %s and %s", all[0].r.Shard, x.r.Shard)
		}
		if seen[x.k] {
			return nil, 0, fmt.Errorf("shard %s given twice", x.r.Shard)
		}
		seen[x.k] = true
	}
	for k := 1; k <= n; k++ {
		if !seen[k] {
			return nil, 0, fmt.Errorf("shard %d/%d is missing: a merged verdict needs every shard", k, n)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].k < all[j].k })
	out := make([]*Result, len(all))
	for i, x := range all {
		out[i] = x.r
	}
	return out, n, nil
}

// parseShard reads a result's "K/N".
func parseShard(s string) (k, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	k, errK := strconv.Atoi(a)
	n, errN := strconv.Atoi(b)
	if s == "" {
		return 0, 0, errors.New("not a shard's report (no shard recorded: run with --shard K/N)")
	}
	if !ok || errK != nil || errN != nil || k < 1 || k > n {
		return 0, 0, fmt.Errorf("shard %q: want K/N with 1 ≤ K ≤ N", s)
	}
	return k, n, nil
}

// unsharded is a command line without its --shard flag.
func unsharded(command, shard string) string {
	return strings.Replace(command, " --shard "+shard, "", 1)
}

// sameCampaign says how p differs from the first shard, nil when it does
// not: the same tool, target, seed, examples, paced examples and command.
func sameCampaign(first, p *Result, command string) error {
	diff := func(what, a, b string) error {
		return fmt.Errorf("shards %s and %s are not of one campaign: %s %q and %q", first.Shard, p.Shard, what, a, b)
	}
	switch {
	case p.Tool != first.Tool:
		return diff("tool", first.Tool, p.Tool)
	case p.Seed != first.Seed:
		return diff("seed", strconv.FormatInt(first.Seed, 10), strconv.FormatInt(p.Seed, 10))
	case p.Examples != first.Examples:
		return diff("examples", strconv.Itoa(first.Examples), strconv.Itoa(p.Examples))
	case p.PacedExamples != first.PacedExamples:
		return diff("paced examples", strconv.Itoa(first.PacedExamples), strconv.Itoa(p.PacedExamples))
	case p.Target != first.Target:
		return diff("target", first.Target, p.Target)
	case unsharded(p.Command, p.Shard) != command:
		return diff("command", command, unsharded(p.Command, p.Shard))
	}
	return nil
}

// operationIDs lists the operations of the parts, in order first seen.
func operationIDs(parts []*Result) []string {
	var ids []string
	for _, p := range parts {
		for _, op := range p.Operations {
			if !slices.Contains(ids, op.Operation) {
				ids = append(ids, op.Operation)
			}
		}
	}
	return ids
}

// mergeOperation merges one operation's checks and rules over the parts.
func mergeOperation(id string, parts []*Result) OperationResult {
	var ops []*OperationResult
	var shards []string
	for _, p := range parts {
		for i := range p.Operations {
			if p.Operations[i].Operation == id {
				ops = append(ops, &p.Operations[i])
				shards = append(shards, p.Shard)
			}
		}
	}
	out := OperationResult{Operation: id, Action: ops[0].Action, Version: ops[0].Version}
	var checkIDs, ruleIDs []string
	for _, op := range ops {
		for _, c := range op.Checks {
			if !slices.Contains(checkIDs, c.Check) {
				checkIDs = append(checkIDs, c.Check)
			}
		}
		for _, r := range op.Rules {
			if !slices.Contains(ruleIDs, r.Rule) {
				ruleIDs = append(ruleIDs, r.Rule)
			}
		}
	}
	for _, cid := range checkIDs {
		var cs []*CheckResult
		var cshards []string
		for i, op := range ops {
			for k := range op.Checks {
				if op.Checks[k].Check == cid {
					cs = append(cs, &op.Checks[k])
					cshards = append(cshards, shards[i])
				}
			}
		}
		out.Checks = append(out.Checks, mergeCheck(id, cs, cshards))
	}
	for _, rid := range ruleIDs {
		var rs []*RuleResult
		for _, op := range ops {
			for k := range op.Rules {
				if op.Rules[k].Rule == rid {
					rs = append(rs, &op.Rules[k])
				}
			}
		}
		out.Rules = append(out.Rules, mergeRule(rs))
	}
	return out
}

// mergeCheck merges one check's results, given in shard order with their
// shards' names.
func mergeCheck(op string, cs []*CheckResult, shards []string) CheckResult {
	out := CheckResult{Check: cs[0].Check}
	var errored, skipped []string
	failed, passed := false, false
	for i, c := range cs {
		out.Exchanges += c.Exchanges
		out.Duration += c.Duration
		out.Dropped += c.Dropped
		out.Findings, out.Dropped = keepFindings(out.Findings, c.Findings, out.Dropped)
		out.Warnings, _ = keepFindings(out.Warnings, c.Warnings, 0)
		out.Causes = mergeCauseCounts(out.Causes, c.Causes)
		out.Timeline = append(out.Timeline, c.Timeline...)
		switch c.Status {
		case Failed:
			failed = true
		case Errored:
			errored = append(errored, "shard "+shards[i]+": "+c.ErrorReason)
		case Skipped:
			if !slices.Contains(skipped, c.SkipReason) {
				skipped = append(skipped, c.SkipReason)
			}
		default:
			passed = true
		}
	}
	switch {
	case failed || len(out.Findings)+out.Dropped > 0:
		out.Status = Failed
	case len(errored) > 0:
		out.Status, out.ErrorReason = Errored, strings.Join(errored, "; ")
	case !passed:
		out.Status, out.SkipReason = Skipped, strings.Join(skipped, "; ")
	default:
		out.Status = Passed
	}
	for i := range out.Findings {
		out.Findings[i].ID = fmt.Sprintf("%s/%s/%d", op, out.Check, i+1)
	}
	for i := range out.Warnings {
		out.Warnings[i].ID = fmt.Sprintf("%s/%s/warning/%d", op, out.Check, i+1)
	}
	return out
}

// keepFindings appends copies of add to kept up to MergeMaxFindings,
// counting the rest in dropped.
func keepFindings(kept, add []Finding, dropped int) ([]Finding, int) {
	room := max(MergeMaxFindings-len(kept), 0)
	if len(add) > room {
		dropped += len(add) - room
		add = add[:room]
	}
	return append(kept, add...), dropped
}

// mergeCauseCounts adds the counts of more to causes by key, keeping at
// most mergeMaxCauses (further causes count under the last, "other causes").
func mergeCauseCounts(causes, more []Cause) []Cause {
	for _, m := range more {
		i := slices.IndexFunc(causes, func(c Cause) bool { return c.Key == m.Key })
		switch {
		case i >= 0:
			causes[i].Findings += m.Findings
		case len(causes) < mergeMaxCauses:
			causes = append(causes, m)
		default:
			last := &causes[len(causes)-1]
			last.Key, last.Rule = "other causes", ""
			last.Findings += m.Findings
		}
	}
	return causes
}

// mergeRule sums one rule's results over the shards.
func mergeRule(rs []*RuleResult) RuleResult {
	out := RuleResult{Rule: rs[0].Rule, Quote: rs[0].Quote, Param: rs[0].Param}
	answered := false
	for _, r := range rs {
		out.Exchanges += r.Exchanges
		out.Findings += r.Findings
		out.Warnings += r.Warnings
		answered = answered || r.Status == Passed
	}
	switch {
	case out.Findings > 0:
		out.Status = Failed
	case out.Exchanges == 0:
		out.Status = Skipped
	case answered:
		out.Status = Passed
	default:
		out.Status = Errored
	}
	return out
}
