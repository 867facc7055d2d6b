package fuzz

import (
	"testing"

	"github.com/acsconform/acsconform/specs"
)

func BenchmarkValid(b *testing.B) {
	for _, op := range model(b).Operations {
		gen := Valid(op)
		b.Run(op.ID, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				gen.Example(i)
				i++
			}
		})
	}
}

func BenchmarkInvalid(b *testing.B) {
	for _, op := range model(b).Operations {
		gen := Invalid(op)
		b.Run(op.ID, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				gen.Example(i)
				i++
			}
		})
	}
}

func BenchmarkInvalidFor(b *testing.B) {
	for _, op := range model(b).Operations {
		var rule *specs.Rule
		for _, r := range op.Rules {
			if Breakable(r) && r.Kind == specs.RuleMaxLength {
				rule = r
				break
			}
		}
		if rule == nil {
			continue
		}
		gen := InvalidFor(op, rule)
		b.Run(op.ID+"/"+rule.ID, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				gen.Example(i)
				i++
			}
		})
	}
}

// BenchmarkBoundary is one operation's whole boundary case list per op
// (it also reports the time per case).
func BenchmarkBoundary(b *testing.B) {
	for _, op := range model(b).Operations {
		b.Run(op.ID, func(b *testing.B) {
			b.ReportAllocs()
			var seed int64
			cases := 0
			for b.Loop() {
				seed++
				cases += len(Boundary(op, seed))
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(max(cases, 1)), "ns/case")
		})
	}
}

// BenchmarkChaos is one chaos case per op.
func BenchmarkChaos(b *testing.B) {
	for _, op := range model(b).Operations {
		b.Run(op.ID, func(b *testing.B) {
			b.ReportAllocs()
			var seed int64
			for b.Loop() {
				seed++
				Chaos(op, seed, 1)
			}
		})
	}
}

// BenchmarkPlannerStream draws every plan's sequences of one operation,
// as a campaign of 500 examples per plan does (ram and eds-user are the
// bench campaign's operations).
func BenchmarkPlannerStream(b *testing.B) {
	m := model(b)
	var declared specs.Declarations
	declared.Declare(specs.RuleExists, "bh-1", "bh-2")
	declared.SetLimit(specs.RuleQuota, 1000)
	for _, id := range []string{"ram", "eds-user"} {
		op, _ := m.Operation(id)
		b.Run(id, func(b *testing.B) {
			b.ReportAllocs()
			var seed int64
			for b.Loop() {
				seed++
				p := NewPlanner(m, op, Config{Seed: seed, Examples: 500, Accounts: 16, Declared: declared})
				for _, plan := range Plans() {
					for range p.Stream(plan) {
					}
				}
			}
		})
	}
}
