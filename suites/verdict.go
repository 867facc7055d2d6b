package suites

import (
	"fmt"
	"slices"
	"strings"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/runner"
)

// Batch response fields: each failed element names its ErrorCode and
// ErrorMessage (the specs' batch errors).
const (
	fieldErrorCode    = "ErrorCode"
	fieldErrorMessage = "ErrorMessage"
)

// conforms compares an exchange with everything its step's expectation
// allows. It returns "" when the answer is allowed, else the answer in words.
func conforms(st *step, ex *runner.Exchange) string {
	if ex.Status == 0 {
		return "no response (" + ex.Err + ")"
	}
	doc, err := decodeBody(ex, formatOf(st.Request.Format))
	if err != nil {
		return fmt.Sprintf("HTTP %d with a broken %s body: %v", ex.Status, formatOf(st.Request.Format), err)
	}
	if ex.Status == 200 {
		if !st.Expect.allowsAccept() {
			return "HTTP 200 (accepted)"
		}
		return batchMismatch(st.Expect, doc)
	}
	if st.Expect.allowsError(ex.Status, doc.text(fieldCode)) {
		return ""
	}
	return answer(ex, doc)
}

// batchMismatch compares an accepted batch response with what the oracle
// allows for each element; "" when they agree or the step is not a batch.
func batchMismatch(e expectation, doc document) string {
	if len(e.Keys) == 0 || len(e.Verdict.Elements) == 0 {
		return ""
	}
	created, failed := splitBatch(doc.Value, e.KeyField)
	listed := 0
	for _, l := range created {
		listed += len(l)
	}
	for _, l := range failed {
		listed += len(l)
	}
	var problems []string
	for i, key := range e.Keys {
		if i >= len(e.Verdict.Elements) {
			break
		}
		if p := elementMismatch(e.Verdict.Elements[i], e.KeyField, key, created, failed); p != "" {
			problems = append(problems, p)
		}
	}
	if listed != len(e.Keys) {
		problems = append(problems, fmt.Sprintf("%d elements listed for a batch of %d", listed, len(e.Keys)))
	}
	return strings.Join(problems, "; ")
}

// elementMismatch takes one element's entry out of the listed ones (created
// first, then failed) and says how it differs from what the oracle allows.
func elementMismatch(ev oracle.ElementVerdict, field, key string, created, failed map[string][]map[string]any) string {
	if len(created[key]) > 0 && ev.Allows(true, "") {
		created[key] = created[key][1:]
		return ""
	}
	if len(failed[key]) == 0 {
		if len(created[key]) > 0 {
			return fmt.Sprintf("%s %q created, want %s", field, key, elementWords(ev))
		}
		return fmt.Sprintf("%s %q neither created nor failed", field, key)
	}
	f := failed[key][0]
	failed[key] = failed[key][1:]
	code, _ := f[fieldErrorCode].(string)
	msg, _ := f[fieldErrorMessage].(string)
	switch {
	case code == "" || msg == "":
		return fmt.Sprintf("failed %s %q lacks %s or %s", field, key, fieldErrorCode, fieldErrorMessage)
	case !ev.Allows(false, code):
		return fmt.Sprintf("%s %q failed with %s %s, want %s", field, key, fieldErrorCode, code, elementWords(ev))
	}
	return ""
}

// elementWords says what an element may become.
func elementWords(ev oracle.ElementVerdict) string {
	parts := make([]string, 0, len(ev.Outcomes))
	for _, o := range ev.Outcomes {
		if o.Accept {
			parts = append(parts, "created")
			continue
		}
		parts = append(parts, oracle.Describe(o))
	}
	return strings.Join(parts, " or ")
}

// splitBatch finds, anywhere in an accepted batch body, the elements
// listed as created (objects naming key without an ErrorCode) and as
// failed (objects naming key with an ErrorCode), by their key value.
func splitBatch(v any, key string) (created, failed map[string][]map[string]any) {
	b := batchSplit{key: key, created: map[string][]map[string]any{}, failed: map[string][]map[string]any{}}
	b.walk(v)
	return b.created, b.failed
}

// batchSplit is splitBatch's walk: the key field and the elements found.
type batchSplit struct {
	key             string
	created, failed map[string][]map[string]any
}

// walk files the keyed objects in v, visiting an object's fields in key order.
func (b *batchSplit) walk(v any) {
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			b.walk(x)
		}
	case map[string]any:
		if id, ok := t[b.key].(string); ok {
			if _, hasCode := t[fieldErrorCode]; hasCode {
				b.failed[id] = append(b.failed[id], t)
			} else {
				b.created[id] = append(b.created[id], t)
			}
			return
		}
		for _, k := range sortedKeys(t, make([]string, 0, 8)) {
			b.walk(t[k])
		}
	}
}

// sortedKeys appends m's keys to buf, sorted (a buffer on the caller's
// stack saves their slice for small objects).
func sortedKeys(m map[string]any, buf []string) []string {
	for k := range m {
		buf = append(buf, k)
	}
	slices.Sort(buf)
	return buf
}
