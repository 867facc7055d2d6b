package suites

import (
	"fmt"
	"os"
	"testing"
)

func TestDebugRun(t *testing.T) {
	res := execute(t, emulatorTarget(t, nil), Options{Seed: 1, Progress: os.Stderr})
	for _, op := range res.Operations {
		for _, c := range op.Checks {
			fmt.Printf("%s %s %s %d %s dur=%s warn=%d\n", op.Operation, c.Check, c.Status, c.Exchanges, c.SkipReason, c.Duration, len(c.Warnings))
		}
	}
	fmt.Println(res.Duration)
}
