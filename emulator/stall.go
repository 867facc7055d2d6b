package emulator

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Waits of the hostile-target faults.
const (
	// hangFor is how long FaultHangOnQ holds a request.
	hangFor = 20 * time.Second
	// trickleEvery is FaultTrickledBody's pause between two bytes.
	trickleEvery = 100 * time.Millisecond
	// hangChar is the character that makes FaultHangOnQ hang.
	hangChar = 'q'
)

// stall holds the waits of FaultHangOnQ and FaultTrickledBody. Every wait
// ends early when the request's context is done or at Shutdown, so no
// handler outlives its server.
type stall struct {
	stop     chan struct{}
	stopOnce *sync.Once
	hangFor  time.Duration
	every    time.Duration
	// onWait, when set (tests), is called as a hang begins.
	onWait func()
}

// newStall returns the waits with their documented lengths.
func newStall() stall {
	return stall{stop: make(chan struct{}), stopOnce: new(sync.Once), hangFor: hangFor, every: trickleEvery}
}

// Shutdown ends at once every hang and trickle of the hang-on-q and
// trickled-body faults, in flight or to come; the emulator goes on
// answering. Call it before closing an http.Server (or
// httptest.Server) that serves the emulator with those faults, since the
// server waits for its handlers; Server.Close calls it.
func (e *Emulator) Shutdown() { e.stall.stopOnce.Do(func() { close(e.stall.stop) }) }

// pause waits d, or less when ctx is done or at Shutdown; it reports
// whether the whole d passed.
func (s *stall) pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.stop:
	}
	return false
}

// hang holds the request for hangFor (FaultHangOnQ).
func (s *stall) hang(ctx context.Context) {
	if s.onWait != nil {
		s.onWait()
	}
	s.pause(ctx, s.hangFor)
}

// trickle writes data one byte at a time, flushing each and pausing
// between them (FaultTrickledBody). When a pause is cut short the rest
// goes at once; a failed write ends it (the client left or the server's
// write deadline passed).
func (s *stall) trickle(ctx context.Context, w http.ResponseWriter, data []byte) {
	rc := http.NewResponseController(w)
	for i := range data {
		if _, err := w.Write(data[i : i+1]); err != nil {
			return
		}
		_ = rc.Flush()
		if i+1 < len(data) && !s.pause(ctx, s.every) {
			_, _ = w.Write(data[i+1:])
			return
		}
	}
}

// hangs reports whether a request names a user with hangChar: its UserName
// or any Users.N.EndUserId.
func hangs(req *request) bool {
	if strings.ContainsRune(req.param("UserName"), hangChar) {
		return true
	}
	for _, p := range req.pairs() {
		if strings.HasPrefix(p.key, "Users.") && strings.HasSuffix(p.key, ".EndUserId") && strings.ContainsRune(p.value, hangChar) {
			return true
		}
	}
	return false
}
