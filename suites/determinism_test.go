package suites

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/results"
)

// signingKeys are the query parameters that differ on every send (V1
// signing): they are left out when requests are compared.
var signingKeys = []string{"Signature", "SignatureNonce", "Timestamp"}

// recorder keeps what a target was asked, without the signing parts.
type recorder struct {
	mu   sync.Mutex
	sent []string
}

// wrap records each request's method, Action, Version, query and body.
func (rec *recorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		q, _ := url.ParseQuery(r.URL.RawQuery)
		for _, k := range signingKeys {
			q.Del(k)
		}
		line := r.Method + " " + r.Header.Get("x-acs-action") + " " + r.Header.Get("x-acs-version") + " " + q.Encode() + " " + string(body)
		rec.mu.Lock()
		rec.sent = append(rec.sent, line)
		rec.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// sorted returns the recorded requests in order.
func (rec *recorder) sorted() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := append([]string(nil), rec.sent...)
	sort.Strings(out)
	return out
}

// verdicts is a result without what varies between runs (durations,
// reproducers holding dates and nonces): check, status, counts and each
// finding's rule, expectation, answer and shrinking.
func verdicts(res *results.Result) []string {
	var out []string
	for _, op := range res.Operations {
		for _, c := range op.Checks {
			out = append(out, op.Operation+" "+c.Check+" "+string(c.Status)+" "+itoa(c.Exchanges)+" "+itoa(c.Dropped))
			for _, f := range c.Findings {
				out = append(out, "  "+f.Rule+" | "+f.Expected+" | "+f.Actual+" | "+f.Shrunk)
			}
		}
	}
	return out
}

func TestSameSeedSameRequestsAndFindingsWhateverTheWorkers(t *testing.T) {
	ram := operation(t, "ram")
	long := brokenRows()[0]
	var runs [][]string
	var sent [][]string
	for _, workers := range []int{1, 4} {
		rec := &recorder{}
		broken := breaking(ram, long.fix(t, ram))
		target := emulatorTarget(t, func(h http.Handler) http.Handler { return rec.wrap(broken(h)) })
		res := execute(t, target, Options{
			Seed: 7, Workers: workers, Examples: 15, Ops: []string{"ram", "eds-user"}, Shrink: true,
			Checks: regexp.MustCompile("^(negative-rejection|positive-acceptance|duplicate-rejected|batch-partial-failure|rejection-leaves-no-trace)$"),
		})
		runs = append(runs, verdicts(res))
		sent = append(sent, rec.sorted())
	}
	assert.DeepEqual(t, runs[0], runs[1])
	assert.DeepEqual(t, sent[0], sent[1])
	assert.Assert(t, len(sent[0]) > 0)
	failedSomewhere, shrunkSomewhere := false, false
	for _, line := range runs[0] {
		failedSomewhere = failedSomewhere || strings.Contains(line, " failed ")
		shrunkSomewhere = shrunkSomewhere || strings.Contains(line, " | from ")
	}
	assert.Assert(t, failedSomewhere, "the broken target must produce findings to compare")
	assert.Assert(t, shrunkSomewhere, "a finding must be shrunk, its shrinking requests compared")
}
