package suites

import (
	"context"
	"fmt"
	"time"
)

// reportProgress writes the running count every Options.ProgressEvery
// until ctx ends: the exchanges so far of those planned, the rate, and the
// time left at that rate.
func (e *engine) reportProgress(ctx context.Context, started time.Time) {
	if e.opts.Progress == nil {
		return
	}
	tick := time.NewTicker(e.opts.ProgressEvery)
	defer tick.Stop()
	planned := int64(e.planned())
	for {
		select {
		case <-ctx.Done():
			if e.opts.ProgressLive {
				e.mu.Lock()
				e.progressf("\n")
				e.mu.Unlock()
			}
			return
		case <-tick.C:
			e.mu.Lock()
			e.progressf("%s", progressLine(e.sent, planned, time.Since(started), e.opts.ProgressLive))
			e.mu.Unlock()
		}
	}
}

// progressLine is "acsconform: 12345 of about 60000 exchanges, 2100/s,
// about 23s left", ending in a carriage return to rewrite in place, or a
// newline.
func progressLine(sent, planned int64, elapsed time.Duration, live bool) string {
	rate := float64(sent) / max(elapsed.Seconds(), 0.001)
	line := fmt.Sprintf("acsconform: %d of about %d exchanges, %.0f/s", sent, planned, rate)
	if left := planned - sent; rate > 0 && left > 0 {
		line += fmt.Sprintf(", about %s left", (time.Duration(float64(left)/rate) * time.Second).Round(time.Second))
	}
	if live {
		return "\r" + line + "   "
	}
	return line + "\n"
}
