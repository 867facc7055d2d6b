package fuzz

import "testing"

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
