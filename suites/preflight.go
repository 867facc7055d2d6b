package suites

import (
	"context"
	"fmt"
	"strings"

	"github.com/acsconform/acsconform/runner"
)

// preflightProbes bounds the valid requests a preflight sends until one
// is answered: a target that hangs on some inputs only still gets its run.
const preflightProbes = 3

// preflight sends one valid request of the operation before any case and
// returns why the target cannot be checked for it ("" when it can): no
// complete answer to any probe, or an answer that is not the RPC
// protocol's (no JSON or XML body with a RequestId or Code: a plain web
// server, a proxy's error page). Such a target gets one verdict per
// check, errored with this reason, not thousands of findings.
func (e *engine) preflight(ctx context.Context, r *opRun) string {
	var last runner.Exchange
	for i := 0; i < preflightProbes && ctx.Err() == nil; i++ {
		st := r.planner.Probe(i)
		last = e.client.Send(ctx, r.op, st.Request, runner.SendOptions{Account: st.Account, Signature: st.Signature})
		if last.Status == 0 || last.Err != "" {
			continue
		}
		if speaksRPC(&last, st.Request.Format) {
			return ""
		}
		return fmt.Sprintf("the target does not speak the RPC protocol for %s (%s %s): a valid request got %s",
			r.op.ID, r.op.Action, r.op.Version, describeAnswer(&last))
	}
	if ctx.Err() != nil {
		return "the run stopped before the preflight request was answered"
	}
	return fmt.Sprintf("no complete answer to %d valid %s requests (last: %s)", preflightProbes, r.op.ID, unanswered(&last))
}

// speaksRPC reports whether an answer is the RPC protocol's: a body in
// the requested format (or the other one) with a RequestId or a Code,
// however its case is written (a wrongly cased RequestId is request-id's
// finding, not a foreign protocol).
func speaksRPC(ex *runner.Exchange, format string) bool {
	for _, f := range []string{formatOf(format), formatJSON, formatXML} {
		doc, err := decodeBody(ex, f)
		if err != nil {
			continue
		}
		fields, _ := doc.Value.(map[string]any)
		for k := range fields {
			if strings.EqualFold(k, fieldRequestID) || strings.EqualFold(k, fieldCode) {
				return true
			}
		}
	}
	return false
}

// describeAnswer is an answer in a few words: status, media type and the
// start of the body.
func describeAnswer(ex *runner.Exchange) string {
	body := string(ex.RespBody)
	if len(body) > 80 {
		body = body[:80] + "…"
	}
	return fmt.Sprintf("HTTP %d %s %q", ex.Status, ex.RespHeader.Get("Content-Type"), body)
}
