package suites

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
)

// hostileServer serves h on loopback for the test; its connections are
// cut before it closes, so a handler that hangs ends with the test.
func hostileServer(t *testing.T, h http.HandlerFunc) string {
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv.URL
}

// hang holds a request until its client leaves (the body read, so the
// server notices), or for a few seconds at most.
func hang(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-time.After(3 * time.Second):
	}
}

// uuidLike is a RequestId in the documented form.
func uuidLike(n int64) string { return fmt.Sprintf("1C1F0D7E-1111-4A4A-9B9B-%012X", n) }

// TestHostileTargetsNeverPass points the suite at targets that are not
// the API: every check ends errored or failed within the run's bounds,
// never passed on silence, and a target that does not speak the protocol
// gets one verdict per check, not a flood of findings.
func TestHostileTargetsNeverPass(t *testing.T) {
	refusing := httpmock.NewMockTransport()
	refusing.RegisterNoResponder(httpmock.NewErrorResponder(errors.New("connection reset by peer")))
	rows := []struct {
		reason  string
		target  runner.Target
		errored string // what every check's error reason says
	}{
		{"a target that accepts connections and never answers", runner.Target{
			URL: hostileServer(t, hang), Timeout: 100 * time.Millisecond},
			"no complete answer"},
		{"a target that resets every connection", runner.Target{URL: "http://127.0.0.1:1", Client: &http.Client{Transport: refusing}},
			"no complete answer"},
		{"a plain web server that answers 404 to everything", runner.Target{URL: hostileServer(t, http.NotFound)},
			"does not speak the RPC protocol"},
		{"a server that echoes the request back", runner.Target{URL: hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			fmt.Fprint(w, r.Form.Encode())
		})}, "does not speak the RPC protocol"},
		{"a target that trickles its body", runner.Target{URL: hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			for _, b := range []byte(`{"RequestId":"x"}`) {
				w.Write([]byte{b})
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
		}), Timeout: 200 * time.Millisecond}, "no complete answer"},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			t.Parallel() // they wait on timeouts and trickles; no verdict here depends on timing
			row.target.Accounts = testAccounts()
			res := execute(t, row.target, Options{Examples: 5, MaxTime: time.Minute})
			for _, op := range res.Operations {
				for _, c := range op.Checks {
					if c.Status == results.Skipped {
						continue
					}
					assert.Equal(t, c.Status, results.Errored, "%s/%s: %+v", op.Operation, c.Check, c)
					assert.Assert(t, strings.Contains(c.ErrorReason, row.errored), "%s/%s: %s", op.Operation, c.Check, c.ErrorReason)
					assert.Equal(t, len(c.Findings)+c.Dropped, 0, "%s/%s", op.Operation, c.Check)
				}
			}
		})
	}
}

// TestAcceptEverythingTarget: a target that answers 200 with a RequestId
// to anything fails the checks whose rules it breaks, and the check whose
// precondition (a rejected create) never holds is errored, not passed.
func TestAcceptEverythingTarget(t *testing.T) {
	var n atomic.Int64
	url := hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		fmt.Fprintf(w, `{"RequestId":%q}`, uuidLike(n.Add(1)))
	})
	res := execute(t, runner.Target{URL: url, Accounts: testAccounts()}, Options{Ops: []string{"ram"}, Examples: 5})
	status := map[string]results.CheckResult{}
	for _, c := range res.Operations[0].Checks {
		status[c.Check] = c
	}
	assert.Equal(t, status["negative-rejection"].Status, results.Failed)
	assert.Equal(t, status["response-schema"].Status, results.Failed)
	assert.Equal(t, status["rejection-leaves-no-trace"].Status, results.Errored, "%+v", status["rejection-leaves-no-trace"])
	assert.Assert(t, strings.Contains(status["rejection-leaves-no-trace"].ErrorReason, "was accepted"))
}

