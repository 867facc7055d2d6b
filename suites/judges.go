package suites

import (
	"fmt"
	"strings"

	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// judgePositive: a valid request gets 200 with a well-formed body, and a
// batch creates every element.
func judgePositive(j *judging, st *step, ex *runner.Exchange) {
	if !st.Expect.Valid {
		return
	}
	if actual := conforms(st, ex); actual != "" {
		j.fail(st, ex, nil, "HTTP 200 with the documented body ("+st.Expect.words()+")", actual)
		return
	}
	if ex.Status != 200 {
		doc, _ := decodeBody(ex, formatOf(st.Request.Format))
		warnReadings(j, st, ex, doc.text(fieldCode))
	}
}

// judgeSchema: an accepted body matches the success schema in the requested format.
func judgeSchema(j *judging, st *step, ex *runner.Exchange) {
	if ex.Status != 200 || j.op.Response == nil {
		return
	}
	format := formatOf(st.Request.Format)
	doc, err := decodeBody(ex, format)
	if err != nil {
		j.fail(st, ex, nil, "a "+format+" success body", err.Error())
		return
	}
	if problem := schemaMismatch(j.op.Response, format, doc); problem != "" {
		j.fail(st, ex, nil, "a "+format+" body matching the documented success schema", problem)
	}
}

// judgeEnvelope: every error answer carries the envelope's fields in the
// requested format.
func judgeEnvelope(j *judging, st *step, ex *runner.Exchange) {
	if ex.Status < 400 || j.op.Response == nil || j.op.Response.ErrorSchema == nil {
		return
	}
	format := formatOf(st.Request.Format)
	doc, err := decodeBody(ex, format)
	if err != nil {
		j.fail(st, ex, nil, "an error envelope in "+format, err.Error())
		return
	}
	if problem := envelopeMismatch(j.op.Response.ErrorSchema, format, doc); problem != "" {
		j.fail(st, ex, nil, "an error envelope in "+format+" with "+strings.Join(j.op.Response.ErrorSchema.Value.Required, ", "), problem)
	}
}

// judgeErrorCode: a request that breaks a documented rule, when rejected,
// gets one of that rule's documented (status, Code) pairs.
func judgeErrorCode(j *judging, st *step, ex *runner.Exchange) {
	if st.Expect.Rule == nil || ex.Status < 400 {
		return
	}
	doc, _ := decodeBody(ex, formatOf(st.Request.Format))
	code := doc.text(fieldCode)
	if !st.Expect.allowsError(ex.Status, code) {
		j.fail(st, ex, nil, st.Expect.words(), answer(ex, doc))
		return
	}
	warnReadings(j, st, ex, code)
}

// judgeNegative: a request the docs reject under every reading is never
// accepted; a batch that may accept it lists the offending element as failed.
func judgeNegative(j *judging, st *step, ex *runner.Exchange) {
	if st.Expect.Valid || ex.Status != 200 {
		return
	}
	if !st.Expect.allowsAccept() {
		j.fail(st, ex, nil, "rejected: "+st.Expect.words(), "HTTP 200 (accepted)")
		return
	}
	doc, err := decodeBody(ex, formatOf(st.Request.Format))
	if err != nil {
		return // no-server-error reports broken bodies
	}
	if problem := batchMismatch(st.Expect, doc); problem != "" {
		j.fail(st, ex, nil, st.Expect.words(), "HTTP 200: "+problem)
		return
	}
	warnReadings(j, st, ex, "")
}

// judgeNoServerError: every input gets a complete, well-formed answer below 500.
func judgeNoServerError(j *judging, st *step, ex *runner.Exchange) {
	switch {
	case httpRefusal(ex) && !st.Expect.Valid:
		// a web server's refusal of an oversized request the docs need
		// not accept is an answer, not a failure
	case ex.Status == 0:
		j.fail(st, ex, nil, "a complete response within the timeout", "no response: "+ex.Err)
	case ex.Err != "":
		j.fail(st, ex, nil, "a complete response within the timeout", fmt.Sprintf("HTTP %d, then %s", ex.Status, ex.Err))
	case ex.Status >= 500:
		doc, _ := decodeBody(ex, formatOf(st.Request.Format))
		j.fail(st, ex, nil, "no server error for any input: "+st.Expect.words(), answer(ex, doc))
	default:
		if _, err := decodeBody(ex, formatOf(st.Request.Format)); err != nil {
			j.fail(st, ex, nil, "a well-formed "+formatOf(st.Request.Format)+" body", fmt.Sprintf("HTTP %d with %v", ex.Status, err))
		}
	}
}

// judgeRequestID: every answer carries a RequestId in the documented form;
// uniqueness across the run is judged once every exchange is in.
func judgeRequestID(j *judging, st *step, ex *runner.Exchange) {
	if ex.Status == 0 || j.op.Response == nil || j.op.Response.RequestID == nil {
		return
	}
	doc, err := decodeBody(ex, formatOf(st.Request.Format))
	if err != nil {
		return // no-server-error reports broken bodies
	}
	id := doc.text(fieldRequestID)
	switch {
	case id == "":
		j.fail(st, ex, nil, requestIDWanted(j.op), "no "+fieldRequestID)
	case !j.op.Response.RequestID.MatchString(id):
		j.fail(st, ex, nil, requestIDWanted(j.op), fieldRequestID+" "+id)
	default:
		j.ids = append(j.ids, id)
	}
}

// requestIDWanted is the RequestId form op documents, in words.
func requestIDWanted(op *specs.Operation) string {
	return fieldRequestID + " matching " + op.Response.RequestID.String()
}

// judgeContentType: the Content-Type is one the spec lists for the requested format.
func judgeContentType(j *judging, st *step, ex *runner.Exchange) {
	if ex.Status == 0 || j.op.Response == nil {
		return
	}
	format := formatOf(st.Request.Format)
	allowed := j.op.Response.MediaTypes[format]
	got := mediaType(ex)
	for _, mt := range allowed {
		if strings.EqualFold(mt, got) {
			return
		}
	}
	j.fail(st, ex, nil, "Content-Type "+strings.Join(allowed, " or ")+" (requested "+format+")", fmt.Sprintf("Content-Type %q", ex.RespHeader.Get("Content-Type")))
}

// judgeAll: every step of a stateful sequence gets an answer its expectation
// allows; a step whose predecessors were not answered as the docs prescribe
// is not judged (its expectation assumed they were), the predecessor is.
func judgeAll(j *judging, seq *sequence, exs []runner.Exchange) {
	j.conformingSteps(seq, exs, nil, nil)
}

// conformingSteps judges the steps in order against their expectations,
// counting each exchange. An unanswered step, or a setup step (Records)
// the target refused, leaves the sequence unheld and stops the walk. At
// the first other step that does not conform it files a finding naming
// rule and stops; then, when not nil, is called with every
// conforming step and stops the walk by returning false. It reports whether
// every step was walked.
func (j *judging) conformingSteps(seq *sequence, exs []runner.Exchange, rule *specs.Rule, then func(i int, st *step, ex *runner.Exchange) bool) bool {
	return j.walk(seq, exs, rule, nil, then)
}

// rateSteps is conformingSteps for the calls of a rate-limit check: a
// call refused for another reason than throttling leaves the sequence
// unheld (the base request was rejected) instead of failing it.
func (j *judging) rateSteps(seq *sequence, exs []runner.Exchange, rule *specs.Rule, then func(i int, st *step, ex *runner.Exchange) bool) bool {
	return j.walk(seq, exs, rule, j.rateBase, then)
}

// walk is conformingSteps with a guard each answered step must pass
// first (nil for none); a step failing it stops the walk.
func (j *judging) walk(seq *sequence, exs []runner.Exchange, rule *specs.Rule, guard func(*step, *runner.Exchange) bool, then func(i int, st *step, ex *runner.Exchange) bool) bool {
	for i := range exs {
		st, ex := &seq.Steps[i], &exs[i]
		if !j.count(ex) {
			j.unheld(fmt.Sprintf("step %d (%s) not answered: %s", i+1, st.Label, unanswered(ex)))
			return false
		}
		if guard != nil && !guard(st, ex) {
			return false
		}
		actual := conforms(st, ex)
		if actual != "" && st.Records {
			j.unheld(fmt.Sprintf("the setup step %d (%s) got %s", i+1, st.Label, actual))
			return false
		}
		if actual != "" {
			j.fail(st, ex, rule, st.Expect.words(), actual)
			return false
		}
		if then != nil && !then(i, st, ex) {
			return false
		}
	}
	return true
}

// hasRule reports whether op has a rule of kind k.
func hasRule(k specs.RuleKind) func(op *specs.Operation) bool {
	return func(op *specs.Operation) bool { return op.RuleOfKind(k) != nil }
}
