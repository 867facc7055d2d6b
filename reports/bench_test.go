package reports

import (
	"fmt"
	"io"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/results"
)

// bigResult has n findings spread over ten failed checks of each operation of richResult.
func bigResult(n int) *results.Result {
	r := richResult()
	for i := range r.Operations {
		op := &r.Operations[i]
		op.Checks = make([]results.CheckResult, 10)
		for c := range op.Checks {
			op.Checks[c] = results.CheckResult{Check: fmt.Sprintf("check-%d", c), Status: results.Failed}
		}
	}
	for s := range n {
		op := &r.Operations[s%len(r.Operations)]
		check := &op.Checks[s/len(r.Operations)%len(op.Checks)]
		f := ramLengthFinding()
		f.Operation, f.Check, f.Seed = op.Operation, check.Check, int64(s)
		check.Findings = append(check.Findings, f)
		check.Exchanges++
	}
	return r
}

func BenchmarkReports10kFindings(b *testing.B) {
	r := bigResult(10_000)
	writers := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"junit", func(w io.Writer) error { return JUnit(w, r, JUnitOptions{Hostname: "bench"}) }},
		{"json", func(w io.Writer) error { return JSON(w, r) }},
		{"junit+json", func(w io.Writer) error {
			if err := JUnit(w, r, JUnitOptions{Hostname: "bench"}); err != nil {
				return err
			}
			return JSON(w, r)
		}},
		{"text-verbose", func(w io.Writer) error { return Text(w, r, TextOptions{Verbose: true}) }},
	}
	for _, wr := range writers {
		b.Run(wr.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := wr.write(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestBigResultHasEveryFinding(t *testing.T) {
	assert.Equal(t, tallyResult(bigResult(10_000)).Findings, 10_000)
}