// TestOneServerErrorIsOneFinding: a target that answers 500 to one kind of
// input fails no-server-error, and no other check for it.
func TestOneServerErrorIsOneFinding(t *testing.T) {
	target := emulatorTarget(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if len(r.URL.Query().Get("Comments")) > 8 {
				w.WriteHeader(500)
				fmt.Fprint(w, errorBody("InternalError"))
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	res := execute(t, target, Options{Ops: []string{"ram"}, Examples: 10})
	for _, c := range res.Operations[0].Checks {
		if c.Check == noServerErrorCheck {
			assert.Equal(t, c.Status, results.Failed)
			continue
		}
		assert.Assert(t, c.Status != results.Failed, "%s failed on a server error: %+v", c.Check, c.Findings)
	}
}

// TestSilentTargetIsGivenUp: a target that answers the preflight, then
// stops answering, is given up after maxSilent exchanges in a row; the
// checks cut short say why.
func TestSilentTargetIsGivenUp(t *testing.T) {
	var answered atomic.Int32
	target := emulatorTarget(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if answered.Add(1) <= 1 {
				next.ServeHTTP(w, r)
				return
			}
			hang(w, r)
		})
	})
	target.Timeout = 100 * time.Millisecond
	res := execute(t, target, Options{Ops: []string{"ram"}, Examples: 50, Checks: regexp.MustCompile("^(no-server-error|negative-rejection)$")})
	for _, c := range res.Operations[0].Checks {
		switch c.Check {
		case noServerErrorCheck:
			assert.Equal(t, c.Status, results.Failed)
			assert.Assert(t, strings.Contains(c.Findings[0].Actual, "were cut short"), c.Findings[0].Actual)
			assert.Assert(t, c.Exchanges < 100, "the run must stop sending to a silent target, sent %d", c.Exchanges)
		default:
			assert.Equal(t, c.Status, results.Errored)
			assert.Assert(t, strings.Contains(c.ErrorReason, "no conclusive answer") || strings.Contains(c.ErrorReason, "stopped answering"), c.ErrorReason)
		}
	}
}

// TestTimeBudgetStopsTheRun: a run that reaches Options.MaxTime stops
// sending, says so, and errors the checks it cut short.
func TestTimeBudgetStopsTheRun(t *testing.T) {
	target := emulatorTarget(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(20 * time.Millisecond)
			next.ServeHTTP(w, r)
		})
	})
	res := execute(t, target, Options{Ops: []string{"eds-user"}, Examples: 200, Workers: 1, MaxTime: 500 * time.Millisecond})
	assert.Assert(t, strings.Contains(res.Stopped, "time budget"), res.Stopped)
	errored := 0
	for _, c := range res.Operations[0].Checks {
		if c.Status == results.Errored {
			errored++
		}
	}
	assert.Assert(t, errored > 0, "no check was cut short")
}

// TestFindingsPastTheBoundAreCountedNotBuilt: findings judged once a
// check's kept findings are at Options.MaxFindings are counted under their
// root causes like the others (the same counts as a run keeping them all),
// and those kept are whole, with their reproducers.
func TestFindingsPastTheBoundAreCountedNotBuilt(t *testing.T) {
	run := func(max int) map[string]results.CheckResult {
		var n atomic.Int64
		url := hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json;charset=utf-8")
			fmt.Fprintf(w, `{"RequestId":%q}`, uuidLike(n.Add(1)))
		})
		res := execute(t, runner.Target{URL: url, Accounts: testAccounts()},
			Options{Ops: []string{"ram"}, Examples: 20, Workers: 1, MaxFindings: max})
		out := map[string]results.CheckResult{}
		for _, c := range res.Operations[0].Checks {
			out[c.Check] = c
		}
		return out
	}
	few, all := run(2), run(10000)
	neg := few["negative-rejection"]
	assert.Equal(t, len(neg.Findings), 2)
	assert.Assert(t, neg.Dropped > 0, "the accept-everything target must give more findings than the bound")
	for _, f := range neg.Findings {
		assert.Assert(t, f.Curl != "" && f.Expected != "" && len(f.Exchanges) > 0, "a kept finding is whole: %+v", f)
	}
	for id, c := range all {
		assert.Equal(t, len(few[id].Findings)+few[id].Dropped, len(c.Findings)+c.Dropped, id)
		assert.DeepEqual(t, few[id].Causes, c.Causes)
	}
}
