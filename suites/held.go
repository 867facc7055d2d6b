package suites

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// httpRefusals are the statuses a web server or proxy answers a request
// with before the API sees it: too large, URI too long, headers too large.
var httpRefusals = []int{413, 414, 431}

// answered reports whether an exchange is a conclusive answer for the
// checks other than no-server-error: a complete response below 500 that
// the API itself gave. Transport failures, 5xx and HTTP-level refusals
// are no-server-error's to judge; any other check counts them as
// inconclusive, so one broken answer is one finding, not one per check.
func answered(ex *runner.Exchange) bool {
	return ex.Status != 0 && ex.Err == "" && ex.Status < 500 && !httpRefusal(ex)
}

// httpRefusal reports whether ex is a refusal at the HTTP level: one of
// httpRefusals without an API envelope (no Code in a JSON or XML body).
func httpRefusal(ex *runner.Exchange) bool {
	if !slices.Contains(httpRefusals, ex.Status) {
		return false
	}
	for _, f := range []string{formatJSON, formatXML} {
		if doc, err := decodeBody(ex, f); err == nil && doc.text(fieldCode) != "" {
			return false
		}
	}
	return true
}

// unanswered describes why an exchange is not conclusive.
func unanswered(ex *runner.Exchange) string {
	switch {
	case ex.Status == 0:
		return "no response: " + ex.Err
	case ex.Err != "":
		return fmt.Sprintf("HTTP %d, then %s", ex.Status, ex.Err)
	case httpRefusal(ex):
		return fmt.Sprintf("HTTP %d refused at the HTTP level", ex.Status)
	}
	return fmt.Sprintf("HTTP %d (a server error)", ex.Status)
}

// count records one exchange judged: conclusive or not.
func (j *judging) count(ex *runner.Exchange) bool {
	j.exchanges++
	if answered(ex) {
		j.conclusive++
		return true
	}
	if j.firstUnanswered == "" {
		j.firstUnanswered = unanswered(ex)
	}
	return false
}

// unheld records that a sequence's precondition did not hold (the setup
// create was rejected, the base request of a rate-limit check was
// refused): the sequence proves nothing either way.
func (j *judging) unheld(reason string) {
	j.unheldSeqs++
	if j.unheldReason == "" {
		j.unheldReason = reason
	}
}

// throttleAttempt reports whether ex is a throttling answer, documented
// or not: a documented throttling Code of any operation (a gateway
// throttles them all alike) under any status, or HTTP 429. A rate-limit
// check judges such an answer; anything else means its base request was
// rejected.
func throttleAttempt(model *specs.Model, ex *runner.Exchange, format string) bool {
	switch ex.Status {
	case http.StatusTooManyRequests:
		return true
	case 0, http.StatusOK: // no answer, or an accepted call: nothing to decode
		return false
	}
	doc, err := decodeBody(ex, formatOf(format))
	if err != nil {
		return false
	}
	return slices.Contains(throttleCodes(model), doc.text(fieldCode))
}

// throttleCodes are the throttling Codes every operation documents.
func throttleCodes(model *specs.Model) []string {
	var codes []string
	for _, o := range model.Operations {
		if o.RateLimit != nil {
			codes = append(codes, o.RateLimit.Codes...)
		}
	}
	return codes
}

// rateBase reports whether a call of a rate-limit check was accepted or
// throttled, the two answers it can judge; any other answer means the
// base request itself was rejected, and the sequence is unheld.
func (j *judging) rateBase(st *step, ex *runner.Exchange) bool {
	if ex.Status == 200 || throttleAttempt(j.model, ex, st.Request.Format) {
		return true
	}
	doc, _ := decodeBody(ex, formatOf(st.Request.Format))
	j.unheld("base request rejected: " + answer(ex, doc))
	return false
}
