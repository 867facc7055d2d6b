package suites

import (
	"context"
	"testing"
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
