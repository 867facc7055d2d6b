package suites

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// Rejudge sends a recorded finding's requests again to target, its setup
// steps first and the failing step last, each encoded and signed afresh (a
// new date and nonce) as it was (signature version, account index,
// deliberate tamper), with every run-unique name replaced consistently by a
// fresh one drawn from nonce (a value that occurs twice stays twice; a
// value breaking its rule still breaks it), and judges the fresh answers
// with the check named in f, as a run judges them. It returns the check's
// verdict now (its findings and warnings, IDs counting from 1) and the
// fresh exchanges as records. The error is for a finding that cannot be
// replayed: no recorded exchanges, an unknown operation, check or rule, an
// account index beyond target's accounts, a target the runner refuses.
// A finding a strict run made of a warning is judged strictly again.
func Rejudge(ctx context.Context, target runner.Target, f results.Finding, nonce string) (results.CheckResult, []results.ExchangeRecord, error) {
	var none results.CheckResult
	if len(f.Exchanges) == 0 {
		return none, nil, fmt.Errorf("finding %s records no request to replay", f.ID)
	}
	model, err := specs.Load()
	if err != nil {
		return none, nil, fmt.Errorf("loading the specs: %w", err)
	}
	op, ok := model.Operation(f.Operation)
	check := lookupCheck(f.Check)
	switch {
	case !ok:
		return none, nil, fmt.Errorf("finding %s: unknown operation %q", f.ID, f.Operation)
	case check == nil:
		return none, nil, fmt.Errorf("finding %s: unknown check %q", f.ID, f.Check)
	case len(target.Accounts) == 0:
		return none, nil, errors.New("no credentials: declare at least one account")
	}
	var plan fuzz.Sequence
	for _, rec := range f.Exchanges {
		st, err := stepOf(op, rec)
		if err != nil {
			return none, nil, fmt.Errorf("finding %s: %w", f.ID, err)
		}
		if st.Account >= len(target.Accounts) || st.Account < 0 {
			return none, nil, fmt.Errorf("finding %s was sent with account %d of the run: give at least %d accounts (--account AK:SECRET, repeated)", f.ID, st.Account+1, st.Account+1)
		}
		plan.Steps = append(plan.Steps, st)
	}
	renameAll(op, plan.Steps, fuzz.NewNames(fuzz.DrawSeed(f.Seed, "replay/names/"+nonce, 0)))
	client, err := runner.NewClient(target)
	if err != nil {
		return none, nil, err
	}
	defer client.Close()
	secrets := make([]string, 0, len(target.Accounts)+len(target.Secrets))
	for _, a := range target.Accounts {
		secrets = append(secrets, a.AccessKeySecret)
	}
	e := &engine{model: model, target: target, client: client, ids: newRequestIDs(nil),
		secrets: runner.NewScrubber(append(secrets, target.Secrets...)...),
		opts:    Options{Seed: f.Seed, Declared: declarations(f.Declared), Strict: strictFinding(f)}.withDefaults()}
	seq := e.expect(op, plan)
	exs := e.send(ctx, op, &seq)
	j := e.judging(check, op, &seq, exs)
	check.judge(j, &seq, exs)
	c := results.CheckResult{Check: check.ID, Status: results.Passed, Exchanges: j.exchanges, Findings: j.findings, Warnings: j.warnings}
	if len(c.Findings) > 0 {
		c.Status = results.Failed
	}
	e.numberFindings(&c, op.ID)
	fresh := make([]results.ExchangeRecord, len(exs))
	for i := range exs {
		fresh[i] = j.record(&seq.Steps[i], &exs[i], i < len(seq.Steps)-1)
	}
	return c, fresh, ctx.Err()
}

// strictFinding reports whether f is a warning that Options.Strict made a
// failure (it names the ambiguities it rests on): it is judged strictly
// again, or an unchanged target would seem fixed.
func strictFinding(f results.Finding) bool { return len(f.Ambiguities) > 0 }

// renameAll replaces, in every step's request, each value of a parameter
// under a unique or batch-unique rule (and a verbatim pair of the same
// name) by a fresh one from names, the same old value always by the same
// new one.
func renameAll(op *specs.Operation, steps []fuzz.Step, names *fuzz.Names) {
	fresh := map[string]string{}
	used := map[string]bool{}
	rename := func(path string, p *specs.Param, old string) string {
		if v, ok := fresh[path+"\x00"+old]; ok {
			return v
		}
		v := names.Overlay(p, old)
		if used[path+"\x00"+v] {
			v = old // no fresh value distinct from the others: keep it
		}
		fresh[path+"\x00"+old], used[path+"\x00"+v] = v, true
		return v
	}
	for _, path := range fuzz.UniquePaths(op) {
		p, ok := op.Lookup(path)
		if !ok {
			continue
		}
		top, field := specs.SplitPath(path)
		for i := range steps {
			r := steps[i].Request.Clone()
			if field == "" {
				if v, ok := r.Params[top]; ok {
					r.Params[top] = rename(path, p, v)
				}
			}
			for _, el := range r.Lists[top] {
				if v, ok := el[field]; ok && field != "" {
					el[field] = rename(path, p, v)
				}
			}
			for k, pr := range r.Raw {
				if rawNames(pr.Key, top, field) {
					r.Raw[k].Value = rename(path, p, pr.Value)
				}
			}
			steps[i].Request = r
		}
	}
}

// rawNames reports whether a verbatim pair's key names the unique
// parameter top (or its list field: Users.N.EndUserId).
func rawNames(key, top, field string) bool {
	if field == "" {
		return key == top
	}
	rest, ok := strings.CutPrefix(key, top+".")
	if !ok {
		return false
	}
	_, f, ok := strings.Cut(rest, ".")
	return ok && f == field
}
