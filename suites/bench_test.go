package suites

import (
	"bytes"
	"context"
	"testing"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// BenchmarkExecute measures a run against the reference emulator on
// loopback for the operations without a rate limit (whose traffic is not
// paced), reporting the exchanges of ordinary traffic per second.
func BenchmarkExecute(b *testing.B) {
	exchanges := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		target := emulatorTarget(b, nil)
		b.StartTimer()
		res, err := Execute(context.Background(), target, Options{Seed: int64(i + 1), Ops: []string{"ram", "eds-user"}, Declared: emulatorDeclared()})
		if err != nil {
			b.Fatal(err)
		}
		for _, op := range res.Operations {
			for _, c := range op.Checks {
				if c.Check == noServerErrorCheck {
					exchanges += c.Exchanges
				}
			}
		}
	}
	b.ReportMetric(float64(exchanges)/b.Elapsed().Seconds(), "exchanges/s")
}

// BenchmarkJudgeExchange is one valid create's exchange (a real answer of
// the emulator) judged by every check that judges observed traffic
// (JudgeTraffic), the response-schema check's validation of the body
// included, one sub-benchmark per operation; each iteration judges a body
// of its own (decoded once, as in a run).
func BenchmarkJudgeExchange(b *testing.B) {
	model, err := specs.Load()
	if err != nil {
		b.Fatal(err)
	}
	target := emulatorTarget(b, nil)
	client, err := runner.NewClient(target)
	if err != nil {
		b.Fatal(err)
	}
	defer client.Close()
	declared := emulatorDeclared()
	for _, op := range model.Operations {
		planner := fuzz.NewPlanner(model, op, fuzz.Config{Seed: 1, Examples: 1, Accounts: 1, Declared: declared})
		st := planner.Probe(0)
		ex := client.Send(context.Background(), op, st.Request, runner.SendOptions{Signature: st.Signature})
		if ex.Status != 200 {
			b.Fatalf("%s: HTTP %d %s", op.ID, ex.Status, ex.RespBody)
		}
		tr := Traffic{Op: op, Request: st.Request, Account: "a", Exchange: ex}
		b.Run(op.ID, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				// A body of its own, as each exchange has: decoded once
				// by the first check (decodeBody keeps it for the others).
				tr.Exchange.RespBody = bytes.Clone(ex.RespBody)
				for _, v := range JudgeTraffic(tr, TrafficOptions{Model: model}) {
					if len(v.Findings) > 0 {
						b.Fatalf("%s: %s", v.Check, v.Findings[0].Actual)
					}
				}
			}
		})
	}
}

// BenchmarkExpect is the oracle's expectations for a run's ordinary
// traffic (ram and eds-user, seed 1, 100 examples: every plan but the
// paced ones), planned once: the judging of what to expect, without
// sending or checking an answer. It reports the steps judged per second.
func BenchmarkExpect(b *testing.B) {
	model, err := specs.Load()
	if err != nil {
		b.Fatal(err)
	}
	type planned struct {
		op   *specs.Operation
		seqs []fuzz.Sequence
	}
	var all []planned
	steps := 0
	for _, id := range []string{"ram", "eds-user"} {
		op, _ := model.Operation(id)
		planner := fuzz.NewPlanner(model, op, fuzz.Config{Seed: 1, Examples: 100, Accounts: 2, Declared: emulatorDeclared()})
		for _, plan := range []fuzz.PlanID{fuzz.PlanValid, fuzz.PlanInvalid, fuzz.PlanBoundary, fuzz.PlanChaos, fuzz.PlanDuplicate, fuzz.PlanRetry, fuzz.PlanBatch, fuzz.PlanConditional, fuzz.PlanQuota} {
			seqs := planner.Sequences(plan)
			for _, s := range seqs {
				steps += len(s.Steps)
			}
			all = append(all, planned{op, seqs})
		}
	}
	e := &engine{model: model, opts: Options{Declared: emulatorDeclared()}, target: runner.Target{Accounts: testAccounts()}}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range all {
			for _, s := range p.seqs {
				e.expect(p.op, s)
			}
		}
	}
	b.ReportMetric(float64(steps*b.N)/b.Elapsed().Seconds(), "steps/s")
}
